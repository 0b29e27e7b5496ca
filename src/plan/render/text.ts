/**
 * The terminal diff: a header, then each new unit with the old units that form it and its operations
 * (`+` create, `~` change, `-` disable/retire), then counts. At national scale each unit lists at most
 * `limit` operations per kind and says how many more there are; `full` lists everything.
 */
import type {ChalkInstance} from 'chalk'
import type {OpKind, SignedPlan} from '../types.js'
import {
  KIND_CLASS,
  type ChangeClass,
  clean,
  counted,
  fairQuota,
  formatChange,
  formatKey,
  formatSources,
  groupByUnit,
  mappingFiles,
  kindRank,
  num,
  planFacts,
  signOf,
  summaryKinds,
  unitChangeSign,
  unitTitle,
} from './common.js'

export interface TextOptions {
  chalk: ChalkInstance
  /** List every operation (default: at most `limit` per kind and unit). */
  full?: boolean
  /** Operations listed per kind and unit at most (default 20). */
  limit?: number
  /**
   * Operations listed in all at most (default 20,000): a national plan lowers the per-kind limit evenly
   * so that every unit still shows each of its kinds, and the diff stays a few megabytes.
   */
  budget?: number
  /** The plan's path, for the hints printed at the end. */
  file?: string
  /** One line per new unit with its counts, no operations (a terminal's first look at a large plan). */
  unitsOnly?: boolean
}

export const TEXT_LIMIT_PER_KIND = 20
export const TEXT_BUDGET = 20_000
const KIND_WIDTH = Math.max(...Object.keys(KIND_CLASS).map((k) => k.length))

/** The diff line by line (the show command streams it; a --full national plan is ~100 MB of text). */
export function* renderTextLines(plan: SignedPlan, opts: TextOptions): Generator<string> {
  const c = opts.chalk
  const groups = groupByUnit(plan)
  let limit = opts.unitsOnly ? 0 : Infinity
  if (!opts.full && !opts.unitsOnly) {
    const sizes: number[] = []
    for (const g of groups) for (const [, ops] of g.byKind) sizes.push(ops.length)
    limit = Math.max(
      1,
      Math.min(opts.limit ?? TEXT_LIMIT_PER_KIND, fairQuota(sizes, opts.budget ?? TEXT_BUDGET)),
    )
  }
  const paint: Record<ChangeClass | 'keep', (s: string) => string> = {
    create: c.green,
    change: c.yellow,
    remove: c.red,
    keep: (s) => s,
  }
  const byUnitSign: Record<string, ChangeClass | 'keep'> = {'+': 'create', '~': 'change', '=': 'keep'}

  yield* header(plan, c)

  let listed = 0
  if (opts.unitsOnly) yield ''
  for (const g of groups) {
    const sign = unitChangeSign(g.unit)
    const sources = formatSources(g.unit)
    if (!opts.unitsOnly) yield '' // a unit's operations, then a blank line; the one-line units go together
    yield (
      paint[byUnitSign[sign]](c.bold(`${sign} ${unitTitle(g)}`)) +
      (sources ? `  ← ${sources}` : '') +
      c.dim(`  · ${counted(g.count, 'change')}`) +
      (opts.unitsOnly ? c.dim(unitTally(g.byKind)) : '')
    )
    if (opts.unitsOnly) continue
    for (const [kind, ops] of g.byKind) {
      const color = paint[KIND_CLASS[kind] ?? 'change']
      const shown = Math.min(ops.length, limit)
      for (let i = 0; i < shown; i++) {
        const op = ops[i]
        const change = formatChange(op)
        const note = op.note ? c.dim(`  (${clean(op.note)})`) : ''
        yield `    ${color(`${signOf(kind)} ${kind.padEnd(KIND_WIDTH)}`)}  ${formatKey(op.key)}${change ? '  ' + change : ''}${note}`
      }
      listed += shown
      if (ops.length > shown) yield c.dim(`    … and ${num(ops.length - shown)} more ${kind}`)
    }
  }

  yield* footer(plan, c, listed, limit, opts.file ?? 'PLAN')
}

/** ` (6 to create, 30 to change, 5 to disable or retire)` of one unit's operations. */
function unitTally(byKind: Array<[OpKind, unknown[]]>): string {
  const n: Record<ChangeClass, number> = {create: 0, change: 0, remove: 0}
  for (const [kind, ops] of byKind) n[KIND_CLASS[kind] ?? 'change'] += ops.length
  const parts = [
    n.create ? `${num(n.create)} to create` : '',
    n.change ? `${num(n.change)} to change` : '',
    n.remove ? `${num(n.remove)} to disable or retire` : '',
  ].filter(Boolean)
  return parts.length > 0 ? ` (${parts.join(', ')})` : ''
}

/** Terraform's closing line: `Plan: 6 to create, 30 to change, 10 to disable or retire.` */
export function planClosingLine(plan: SignedPlan): string {
  const k = planFacts(plan).counts
  return `Plan: ${num(k.create)} to create, ${num(k.change)} to change, ${num(k.remove)} to disable or retire.`
}

