/**
 * What every renderer shares: the sign of each kind, compact key and before → after strings, grouping
 * by new unit, split-unit detection and the fair selection of rows when a plan is too large to list.
 * Pure: no I/O. Names in a plan come from files and registries and may be hostile; every function that
 * returns display text strips control characters (terminal escapes, newlines) first.
 */
import {
  OP_KINDS,
  type OpKind,
  type Operation,
  type Plan,
  type PlanSummary,
  type PlanUnitSummary,
  type Row,
  type SignedPlan,
} from '../types.js'

export type ChangeClass = 'create' | 'change' | 'remove'

/** `+` create/issue/register, `~` update/reassign, `-` retire/disable/stop/unregister/suspend. */
export const KIND_CLASS: Record<OpKind, ChangeClass> = {
  'unit.create': 'create',
  'unit.update': 'change',
  'unit.retire': 'remove',
  'agency.create': 'create',
  'agency.update': 'change',
  'agency.retire': 'remove',
  'code.stop': 'remove',
  'code.issue': 'create',
  'endpoint.unregister': 'remove',
  'endpoint.update': 'change',
  'endpoint.register': 'create',
  'account.create': 'create',
  'account.reassign': 'change',
  'account.disable': 'remove',
  'mailbox.create': 'create',
  'mailbox.update': 'change',
  'mailbox.suspend': 'remove',
  'alias.create': 'create',
}

export const SIGN: Record<ChangeClass, string> = {create: '+', change: '~', remove: '-'}

export const signOf = (kind: OpKind): string => SIGN[KIND_CLASS[kind]] ?? '?'

/** Kind order for display: the plan's own apply order; unknown kinds (a newer plan) go last. */
export function kindRank(kind: string): number {
  const i = (OP_KINDS as readonly string[]).indexOf(kind)
  return i < 0 ? OP_KINDS.length : i
}

// C0/C1 controls (ESC starts terminal escapes), line and paragraph separators, bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g

/** One line of display text: control characters become a space, so nothing can start a new line or an escape. */
export function clean(value: unknown): string {
  return String(value ?? '').replace(UNSAFE, ' ')
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, Math.max(0, max - 1)) + '…'
}

export const num = (n: number): string => n.toLocaleString('en-US')

/** Key columns in the order a reader expects (`dvc/username`, `provincial/000.01.21.H40`). */
const KEY_ORDER = ['system', 'axis', 'code', 'id', 'username', 'agency_code', 'address', 'alias']

export function formatKey(key: Record<string, string>): string {
  const cols = Object.keys(key ?? {}).sort((a, b) => {
    const ra = KEY_ORDER.indexOf(a)
    const rb = KEY_ORDER.indexOf(b)
    return (ra < 0 ? 99 : ra) - (rb < 0 ? 99 : rb) || (a < b ? -1 : a > b ? 1 : 0)
  })
  return clean(cols.map((c) => key[c]).join('/'))
}

function formatValue(v: Row[string] | undefined, max: number): string {
  if (v === null || v === undefined) return 'null'
  if (v === '') return '""'
  return truncate(clean(v), max)
}

/** Columns shown whole, however long: why an account is disabled is what a reviewer reads it for. */
const WHOLE_COLUMNS = new Set(['reason'])

/**
 * Before → after, compactly: only the columns whose value changes (`agency_id: ubnd-13633 → ubnd-13669`);
 * for a create, the new row's columns other than its key (`holder: …, role: …`). Values are cut at
 * `maxValue` and the whole at `maxTotal`, except the columns in WHOLE_COLUMNS, which come last and whole.
 */
