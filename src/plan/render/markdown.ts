/**
 * A pull-request comment: the counts first, then the new units and the old units that form them, then
 * the operations of each new unit collapsed in `<details>`. GitHub rejects comments over 65,536
 * characters, so detail stops before `maxChars` and the comment ends by saying what it left out and how
 * to see everything.
 */
import type {OpKind, SignedPlan} from '../types.js'
import {
  type UnitGroup,
  KIND_CLASS,
  classCounts,
  clean,
  formatChange,
  formatKey,
  formatSources,
  groupByUnit,
  mappingFiles,
  kindRank,
  num,
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
  const file = opts.file ?? 'PLAN'
  const s = plan.summary
  const total = s?.operations ?? plan.operations.length
  const d = plan.mapping?.decision

  const head: string[] = []
  head.push(
    `### sapxep plan: ${escapeMarkdown(d?.number ?? '(no decision number)')}` +
      (plan.province
        ? ` · ${escapeMarkdown(plan.province.name)} (${escapeMarkdown(plan.province.code)})`
        : ''),
  )
  head.push('')
  const facts = [
    d?.title ? escapeMarkdown(d.title) : '',
    `effective ${escapeMarkdown(d?.effective ?? '?')}${d && !d.official ? ' (**not an official decision**)' : ''}`,
    `plan ${code(plan.digest)}`,
    ...mappingFiles(plan).map(
      (m) =>
        `mapping ${code(m.file)} ${code(m.digest)}${m.decision ? ` (${escapeMarkdown(m.decision)})` : ''}`,
    ),
    `${escapeMarkdown(plan.tool?.name ?? 'sapxep')} ${escapeMarkdown(plan.tool?.version ?? '?')}`,
  ].filter(Boolean)
  head.push(facts.join(' · '))
  head.push('')
  const k = classCounts(plan)
  head.push(
    total === 0
      ? '**No changes**: the registry already matches the mapping.'
      : `**${num(total)} ${total === 1 ? 'operation' : 'operations'}** in ${num(plan.units?.length ?? 0)} new ${(plan.units?.length ?? 0) === 1 ? 'unit' : 'units'}: ` +
          `${num(k.create)} to create (\`+\`), ${num(k.change)} to change (\`~\`), ${num(k.remove)} to disable or retire (\`-\`).`,
  )
  const approvals = plan.approvals ?? []
  if (approvals.length > 0)
    head.push(
      '',
      `Approvals: ${approvals.length} (${approvals.map((a) => escapeMarkdown(a.signer ?? a.key.slice(0, 19))).join(', ')}); ` +
        'signatures are verified by `apply --require-approvals`, not here.',
    )
  head.push('')

  // Summary: always complete.
  if (total > 0) {
    head.push('| | Change | Count |', '|:-:|---|--:|')
    for (const kind of summaryKinds(plan))
      head.push(`| \`${signOf(kind)}\` | ${kind} | ${num(s.byKind[kind] ?? 0)} |`)
    head.push(`| | **Total** | **${num(total)}** |`, '')
    const u = s.units
    if (u)
      head.push(
        `Units: ${num(u.created)} created · ${num(u.renamed)} renamed · ${num(u.retyped)} retyped · ` +
          `${num(u.reparented)} re-parented · ${num(u.retired)} retired`,
        '',
      )
    const systems = Object.keys(s.accountsBySystem ?? {}).sort()
    if (systems.length > 0) {
      const kinds = [...new Set(systems.flatMap((x) => Object.keys(s.accountsBySystem[x]) as OpKind[]))].sort(
        (a, b) => kindRank(a) - kindRank(b),
      )
      head.push(
        '**Accounts by system**',
        '',
        `| System | ${kinds.map((x) => `\`${signOf(x)}\` ${x.replace(/^account\./, '')}`).join(' | ')} |`,
        `|---|${kinds.map(() => '--:').join('|')}|`,
      )
      for (const sys of systems)
        head.push(
          `| ${escapeMarkdown(sys)} | ${kinds.map((x) => num(s.accountsBySystem[sys][x] ?? 0)).join(' | ')} |`,
        )
      head.push('')
    }
    const tables = Object.keys(s.rowsByTable ?? {}).sort()
    if (tables.length > 0)
      head.push(
        `**Rows by table** (what \`apply --dry-run\` must report): ` +
          tables.map((t) => `${escapeMarkdown(t)} ${num(s.rowsByTable[t])}`).join(' · '),
        '',
      )
  }
  const warnings = plan.warnings ?? []
  if (warnings.length > 0) {
    head.push(`> [!WARNING]`, `> ${num(warnings.length)} ${warnings.length === 1 ? 'warning' : 'warnings'}:`)
    for (const w of warnings.slice(0, 20)) head.push(`> - ${escapeMarkdown(truncate(clean(w), 300))}`)
    if (warnings.length > 20) head.push(`> - … and ${num(warnings.length - 20)} more (see the plan file)`)
    head.push('')
  }

  let out = head.join('\n') + '\n'
  const groups = groupByUnit(plan)
  let unitsInTable = 0
  let unitsDetailed = 0
  let opsListed = 0

  if (groups.length > 0) {
    // The unit table may use up to half of what is left when details follow, so some details always fit.
    const hasOps = plan.operations.length > 0
    const tableBudget = Math.floor((maxChars - out.length - FOOTER_RESERVE) * (hasOps ? 0.5 : 1))
    let table = '#### New units\n\n| | New unit | Formed from | Changes |\n|:-:|---|---|--:|\n'
    for (const g of groups) {
      const row = `| \`${unitChangeSign(g.unit)}\` | ${escapeMarkdown(unitTitle(g))} | ${escapeMarkdown(formatSources(g.unit)) || '—'} | ${num(g.count)} |\n`
      if (table.length + row.length > tableBudget) break
      table += row
      unitsInTable++
    }
    if (unitsInTable < groups.length)
      table += `| | … ${num(groups.length - unitsInTable)} more new units | | |\n`
    out += table + '\n'

    if (hasOps) {
      let details = '#### Changes by new unit\n\n'
      for (const g of groups) {
        if (g.count === 0) continue
        const {block, listed} = detailsBlock(g, perKind)
        if (out.length + details.length + block.length > maxChars - FOOTER_RESERVE) break
        details += block
        unitsDetailed++
        opsListed += listed
      }
      if (unitsDetailed > 0) out += details
    }
  }

  // What was left out, and where to see it.
  const unitsWithOps = groups.filter((g) => g.count > 0).length
  const opsHidden = plan.operations.length - opsListed
  const footer: string[] = ['---']
  if (unitsInTable < groups.length || unitsDetailed < unitsWithOps || opsHidden > 0) {
    const parts: string[] = []
    if (unitsInTable < groups.length)
      parts.push(
        `${num(groups.length - unitsInTable)} of ${num(groups.length)} new units are not in the unit table`,
      )
    if (unitsDetailed < unitsWithOps)
      parts.push(
        `${num(unitsWithOps - unitsDetailed)} of ${num(unitsWithOps)} new units have no details here`,
      )
    if (opsHidden > 0)
      parts.push(`${num(opsHidden)} of ${num(plan.operations.length)} operations are not listed`)
    footer.push(
      `**Not everything is shown.** ${parts.join('; ')} (at most ${perKind} per kind and unit, ` +
        `and this comment stays under ${num(maxChars)} characters). The counts above are complete. ` +
        `See everything: ${code(`sapxep show ${file} --format html --out plan.html`)} ` +
        `or ${code(`sapxep show ${file} --full`)}.`,
    )
  } else {
    footer.push(
      `Every operation is listed above. Report page: ${code(`sapxep show ${file} --format html --out plan.html`)}.`,
    )
  }
  out += footer.join('\n') + '\n'
  // The budget arithmetic above keeps this from happening; never post a comment GitHub would reject.
  if (out.length > maxChars) out = out.slice(0, maxChars - 80) + '\n\n**Cut at the comment size limit.**\n'
  return out
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
  const summary = `<b>${escapeMarkdown(`${unitChangeSign(g.unit)} ${unitTitle(g)}`)}</b> · ${num(g.count)} ${g.count === 1 ? 'change' : 'changes'} (${tally})`
  // A fence longer than any run of backticks in the body, so no line can close it.
  const runs = lines.join('\n').match(/`{3,}/g) ?? []
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)))
  const block = `<details><summary>${summary}</summary>\n\n${fence}diff\n${lines.join('\n')}\n${fence}\n\n</details>\n\n`
  return {block, listed}
}
