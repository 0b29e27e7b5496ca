import type {RollbackResult} from '../../apply/rollback.js'
import type {RunRecord} from '../../registry/runs.js'
import {count, total} from './format.js'

/** `sapxep rollback`: rows restored and removed, per table. */
export function renderRollback(r: RollbackResult): string {
  if (r.status === 'already-rolled-back') return `Nothing to do: run ${r.run} was already rolled back.`
  const restored = count(total(r.restored))
  const deleted = count(total(r.deleted))
  return [
    r.status === 'dry-run'
      ? `Dry run: would restore ${restored} row(s), remove ${deleted} created row(s) in ${r.seconds.toFixed(1)} s`
      : `Rolled back run ${r.run}: restored ${restored} row(s), removed ${deleted} created row(s) in ${r.seconds.toFixed(1)} s`,
    ...Object.entries(r.restored).map(([table, n]) => `  ${table.padEnd(17)} ${count(n)} restored`),
    ...Object.entries(r.deleted).map(([table, n]) => `  ${table.padEnd(17)} ${count(n)} removed`),
  ].join('\n')
}

/** The warning (stderr) after `rollback --force` overwrote rows changed since the run; '' when it did not. */
export function renderOverwritten(r: RollbackResult): string {
  if (r.overwritten.length === 0) return ''
  return [
    `--force overwrote ${count(r.overwritten.length)} row(s) changed since run ${r.run}:`,
    ...r.overwritten.map((row) => `  ${row}`),
  ].join('\n')
}

/** What rollback asks a person to confirm (stderr, before the question): the run and the rows it wrote. */
export function renderRollbackConfirmation(run: RunRecord): string {
  return [
    `Run ${run.id}: ${run.mapping}, applied ${run.started_at} by ${run.os_user}@${run.host}`,
    `plan ${run.plan_digest} — ${count(run.operations)} operations; rows to restore or remove:`,
    ...Object.entries(run.rows).map(([table, n]) => `  ${table.padEnd(17)} ${count(n)}`),
  ].join('\n')
}
