import type {ResolvedMapping, ResolvedUnit} from '../../mapping/model.js'
import type {AgencyRec, MailboxRec, Snapshot, UnitRec} from '../../registry/snapshot.js'
import type {Operation, Row} from '../types.js'

/** Lookups the planner wants answered before it can allocate names (phase two of the snapshot). */
export interface Candidates {
  usernames: Array<[string, string]>
  addresses: string[]
}

export interface PlanOptions {
  /** Report `expect` mismatches as warnings instead of refusing to plan. */
  ignoreExpect?: boolean
}

/**
 * What every phase of planning one mapping shares: the inputs, the decision's date and reason, and the
 * outputs each phase adds to (operations, warnings, errors, names to look up).
 */
export interface PlanContext {
  mapping: ResolvedMapping
  snapshot: Snapshot
  opts: PlanOptions
  /** The province the mapping is about (after the change), when it names one. */
  province: string | null
  effective: string
  /** Why accounts are disabled: the decision and the day it takes effect. */
  reason: string
  ops: Operation[]
  warnings: string[]
  /** Problems that make the plan impossible (expect counts, no level-1 code…). */
  errors: string[]
  candidates: Candidates
}

export function planContext(mapping: ResolvedMapping, snapshot: Snapshot, opts: PlanOptions): PlanContext {
  const effective = mapping.decision.effective
  return {
    mapping,
    snapshot,
    opts,
    province: mapping.province?.code ?? null,
    effective,
    reason: `${mapping.decision.number} (in force ${effective})`,
    ops: [],
    warnings: [],
    errors: [],
    candidates: {usernames: [], addresses: []},
  }
}

export interface Successor {
  code: string
  isDefault: boolean
}

/** What the units phase decides: the units after the change and where each retired unit goes. */
export interface UnitPlan {
  before: Map<string, UnitRec>
  /** Active units after the plan. */
  after: Map<string, UnitRec>
  /** The mapping's units, in code order. */
  entries: ResolvedUnit[]
  /** Old or new code → the new unit its changes are grouped under in the diff. */
  ownerOf: Map<string, string>
  /** Retired code → its successors (default first). */
  successors: Map<string, Successor[]>
  /** Level-2/3 units whose agencies, codes and mail are computed again. */
  formed: Set<string>
}

/** An agency as it will be after the plan, in a formed unit or the province. */
export interface AgencyAfter {
  id: string
  unit: string
  kind: string
  name: string
  parent_id: string | null
  identifier_code: string | null
  /** The agency it is created from (for a new unit), or itself. */
  template: AgencyRec | null
  created: boolean
}

/** What the agencies phase decides. */
export interface AgencyPlan {
  before: Map<string, AgencyRec>
  /** Active after the plan, in formed units and the province. */
  after: Map<string, AgencyAfter>
  /** Retiring agency → where its accounts go (null: nowhere, they are disabled). */
  successor: Map<string, string | null>
  /** An agency's successor, followed through chains. */
  resolve(id: string | null): string | null
  /** The new unit an agency's changes are grouped under. */
  unitOf(id: string): string
}

/** Official mail after the plan: each agency's address, and the mailboxes to create. */
export interface MailPlan {
  /** The active official mailbox of each agency, before. */
  officialOf: Map<string, MailboxRec>
  /** Agency → its official address after. */
  addressAfter: Map<string, string>
  newMailboxes: Array<{
    agency: AgencyAfter
    address: string
    replaces: MailboxRec | null
  }>
}

/** The columns among `fields` whose values differ, before and after; null when none does. */
export function diff(before: Row, after: Row, fields: string[]): {before: Row; after: Row} | null {
  const b: Row = {}
  const a: Row = {}
  for (const f of fields)
    if ((before[f] ?? null) !== (after[f] ?? null)) {
      b[f] = before[f] ?? null
      a[f] = after[f] ?? null
    }
  return Object.keys(a).length > 0 ? {before: b, after: a} : null
}

export {byCodePoint as cmp, groupBy} from '../../collections.js'

export const addMonths = (isoDate: string, months: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.toISOString().slice(0, 10)
}
