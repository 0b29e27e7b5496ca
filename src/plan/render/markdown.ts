/**
 * A pull-request comment: the counts first, then the new units and the old units that form them, then
 * the operations of each new unit collapsed in `<details>`. GitHub rejects comments over 65,536
 * characters, so detail stops before `maxChars` and the comment ends by saying what it left out and how
 * to see everything.
 */
import type {SignedPlan} from '../types.js'
import {
  type PlanFacts,
  type UnitGroup,
  KIND_CLASS,
  accountColumns,
  clean,
  counted,
  formatChange,
  formatKey,
  formatSources,
  groupByUnit,
  mappingFiles,
  num,
  planFacts,
  signOf,
  summaryKinds,
  truncate,
  unitChangeSign,
  unitTitle,
} from './common.js'

export interface MarkdownOptions {
  /** The plan's path, for the "see everything" line. */
  file?: string
  /** Hard ceiling on the comment's length in characters (GitHub's is 65,536). */
  maxChars?: number
  /** Operations listed per kind in each unit's details. */
  perKind?: number
}

export const MARKDOWN_MAX_CHARS = 65_000

/**
 * The comment's first line, hidden when rendered: a CI job finds its earlier comment by it and edits it
 * instead of adding one per push.
 */
export const MARKDOWN_MARKER = '<!-- sapxep-plan -->'
const FOOTER_RESERVE = 900

/**
 * Text for Markdown and HTML contexts alike: the characters either language gives a meaning to become
 * numeric entities (a `|` cannot split a table cell, a `<script>` stays text); `@` gets a zero-width
 * space so a unit name cannot mention a GitHub user or team.
 */
