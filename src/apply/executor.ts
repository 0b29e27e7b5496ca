import os from 'node:os'
import {SapxepError} from '../errors.js'
import {operationsByKind} from '../plan/plan.js'
import {OP_TABLE, type OpKind, type Operation, type SignedPlan} from '../plan/types.js'
import {useBulkMemory, type Registry} from '../registry/db.js'
import {takeWriteLock} from './lock.js'
import {checkFresh} from './stale.js'
import {planScope} from './verify.js'
import {applyKind, type StatementContext} from './statements.js'

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

class DryRunRollback extends Error {}

/**
 * The one place that writes a plan into the registry: lock, freshness check, every operation kind as
 * set-based statements with before-images journaled, and the run recorded — all in ONE transaction, so
 * the registry is either fully migrated or untouched. A dry run takes the same path and rolls back.
 */
export async function applyPlan(
  registry: Registry,
  plan: SignedPlan,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const started = Date.now()
  const emit = opts.onEvent ?? (() => {})
  const touched: Record<string, number> = {}
  let run: number | null = null
  let already: {id: number; finished_at: string} | undefined
  try {
    await registry.db.transaction(async (trx) => {
      emit({type: 'step', step: 'lock', title: 'Taking the registry write lock'})
      await takeWriteLock(trx, registry.engine, opts.lockTimeoutSeconds ?? 0)
      await useBulkMemory(trx)
      already = (
        await trx.raw(`select id, finished_at::text from runs where plan_digest = ? and status = 'applied'`, [
          plan.digest,
        ])
      ).rows[0]
      if (already) return
      emit({type: 'step', step: 'check', title: 'Checking the registry has not changed since the plan'})
      await checkFresh(trx, plan)
      run = (
        await trx.raw(
          // Numbered max + 1 under the write lock: a dry run's rolled-back number is used again.
          `insert into runs (id, plan_digest, mapping, mapping_digest, os_user, host, started_at, status)
           select coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, now(), 'applied' from runs returning id`,
          [plan.digest, plan.mapping.file, plan.mapping.digest, osUser(), os.hostname()],
        )
      ).rows[0].id as number
      const ctx: StatementContext = {trx, runId: run!, seq: {next: 1}, touched}
      refuseRowsTouchedTwice(plan.operations)
      for (const [kind, ops] of operationsByKind(plan.operations)) {
        // The embedded engine answers without returning to the event loop: yield so Ctrl-C can be seen.
        await new Promise((resolve) => setImmediate(resolve))
        if (opts.signal?.aborted)
          throw new SapxepError('interrupted: the transaction was rolled back, nothing changed')
        emit({type: 'kind', kind, rows: ops.length})
        const t0 = Date.now()
        await applyKind(ctx, kind, ops)
        emit({type: 'kind-done', kind, rows: ops.length, ms: Date.now() - t0})
      }
      await new Promise((resolve) => setImmediate(resolve))
      if (opts.signal?.aborted)
        throw new SapxepError('interrupted: the transaction was rolled back, nothing changed')
      await trx.raw(`update runs set finished_at = now(), counts = ?::jsonb where id = ?`, [
        JSON.stringify({
          operations: plan.operations.length,
          rows: sortKeys(touched),
          scope: planScope(plan, ''),
        }),
        run,
      ])
      // A million journal rows just arrived: without fresh statistics verify and rollback get row-by-row plans.
      await trx.raw('analyze journal')
      if (opts.dryRun) {
        emit({type: 'step', step: 'rollback', title: 'Dry run: rolling everything back'})
        throw new DryRunRollback()
      }
      emit({type: 'step', step: 'commit', title: 'Committing'})
    })
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err
  }
  const seconds = (Date.now() - started) / 1000
  if (already)
    return {
      status: 'already-applied',
      run: already.id,
      digest: plan.digest,
      touched: {},
      operations: 0,
      seconds,
    }
  return {
    status: opts.dryRun ? 'dry-run' : 'applied',
    run: opts.dryRun ? null : run,
    digest: plan.digest,
    touched: sortKeys(touched),
    operations: plan.operations.length,
    seconds,
  }
}

/**
 * A row is the subject of at most one operation: the journal keeps one entry per row and run, which
 * rollback and verify rely on. A plan that says otherwise is refused.
 */
function refuseRowsTouchedTwice(operations: Operation[]): void {
  const seen = new Map<string, Set<string>>()
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

export function osUser(): string {
  try {
    return os.userInfo().username
  } catch {
    return process.env.USER ?? 'unknown'
  }
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)))
}
