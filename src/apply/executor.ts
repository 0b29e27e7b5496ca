import {SapxepError} from '../errors.js'
import {requireApprovals} from '../plan/approvals.js'
import {checkPlanDigest} from '../plan/file.js'
import {operationsByKind} from '../plan/order.js'
import {OP_TABLE, type OpKind, type Operation, type SignedPlan, type StreamedPlan} from '../plan/types.js'
import type {Registry} from '../registry/db.js'
import {finishRun, findAppliedRun, startRun} from '../registry/runs.js'
import {query} from '../registry/sql.js'
import {writeTransaction} from '../registry/write.js'
import {stopIfInterrupted} from './interrupt.js'
import {checkFresh} from './stale.js'
import {onSharedSnapshot} from '../registry/snapshot.js'
import {applyKind, type StatementContext} from './statements.js'
import {planScope} from './verify.js'

export type ApplyEvent =
  | {type: 'step'; step: 'lock' | 'check' | 'commit' | 'rollback'; title: string}
  | {type: 'kind'; kind: OpKind; rows: number}
  | {type: 'kind-done'; kind: OpKind; rows: number; ms: number}

export interface ApplyOptions {
  dryRun?: boolean
  lockTimeoutSeconds?: number
  onEvent?: (event: ApplyEvent) => void
  /** Aborting (Ctrl-C) rolls the transaction back at the next statement boundary. */
  signal?: AbortSignal
  /** Refuse the plan unless it carries this many valid signatures by keys in this directory. */
  approvals?: {required: number; trustedKeysDir: string}
}

export interface ApplyResult {
  status: 'applied' | 'dry-run' | 'already-applied'
  run: number | null
  digest: string
  /** Rows written per table; for a dry run, what was written and then rolled back. */
  touched: Record<string, number>
  operations: number
  seconds: number
}

/**
 * Apply a plan, if it may be: its body must hash to its digest (exit 6), it must carry the approvals
 * asked for (exit 6), and it must have been made from the registry as it is (exit 5, checked inside the
 * transaction).
 */
export async function applyPlan(
  registry: Registry,
  plan: SignedPlan | StreamedPlan,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  checkPlanDigest(plan)
  if (opts.approvals) requireApprovals(plan, opts.approvals.required, opts.approvals.trustedKeysDir)
  return execute(registry, plan, opts)
}

/**
 * The one place that writes a plan into the registry: lock, freshness check, every operation kind as
 * set-based statements with before-images journaled, and the run recorded — all in ONE transaction, so
 * the registry is either fully migrated or untouched. A dry run takes the same path and rolls back.
 */
async function execute(
  registry: Registry,
  plan: SignedPlan | StreamedPlan,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const started = Date.now()
  const emit = opts.onEvent ?? (() => {})
  const touched: Record<string, number> = {}
  const interrupted = () => stopIfInterrupted(opts.signal)
  emit({type: 'step', step: 'lock', title: 'Taking the registry write lock'})
  const outcome = await writeTransaction<{already: number} | {run: number}>(registry, opts, async (trx) => {
    const already = await findAppliedRun(trx, plan.digest)
    if (already) return {already: already.id}
    emit({type: 'step', step: 'check', title: 'Checking the registry has not changed since the plan'})
    // On a server the freshness check runs on a second connection, in the snapshot this transaction
    // sees now (the lock taken, nothing written), while the writes go on: the server works on two cores,
    // and nothing commits before the check has passed. The embedded engine checks first, as one connection.
    const shared = await onSharedSnapshot(registry.db, trx, (other) => checkFresh(other, plan))
    if (!shared) await checkFresh(trx, plan)
    const fresh = shared?.result ?? Promise.resolve()
    try {
      const run = await startRun(trx, {
        planDigest: plan.digest,
        mapping: plan.mapping.file,
        mappingDigest: plan.mapping.digest,
      })
      const ctx: StatementContext = {trx, runId: run, seq: {next: 1}, touched}
      const seen = new Map<string, Set<string>>()
      const kinds = Array.isArray(plan.operations)
        ? operationsByKind(plan.operations).entries()
        : plan.operations.kinds()
      // Each kind's statements go out before the next kind is read (parsed from the plan file when
      // streamed): this process prepares the next kind while the database writes this one.
      let next = kinds.next()
      while (!next.done) {
        const [kind, ops] = next.value
        refuseRowsTouchedTwice(ops, seen)
        await interrupted()
        emit({type: 'kind', kind, rows: ops.length})
        const t0 = Date.now()
        const writing = applyKind(ctx, kind, ops)
        writing.catch(() => {})
        await new Promise((resolve) => setImmediate(resolve))
        next = kinds.next()
        await writing
        emit({type: 'kind-done', kind, rows: ops.length, ms: Date.now() - t0})
      }
      await fresh
      await interrupted()
      await finishRun(trx, run, {
        operations: operationCount(plan),
        rows: sortKeys(touched),
        scope: planScope(plan),
      })
      // A million journal rows just arrived: without fresh statistics verify and rollback get row-by-row plans.
      await query(trx, 'analyze journal')
      emit(
        opts.dryRun
          ? {type: 'step', step: 'rollback', title: 'Dry run: rolling everything back'}
          : {type: 'step', step: 'commit', title: 'Committing'},
      )
      return {run}
    } catch (err) {
      // A registry changed since the plan explains a failed write best (a before-check, a taken key).
      if (!opts.signal?.aborted) await fresh
      throw err
    }
  })
  const seconds = (Date.now() - started) / 1000
  if ('already' in outcome)
    return {
      status: 'already-applied',
      run: outcome.already,
      digest: plan.digest,
      touched: {},
      operations: 0,
      seconds,
    }
  return {
    status: opts.dryRun ? 'dry-run' : 'applied',
    run: opts.dryRun ? null : outcome.run,
    digest: plan.digest,
    touched: sortKeys(touched),
    operations: operationCount(plan),
    seconds,
  }
}

const operationCount = (plan: SignedPlan | StreamedPlan): number =>
  Array.isArray(plan.operations) ? plan.operations.length : plan.operations.count

/**
 * A row is the subject of at most one operation: the journal keeps one entry per row and run, which
 * rollback and verify rely on. A plan that says otherwise is refused (kind by kind, each before it is
 * written; `seen` carries the rows of the kinds before).
 */
function refuseRowsTouchedTwice(operations: Operation[], seen: Map<string, Set<string>>): void {
  for (const op of operations) {
    const table = OP_TABLE[op.op]
    let keys = seen.get(table)
    if (!keys) seen.set(table, (keys = new Set()))
    const key = Object.values(op.key).join('\u0000')
    if (keys.has(key))
      throw new SapxepError(
        `the plan changes ${table} ${Object.values(op.key).join('/')} twice; this sapxep cannot apply it. Make a new plan.`,
      )
    keys.add(key)
  }
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)))
}