export function escapeMarkdown(value: unknown): string {
  return clean(value)
    .replace(/[&<>"'`*_[\]|\\#~!]/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/@/g, '@\u200b')
}

/** A code span that cannot be closed early. */
function code(value: unknown): string {
  return '`' + clean(value).replace(/`/g, "'") + '`'
}

export function renderMarkdown(plan: SignedPlan, opts: MarkdownOptions = {}): string {
  const maxChars = opts.maxChars ?? MARKDOWN_MAX_CHARS
  const perKind = Math.max(1, opts.perKind ?? 10)
  const facts = planFacts(plan)
  const head = [
    MARKDOWN_MARKER,
    ...headLines(plan, facts),
    ...(facts.operations > 0 ? summaryLines(plan, facts.operations) : []),
    ...mappingListLines(plan),
    ...warningLines(plan.warnings ?? []),
  ]
  let out = head.join('\n') + '\n'
  const groups = groupByUnit(plan)
  const shown: Shown = {unitsInTable: 0, unitsDetailed: 0, opsListed: 0}
  if (groups.length > 0) {
    // The unit table may use up to half of what is left when details follow, so some details always fit.
    const hasOps = plan.operations.length > 0
    const table = unitTable(groups, Math.floor((maxChars - out.length - FOOTER_RESERVE) * (hasOps ? 0.5 : 1)))
    shown.unitsInTable = table.units
    out += table.text + '\n'
    if (hasOps) {
      const details = changeDetails(groups, perKind, maxChars - FOOTER_RESERVE - out.length)
      shown.unitsDetailed = details.units
      shown.opsListed = details.ops
      if (details.units > 0) out += details.text
    }
  }
  out += footerLines(plan, groups, shown, {perKind, maxChars, file: opts.file ?? 'PLAN'}).join('\n') + '\n'
  // The budget arithmetic above keeps this from happening; never post a comment GitHub would reject.
  if (out.length > maxChars) out = out.slice(0, maxChars - 80) + '\n\n**Cut at the comment size limit.**\n'
  return out
}

/** How much of the plan the comment shows. */
interface Shown {
  unitsInTable: number
  unitsDetailed: number
  opsListed: number
}

/** The title, the decision's facts, the counts and the approvals. */
function headLines(plan: SignedPlan, f: PlanFacts): string[] {
  const head: string[] = []
  head.push(
    `### sapxep plan: ${escapeMarkdown(f.decision)}` +
      (plan.province
        ? ` · ${escapeMarkdown(plan.province.name)} (${escapeMarkdown(plan.province.code)})`
        : ''),
  )
  head.push('')
  const facts = [
    f.title ? escapeMarkdown(f.title) : '',
    `effective ${escapeMarkdown(f.effective)}${f.unofficial ? ' (**not an official decision**)' : ''}`,
    `plan ${code(plan.digest)}`,
    // Several mappings are listed below the counts (mappingListLines); one is a fact of the header.
    ...(mappingFiles(plan).length === 1
      ? mappingFiles(plan).map((m) => `mapping ${code(m.file)} ${code(m.digest)}`)
      : [`${num(mappingFiles(plan).length)} mappings, together ${code(plan.mapping?.digest ?? '')}`]),
    `${escapeMarkdown(f.tool.name)} ${escapeMarkdown(f.tool.version)}`,
  ].filter(Boolean)
  head.push(facts.join(' · '))
  head.push('')
  const k = f.counts
  head.push(
    f.operations === 0
      ? '**No changes**: the registry already matches the mapping.'
      : `**${counted(f.operations, 'operation')}** in ${counted(f.units, 'new unit')}: ` +
          `${num(k.create)} to create (\`+\`), ${num(k.change)} to change (\`~\`), ${num(k.remove)} to disable or retire (\`-\`).`,
  )
  if (f.approvers.length > 0)
    head.push(
      '',
      `Approvals: ${f.approvers.length} (${f.approvers.map((a) => escapeMarkdown(a)).join(', ')}); ` +
        'signatures are verified by `apply --require-approvals`, not here.',
    )
  head.push('')
  return head
}

/** The summary, always complete: operations by kind, units, accounts by system, rows by table. */
function summaryLines(plan: SignedPlan, total: number): string[] {
  const s = plan.summary
  const lines = ['| | Change | Count |', '|:-:|---|--:|']
  for (const kind of summaryKinds(plan))
    lines.push(`| \`${signOf(kind)}\` | ${kind} | ${num(s.byKind[kind] ?? 0)} |`)
  lines.push(`| | **Total** | **${num(total)}** |`, '')
  const u = s.units
  if (u)
    lines.push(
      `Units: ${num(u.created)} created · ${num(u.renamed)} renamed · ${num(u.retyped)} retyped · ` +
        `${num(u.reparented)} re-parented · ${num(u.retired)} retired`,
      '',
    )
  const {systems, kinds} = accountColumns(s)
  if (systems.length > 0) {
    lines.push(
      '**Accounts by system**',
      '',
      `| System | ${kinds.map((x) => `\`${signOf(x)}\` ${x.replace(/^account\./, '')}`).join(' | ')} |`,
      `|---|${kinds.map(() => '--:').join('|')}|`,
    )
    for (const sys of systems)
      lines.push(
        `| ${escapeMarkdown(sys)} | ${kinds.map((x) => num(s.accountsBySystem[sys][x] ?? 0)).join(' | ')} |`,
      )
    lines.push('')
  }
  const tables = Object.keys(s.rowsByTable ?? {}).sort()
  if (tables.length > 0)
    lines.push(
      `**Rows by table** (what \`apply --dry-run\` must report): ` +
        tables.map((t) => `${escapeMarkdown(t)} ${num(s.rowsByTable[t])}`).join(' · '),
      '',
    )
  return lines
}

/** The mapping files of a plan made from several, with their digests, collapsed below the counts. */
function mappingListLines(plan: SignedPlan): string[] {
  const files = mappingFiles(plan)
  if (files.length < 2) return []
  return [
    `<details><summary>${num(files.length)} mapping files and their digests</summary>`,
    '',
    ...files.map(
      (m) => `- ${code(m.file)} ${code(m.digest)}${m.decision ? ` (${escapeMarkdown(m.decision)})` : ''}`,
    ),
    '',
    '</details>',
    '',
  ]
}

/** A GitHub alert with the first 20 warnings. */
function warningLines(warnings: string[]): string[] {
  if (warnings.length === 0) return []
  const lines = [`> [!WARNING]`, `> ${counted(warnings.length, 'warning')}:`]
  for (const w of warnings.slice(0, 20)) lines.push(`> - ${escapeMarkdown(truncate(clean(w), 300))}`)
  if (warnings.length > 20) lines.push(`> - … and ${num(warnings.length - 20)} more (see the plan file)`)
  lines.push('')
  return lines
}

const UNIT_TABLE_END = '\n</details>\n'.length + 60

/** The new units and the old units that form them, as many rows as fit in `budget` characters. */
function unitTable(groups: UnitGroup[], budget: number): {text: string; units: number} {
  // Collapsed: a province has dozens of new units, the nation thousands; the counts come first.
  let text =
    `<details><summary><b>New units</b> (${num(groups.length)})</summary>\n\n` +
    '| | New unit | Formed from | Changes |\n|:-:|---|---|--:|\n'
  let units = 0
  for (const g of groups) {
    const row = `| \`${unitChangeSign(g.unit)}\` | ${escapeMarkdown(unitTitle(g))} | ${escapeMarkdown(formatSources(g.unit)) || '—'} | ${num(g.count)} |\n`
    if (text.length + row.length + UNIT_TABLE_END > budget) break
    text += row
    units++
  }
  if (units < groups.length) text += `| | … ${num(groups.length - units)} more new units | | |\n`
  return {text: text + '\n</details>\n', units}
}

/** Each new unit's operations in a `<details>` block, as many units as fit in `room` characters. */
function changeDetails(
  groups: UnitGroup[],
  perKind: number,
  room: number,
): {text: string; units: number; ops: number} {
  let text = '#### Changes by new unit\n\n'
  let units = 0
  let ops = 0
  for (const g of groups) {
    if (g.count === 0) continue
    const {block, listed} = detailsBlock(g, perKind)
    if (text.length + block.length > room) break
    text += block
    units++
    ops += listed
  }
  return {text, units, ops}
}

/** What was left out, and where to see it. */
function footerLines(
  plan: SignedPlan,
  groups: UnitGroup[],
  shown: Shown,
  opts: {perKind: number; maxChars: number; file: string},
): string[] {
  const {perKind, maxChars, file} = opts
  const unitsWithOps = groups.filter((g) => g.count > 0).length
  const opsHidden = plan.operations.length - shown.opsListed
  const seeAll = code(`sapxep show ${file} --format html --out plan.html`)
  const parts: string[] = []
  if (shown.unitsInTable < groups.length)
    parts.push(
      `${num(groups.length - shown.unitsInTable)} of ${num(groups.length)} new units are not in the unit table`,
    )
  if (shown.unitsDetailed < unitsWithOps)
    parts.push(
      `${num(unitsWithOps - shown.unitsDetailed)} of ${num(unitsWithOps)} new units have no details here`,
    )
  if (opsHidden > 0)
    parts.push(`${num(opsHidden)} of ${num(plan.operations.length)} operations are not listed`)
  if (parts.length === 0) return ['---', `Every operation is listed above. Report page: ${seeAll}.`]
  return [
    '---',
    `**Not everything is shown.** ${parts.join('; ')} (at most ${perKind} per kind and unit, ` +
      `and this comment stays under ${num(maxChars)} characters). The counts above are complete. ` +
      `See everything: ${seeAll} ` +
      `or ${code(`sapxep show ${file} --full`)}.`,
  ]
}

function detailsBlock(g: UnitGroup, perKind: number): {block: string; listed: number} {
  const counts = {create: 0, change: 0, remove: 0}
  for (const [kind, ops] of g.byKind) counts[KIND_CLASS[kind] ?? 'change'] += ops.length
  const tally = [
    counts.create ? `${num(counts.create)} +` : '',
    counts.change ? `${num(counts.change)} ~` : '',
    counts.remove ? `${num(counts.remove)} −` : '',
  ]
    .filter(Boolean)
    .join(', ')
  const lines: string[] = []
  let listed = 0
  for (const [kind, ops] of g.byKind) {
    const shown = Math.min(ops.length, perKind)
    for (let i = 0; i < shown; i++) {
      const op = ops[i]
      const change = formatChange(op, 40, 160)
      lines.push(
        `${signOf(kind)} ${kind.padEnd(19)} ${formatKey(op.key)}${change ? '  ' + change : ''}${op.note ? `  (${clean(op.note)})` : ''}`,
      )
    }
    listed += shown
    if (ops.length > shown) lines.push(`  … and ${num(ops.length - shown)} more ${kind}`)
  }
  const summary = `<b>${escapeMarkdown(`${unitChangeSign(g.unit)} ${unitTitle(g)}`)}</b> · ${counted(g.count, 'change')} (${tally})`
  // A fence longer than any run of backticks in the body, so no line can close it.
  const runs = lines.join('\n').match(/`{3,}/g) ?? []
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)))
  const block = `<details><summary>${summary}</summary>\n\n${fence}diff\n${lines.join('\n')}\n${fence}\n\n</details>\n\n`
  return {block, listed}
}