export function renderText(plan: SignedPlan, opts: TextOptions): string {
  let out = ''
  for (const line of renderTextLines(plan, opts)) out += line + '\n'
  return out
}

function* header(plan: SignedPlan, c: ChalkInstance): Generator<string> {
  const f = planFacts(plan)
  const title = f.title ? ` — ${clean(f.title)}` : ''
  yield c.bold(`Plan for ${clean(f.decision)}${title}`)
  yield `  effective  ${clean(f.effective)}${f.unofficial ? c.yellow('  (not an official decision)') : ''}`
  if (plan.province) yield `  province   ${clean(plan.province.code)} ${clean(plan.province.name)}`
  const files = mappingFiles(plan)
  if (files.length === 1) yield `  mapping    ${files[0].file}  ${files[0].digest}`
  else {
    yield `  mappings   ${files.length} files, together ${clean(plan.mapping?.digest ?? '')}`
    for (const m of files) yield `    ${m.file}  ${m.digest}${m.decision ? `  (${m.decision})` : ''}`
  }
  yield `  plan       ${clean(plan.digest)}  (${clean(f.tool.name)} ${clean(f.tool.version)}, ${clean(plan.format_version)})`
  const k = f.counts
  yield (
    `  changes    ${counted(f.operations, 'operation')} in ${counted(f.units, 'new unit', 'new units')}: ` +
    `${c.green(`${num(k.create)} to create`)}, ${c.yellow(`${num(k.change)} to change`)}, ` +
    c.red(`${num(k.remove)} to disable or retire`)
  )
  if (f.approvers.length > 0) {
    const who = f.approvers.map(clean).join(', ')
    yield `  approvals  ${f.approvers.length} (${who}; not verified here: apply --require-approvals checks them)`
  }
  const warnings = plan.warnings ?? []
  if (warnings.length > 0) {
    yield c.yellow(`  warnings   ${num(warnings.length)}`)
    for (const w of warnings.slice(0, 50)) yield c.yellow(`    ! ${clean(w)}`)
    if (warnings.length > 50)
      yield c.yellow(`    … and ${num(warnings.length - 50)} more warnings (--format json lists them)`)
  }
  if (f.operations === 0) {
    yield ''
    yield 'No changes: the registry already matches the mapping.'
  }
}

function* footer(
  plan: SignedPlan,
  c: ChalkInstance,
  listed: number,
  limit: number,
  file: string,
): Generator<string> {
  const s = plan.summary
  const total = s?.operations ?? plan.operations.length
  if (total === 0) return
  const paint = {create: c.green, change: c.yellow, remove: c.red}
  yield ''
  yield c.bold(`Summary: ${num(total)} operations`)
  const kinds = summaryKinds(plan)
  const width = Math.max(...kinds.map((k) => num(s.byKind[k] ?? 0).length))
  for (const kind of kinds)
    yield `  ${paint[KIND_CLASS[kind] ?? 'change'](`${signOf(kind)} ${kind.padEnd(KIND_WIDTH)}`)}  ${num(s.byKind[kind] ?? 0).padStart(width)}`
  const u = s.units
  if (u)
    yield `  units: ${num(u.created)} created, ${num(u.renamed)} renamed, ${num(u.retyped)} retyped, ${num(u.reparented)} re-parented, ${num(u.retired)} retired`
  const systems = Object.keys(s.accountsBySystem ?? {}).sort()
  if (systems.length > 0) {
    yield c.bold('Accounts by system')
    const sw = Math.max(...systems.map((x) => clean(x).length))
    for (const sys of systems) {
      const per = s.accountsBySystem[sys]
      const parts = (Object.keys(per) as OpKind[])
        .sort((a, b) => kindRank(a) - kindRank(b))
        .map((k) => `${k.replace(/^account\./, '')} ${num(per[k] ?? 0)}`)
      yield `  ${clean(sys).padEnd(sw)}  ${parts.join(' · ')}`
    }
  }
  const tables = Object.keys(s.rowsByTable ?? {}).sort()
  if (tables.length > 0) {
    yield c.bold('Rows by table')
    const tw = Math.max(...tables.map((x) => clean(x).length))
    const nw = Math.max(...tables.map((t) => num(s.rowsByTable[t]).length))
    for (const t of tables) yield `  ${clean(t).padEnd(tw)}  ${num(s.rowsByTable[t]).padStart(nw)}`
  }
  const hidden = plan.operations.length - listed
  if (hidden > 0 && limit === 0) {
    yield ''
    yield c.dim(
      `Operations not listed: see every one with sapxep show ${clean(file)} --full (or plan --full), or --format html.`,
    )
  } else if (hidden > 0) {
    yield ''
    yield c.dim(
      `Listed at most ${limit} ${limit === 1 ? 'operation' : 'operations'} per kind and unit: ${num(hidden)} of ${num(plan.operations.length)} not listed. ` +
        `See them all: sapxep show ${clean(file)} --full, or --format html.`,
    )
  }
  yield ''
  yield c.bold(planClosingLine(plan))
}
