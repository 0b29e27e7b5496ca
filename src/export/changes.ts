import type {OpKind, Operation, SignedPlan} from '../plan/types.js'
import {OP_TABLE} from '../plan/types.js'
import type {Image, JournalEntry} from '../registry/export-reads.js'

/**
 * What an export hands off, in one shape whatever it comes from: a plan's operations (what it would
 * do), a run's journal (what it did), or a rolled-back run's journal read backwards (what undoing it
 * takes). Each change names a row, its kind (as the plan would have called it) and the images of the
 * columns it sets, `before` null for a row the change inserts.
 */
export interface Change {
  kind: OpKind
  table: string
  key: Record<string, string>
  before: Image | null
  after: Image
}

/** Where the changes come from, and whether the registry now holds their before- or after-state. */
export interface ChangeSet {
  source: {kind: 'plan'; digest: string} | {kind: 'run'; run: number; digest: string; rolledBack: boolean}
  /** True for a rolled-back run: the export carries the reverse of each change. */
  reverse: boolean
  /** Whether the registry holds the state before the changes (a plan, a rolled-back run) or after (an applied run). */
  registryHolds: 'before' | 'after'
  changes: Change[]
  /** The province whose mail domain and directory the export addresses. */
  province: {code: string; name: string} | null
}

export function changesOfPlan(plan: SignedPlan): ChangeSet {
  return {
    source: {kind: 'plan', digest: plan.digest},
    reverse: false,
    registryHolds: 'before',
    province: plan.province,
    changes: plan.operations.map((op: Operation) => ({
      kind: op.op,
      table: OP_TABLE[op.op],
      key: op.key,
      before: op.before ?? null,
      after: op.after,
    })),
  }
}

/**
 * The plan's kind of a journal entry. The journal records images, not kinds; each table's kinds differ
 * by insert versus update and by the status an update sets, which is what the planner's kinds mean.
 */
export function journalKind(entry: JournalEntry): OpKind | undefined {
  const inserted = entry.before === null
  const status = entry.after?.status
  switch (entry.table) {
    case 'units':
      return inserted ? 'unit.create' : status === 'retired' ? 'unit.retire' : 'unit.update'
    case 'agencies':
      return inserted ? 'agency.create' : status === 'retired' ? 'agency.retire' : 'agency.update'
    case 'identifier_codes':
      return inserted ? 'code.issue' : 'code.stop'
    case 'endpoints':
      return inserted
        ? 'endpoint.register'
        : status === 'unregistered'
          ? 'endpoint.unregister'
          : 'endpoint.update'
    case 'accounts':
      return inserted ? 'account.create' : status === 'disabled' ? 'account.disable' : 'account.reassign'
    case 'mailboxes':
      return inserted ? 'mailbox.create' : status === 'suspended' ? 'mailbox.suspend' : 'mailbox.update'
    case 'mailbox_aliases':
      return 'alias.create'
    default:
      return undefined // unit_history, unit_successors: not handed off
  }
}

export function changesOfRun(
  run: {id: number; plan_digest: string; status: 'applied' | 'rolled_back'},
  entries: readonly JournalEntry[],
  province: {code: string; name: string} | null,
): ChangeSet {
  const rolledBack = run.status === 'rolled_back'
  const changes: Change[] = []
  for (const e of entries) {
    const kind = journalKind(e)
    if (kind && e.after) changes.push({kind, table: e.table, key: e.key, before: e.before, after: e.after})
  }
  return {
    source: {kind: 'run', run: run.id, digest: run.plan_digest, rolledBack},
    reverse: rolledBack,
    registryHolds: rolledBack ? 'before' : 'after',
    province,
    changes,
  }
}

/** Changes per kind, in the set's order. */
export function changesByKind(set: ChangeSet): Map<OpKind, Change[]> {
  const out = new Map<OpKind, Change[]>()
  for (const c of set.changes) {
    const list = out.get(c.kind)
    if (list) list.push(c)
    else out.set(c.kind, [c])
  }
  return out
}