export function formatChange(op: Operation, maxValue = 60, maxTotal = 240): string {
  const after = op.after ?? {}
  const keyCols = new Set(Object.keys(op.key ?? {}))
  const parts: string[] = []
  const whole: string[] = []
  const value = (col: string, v: Row[string] | undefined) =>
    formatValue(v, WHOLE_COLUMNS.has(col) ? Infinity : maxValue)
  const add = (col: string, text: string) => (WHOLE_COLUMNS.has(col) ? whole : parts).push(text)
  // Columns in code-point order, the plan file's (canonical) order: a plan just made and the same plan
  // read back from its file render alike.
  const cols = Object.keys(after).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (op.before === undefined || op.before === null) {
    for (const col of cols) {
      if (keyCols.has(col) || after[col] === null) continue
      add(col, `${clean(col)}: ${value(col, after[col])}`)
    }
  } else {
    const before = op.before
    for (const col of cols) {
      if (col in before && before[col] === after[col]) continue
      const from = col in before ? value(col, before[col]) + ' ' : ''
      add(col, `${clean(col)}: ${from}→ ${value(col, after[col])}`)
    }
  }
  return [truncate(parts.join(', '), maxTotal), ...whole].filter(Boolean).join(', ')
}

/** The account system of an operation, or '' when it is not an account. */
export function systemOf(op: Operation): string {
  return op.op.startsWith('account.') ? clean(op.key?.system ?? op.after?.system ?? '') : ''
}

export interface UnitGroup {
  /** The new unit; a placeholder when operations name a unit the plan's unit list does not describe. */
  unit: PlanUnitSummary
  described: boolean
  /** Operations of this unit by kind, kinds in apply order. */
  byKind: Array<[OpKind, Operation[]]>
  count: number
}

/**
 * Operations grouped by the new unit they belong to, in the order of `plan.units` (then undescribed units
 * by code). Units with no operation are kept only when the unit itself changes.
 */
export function groupByUnit(plan: Plan): UnitGroup[] {
  const buckets = new Map<string, Map<OpKind, Operation[]>>()
  for (const op of plan.operations) {
    let kinds = buckets.get(op.unit)
    if (!kinds) buckets.set(op.unit, (kinds = new Map()))
    let list = kinds.get(op.op)
    if (!list) kinds.set(op.op, (list = []))
    list.push(op)
  }
  const groups: UnitGroup[] = []
  const make = (unit: PlanUnitSummary, described: boolean): UnitGroup => {
    const kinds = buckets.get(unit.code) ?? new Map<OpKind, Operation[]>()
    const byKind = [...kinds.entries()].sort((a, b) => kindRank(a[0]) - kindRank(b[0]))
    return {unit, described, byKind, count: byKind.reduce((n, [, ops]) => n + ops.length, 0)}
  }
  const seen = new Set<string>()
  for (const unit of plan.units) {
    if (seen.has(unit.code)) continue
    seen.add(unit.code)
    const g = make(unit, true)
    if (g.count > 0 || unit.change !== 'keep') groups.push(g)
  }
  const rest = [...buckets.keys()].filter((c) => !seen.has(c)).sort()
  for (const code of rest)
    groups.push(make({code, name: '', type: '', level: 3, sources: [], change: 'keep'}, false))
  return groups
}

/** Old unit codes whose parts went to more than one new unit → the new unit codes. */
export function splitSources(plan: Plan): Map<string, string[]> {
  const into = new Map<string, string[]>()
  for (const unit of plan.units)
    for (const s of unit.sources ?? []) {
      const list = into.get(s.code) ?? []
      if (!list.includes(unit.code)) list.push(unit.code)
      into.set(s.code, list)
    }
  for (const [code, list] of into) if (list.length < 2) into.delete(code)
  return into
}

export function unitChangeSign(unit: PlanUnitSummary): string {
  return unit.change === 'create' ? '+' : unit.change === 'update' ? '~' : '='
}

/** `13633 Phường Hạ Long, 13636 Phường Trần Tế Xương (part, default)`. */
export function formatSources(unit: PlanUnitSummary): string {
  return (unit.sources ?? [])
    .map((s) => {
      const tags = [s.share === 'part' ? 'part' : '', s.share === 'part' && s.isDefault ? 'default' : '']
        .filter(Boolean)
        .join(', ')
      return `${clean(s.code)} ${clean(s.name)}`.trim() + (tags ? ` (${tags})` : '')
    })
    .join(', ')
}

export function unitTitle(g: UnitGroup): string {
  return g.described
    ? `${clean(g.unit.code)} ${clean(g.unit.name)}`
    : `${clean(g.unit.code)} (not in the plan's unit list)`
}

