/**
 * The plan: a pure value computed from a mapping and a registry snapshot, saved as canonical JSON and
 * bound to both by digests. Every operation names one row by its natural key and carries the values the
 * row has before and after; the executor turns each kind into one set-based statement.
 */

import type {ResolvedMapping} from '../mapping/model.js'
import type {ExtraReads, Fingerprint} from '../registry/fingerprint.js'

export type {Fingerprint}

export const PLAN_FORMAT_VERSION = 'sapxep.plan/2'

/** Operation kinds in the order they are applied (parents before children, creates before references). */
export const OP_KINDS = [
  'unit.create',
  'unit.update',
  'unit.retire',
  'agency.create',
  'agency.update',
  'agency.retire',
  'code.stop',
  'code.issue',
  'endpoint.unregister',
  'endpoint.update',
  'endpoint.register',
  'account.create',
  'account.reassign',
  'account.disable',
  'mailbox.create',
  'mailbox.update',
  'mailbox.suspend',
  'alias.create',
] as const
export type OpKind = (typeof OP_KINDS)[number]

/** The registry table each kind writes (unit.update and unit.retire also write unit_history / unit_successors). */
export const OP_TABLE: Record<OpKind, string> = {
  'unit.create': 'units',
  'unit.update': 'units',
  'unit.retire': 'units',
  'agency.create': 'agencies',
  'agency.update': 'agencies',
  'agency.retire': 'agencies',
  'code.stop': 'identifier_codes',
  'code.issue': 'identifier_codes',
  'endpoint.unregister': 'endpoints',
  'endpoint.update': 'endpoints',
  'endpoint.register': 'endpoints',
  'account.create': 'accounts',
  'account.reassign': 'accounts',
  'account.disable': 'accounts',
  'mailbox.create': 'mailboxes',
  'mailbox.update': 'mailboxes',
  'mailbox.suspend': 'mailboxes',
  'alias.create': 'mailbox_aliases',
}

export type Row = Record<string, string | number | boolean | null>

export interface Operation {
  op: OpKind
  /** Natural key of the row: {code} for units and identifier codes, {id} for agencies, {system, username}, {address}, {alias}, {axis, agency_code}. */
  key: Record<string, string>
  /** The new unit this change belongs to (for grouping in the diff). */
  unit: string
  /** Values of the changed columns before (absent for creates). */
  before?: Row
  /** Values of the changed columns after (whole row for creates). */
  after: Row
  /** Why, in a few words, when it is not obvious from the values (policy, conflict rule, collision). */
  note?: string
}

export interface PlanUnitSummary {
  code: string
  name: string
  type: string
  level: 1 | 2 | 3
  /** Old units that form this unit: code, name, whole or part. */
  sources: Array<{code: string; name: string; share: 'whole' | 'part'; isDefault: boolean}>
  change: 'create' | 'update' | 'keep'
}

export interface PlanSummary {
  operations: number
  byKind: Partial<Record<OpKind, number>>
  /** Account operations per system and kind. */
  accountsBySystem: Record<string, Partial<Record<OpKind, number>>>
  /** Rows each table will have inserted or updated (what --dry-run must report). */
  rowsByTable: Record<string, number>
  units: {created: number; renamed: number; retyped: number; reparented: number; retired: number}
}

/**
 * What the planner looked up beyond the units of its mappings, kept so that apply can fingerprint exactly
 * the same rows again without planning again: the level-1 codes whose identifier codes it read, the
 * usernames (`system/username`) and addresses it might have chosen, and the accounts whose personal
 * mailboxes it read (`system/username`). Each list sorted.
 */
export type PlanReads = ExtraReads

/** One mapping file the plan was made from; `resolved` lets apply re-read exactly the same rows. */
export interface PlanMappingRef {
  file: string
  digest: string
  decision: {number: string; effective: string; title?: string; official: boolean}
  province: {code: string; name: string} | null
  resolved: ResolvedMapping
}

export interface Plan {
  format_version: typeof PLAN_FORMAT_VERSION
  tool: {name: 'sapxep'; version: string}
  /** The mapping (or, for a plan over several files, a summary of them). */
  mapping: {
    file: string
    digest: string
    decision: {number: string; effective: string; title?: string; official: boolean}
  }
  province: {code: string; name: string} | null
  mappings: PlanMappingRef[]
  fingerprint: Fingerprint
  reads: PlanReads
  units: PlanUnitSummary[]
  warnings: string[]
  summary: PlanSummary
  operations: Operation[]
}

/** A plan as saved: the body plus its digest, and reviewers' signatures (outside the digest). */
export interface SignedPlan extends Plan {
  digest: string
  approvals?: Approval[]
}

/**
 * A plan's operations as apply reads them from a file sapxep wrote: kind by kind in apply order, each
 * kind parsed only when the iteration reaches it (while the database writes the kind before).
 */
export interface OperationStream {
  readonly count: number
  kinds(): Iterator<[OpKind, Operation[]]>
}

/** A signed plan whose operations are streamed from its file (see readPlanFile's `stream`). */
export type StreamedPlan = Omit<SignedPlan, 'operations'> & {operations: OperationStream}

export interface Approval {
  /** Who signed: the key's fingerprint (sha256 of the public key, DER). */
  key: string
  /** PEM of the public key, so a reader can see which key it is; trust comes from --trusted-keys. */
  public_key: string
  /** Ed25519 signature over the UTF-8 bytes of the plan digest string, base64. */
  signature: string
  signed_at: string
  signer?: string
}