/** Operation counts per change class. */
export function classCounts(plan: Plan): Record<ChangeClass, number> {
  const out: Record<ChangeClass, number> = {create: 0, change: 0, remove: 0}
  for (const [kind, n] of Object.entries(plan.summary?.byKind ?? {}))
    out[KIND_CLASS[kind as OpKind] ?? 'change'] += n ?? 0
  return out
}

/**
 * What every renderer's header states, with the placeholders for what an older or hand-edited plan may
 * lack. Raw text: each renderer cleans or escapes it.
 */
export interface PlanFacts {
  decision: string
  title?: string
  effective: string
  unofficial: boolean
  tool: {name: string; version: string}
  /** The summary's operation count. */
  operations: number
  /** New units. */
  units: number
  counts: Record<ChangeClass, number>
  /** Who approved: the signer's name, else the start of the key. */
  approvers: string[]
}

export function planFacts(plan: SignedPlan): PlanFacts {
  const d = plan.mapping?.decision
  return {
    decision: d?.number ?? '(no decision number)',
    title: d?.title,
    effective: d?.effective ?? '?',
    unofficial: !!d && !d.official,
    tool: {name: plan.tool?.name ?? 'sapxep', version: plan.tool?.version ?? '?'},
    operations: plan.summary?.operations ?? plan.operations.length,
    units: plan.units?.length ?? 0,
    counts: classCounts(plan),
    approvers: (plan.approvals ?? []).map((a) => a.signer ?? a.key.slice(0, 19)),
  }
}

/** `1 operation`, `2,345 operations`. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${num(n)} ${n === 1 ? one : many}`
}

/** Systems with account operations, sorted, and the account kinds among them in apply order. */
export function accountColumns(summary: PlanSummary | undefined): {systems: string[]; kinds: OpKind[]} {
  const bySystem = summary?.accountsBySystem ?? {}
  const systems = Object.keys(bySystem).sort()
  const kinds = [...new Set(systems.flatMap((x) => Object.keys(bySystem[x]) as OpKind[]))].sort(
    (a, b) => kindRank(a) - kindRank(b),
  )
  return {systems, kinds}
}

/** Kinds present in the summary, in apply order. */
export function summaryKinds(plan: Plan): OpKind[] {
  return (Object.keys(plan.summary?.byKind ?? {}) as OpKind[])
    .filter((k) => (plan.summary.byKind[k] ?? 0) > 0)
    .sort((a, b) => kindRank(a) - kindRank(b))
}

/**
 * The largest per-group quota q such that taking min(size, q) from every group stays within `budget`:
 * every unit and kind gets its share before any one of them gets more.
 */
export function fairQuota(sizes: number[], budget: number): number {
  const total = sizes.reduce((a, b) => a + b, 0)
  if (total <= budget) return Infinity
  let lo = 0
  let hi = sizes.reduce((m, s) => (s > m ? s : m), 0)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    let used = 0
    for (const s of sizes) used += Math.min(s, mid)
    if (used <= budget) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * How many to take from each group so that the total is exactly min(total, budget): the fair quota for
 * every group, and what remains of the budget one more each to the first groups that have more.
 */
export function fairShares(sizes: number[], budget: number): number[] {
  const q = fairQuota(sizes, budget)
  if (q === Infinity) return sizes.slice()
  const take = sizes.map((s) => Math.min(s, q))
  let left = budget - take.reduce((a, b) => a + b, 0)
  for (let i = 0; i < sizes.length && left > 0; i++)
    if (sizes[i] > take[i]) {
      take[i]++
      left--
    }
  return take
}

/** The mapping files a plan was made from, each with its digest and decision (one for most plans). */
export function mappingFiles(plan: Plan): Array<{file: string; digest: string; decision?: string}> {
  const refs = Array.isArray(plan.mappings) ? plan.mappings : []
  if (refs.length > 1)
    return refs.map((m) => ({
      file: clean(m.file),
      digest: clean(m.digest),
      decision: clean(m.decision?.number ?? ''),
    }))
  return [{file: clean(plan.mapping?.file ?? '?'), digest: clean(plan.mapping?.digest ?? '')}]
}
