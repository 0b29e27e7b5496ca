import {ExitCode, SapxepError} from '../errors.js'
import type {ApplyEvent} from './executor.js'
import type {Registry} from '../registry/db.js'
import {getRun, markRolledBack, tablesWritten} from '../registry/runs.js'
import {DELETE_ORDER, tableSpec, valueColumns} from '../registry/schema.js'
import {execute} from '../registry/sql.js'
import {writeTransaction} from '../registry/write.js'
import {stopIfInterrupted} from './interrupt.js'
import {deleteDependents, dependentsOfInserted, describeDependent} from './dependents.js'
import {imageValue, journalJoin, rowsChangedSince} from './journal.js'

export interface RollbackResult {
  status: 'rolled-back' | 'dry-run' | 'already-rolled-back'
  run: number
  /** Rows restored from before-images, and rows the run had inserted that are deleted, per table. */
  restored: Record<string, number>
  deleted: Record<string, number>
  /** Rows changed since the run that --force overwrote (or that made the rollback refuse). */
  overwritten: string[]
  seconds: number
}

export interface RollbackOptions {
  dryRun?: boolean
  force?: boolean
  lockTimeoutSeconds?: number
  /** Aborting (Ctrl-C) rolls the transaction back at the next statement boundary. */
  signal?: AbortSignal
  onEvent?: (event: ApplyEvent) => void
}

const ROW_LIMIT_SHOWN = 20

/**
 * Undo a run exactly: every row it touched goes back to its before-image, every row it inserted goes
 * away, in one transaction under the write lock. Refuses when rows the run touched have changed since
 * (someone else's work would be lost) unless `force`, which reports what it overwrites.
 */
export async function rollbackRun(
  registry: Registry,
  runId: number,
  opts: RollbackOptions = {},
): Promise<RollbackResult> {
  const started = Date.now()
  const restored: Record<string, number> = {}
  const deleted: Record<string, number> = {}
  let overwritten: string[] = []
  const emit = opts.onEvent ?? (() => {})
  emit({type: 'step', step: 'lock', title: 'Taking the registry write lock'})
  const already = await writeTransaction(registry, opts, async (trx) => {
    const run = await getRun(trx, runId)
    if (!run) throw new SapxepError(`there is no run ${runId} (see \`sapxep history\`)`, {code: 'no_run'})
    if (run.status === 'rolled_back') return true
    const tables = tablesWritten(run.counts)
    emit({type: 'step', step: 'check', title: 'Checking the rows the run wrote have not changed since'})
    overwritten = await rowsChangedSince(trx, run, tables)
    if (overwritten.length > 0 && !opts.force) throw changedSince(runId, overwritten)
    // Put back the columns the run set, from their before-images.
    for (const table of tables) {
      await stopIfInterrupted(opts.signal)
      const spec = tableSpec(table)
      const n = await execute(
        trx,
        `update ${table} t set ${valueColumns(spec)
          .map(
            (c) =>
              `${c} = case when jsonb_exists(j.before, '${c}') then ${imageValue(spec, 'j.before', c)} else t.${c} end`,
          )
          .join(', ')}
         from journal j
         where j.run_id = ? and j.table_name = ? and j.before is not null and ${journalJoin(spec, 't', 'j')}`,
        [runId, table],
      )
      if (n > 0) restored[table] = n
    }
    // Rows added since that hang on rows the run created would block their removal.
    const dependents = (await dependentsOfInserted(trx, runId, tables)).map((d) =>
      describeDependent(d, runId),
    )
    if (dependents.length > 0) {
      if (!opts.force) throw changedSince(runId, dependents)
      overwritten = [...overwritten, ...dependents]
      await deleteDependents(trx, runId, tables, DELETE_ORDER)
    }
    // Delete what the run inserted, children first.
    for (const table of DELETE_ORDER.filter((t) => tables.includes(t))) {
      await stopIfInterrupted(opts.signal)
      const n = await execute(
        trx,
        `delete from ${table} t using journal j
         where j.run_id = ? and j.table_name = ? and j.before is null and ${journalJoin(tableSpec(table), 't', 'j')}`,
        [runId, table],
      )
      if (n > 0) deleted[table] = n
    }
    await stopIfInterrupted(opts.signal)
    await markRolledBack(trx, runId)
    emit(
      opts.dryRun
        ? {type: 'step', step: 'rollback', title: 'Dry run: undoing everything'}
        : {type: 'step', step: 'commit', title: 'Committing'},
    )
    return false
  })
  const status = already ? 'already-rolled-back' : opts.dryRun ? 'dry-run' : 'rolled-back'
  return {status, run: runId, restored, deleted, overwritten, seconds: (Date.now() - started) / 1000}
}

function changedSince(runId: number, rows: string[]): SapxepError {
  const more = rows.length > ROW_LIMIT_SHOWN ? `\n  … and ${rows.length - ROW_LIMIT_SHOWN} more` : ''
  return new SapxepError(
    `run ${runId} cannot be rolled back safely: ${rows.length} row(s) changed or added since the run would be lost:\n  ` +
      rows.slice(0, ROW_LIMIT_SHOWN).join('\n  ') +
      more +
      '\nRoll back the later changes first, or pass --force to overwrite them.',
    {exitCode: ExitCode.stale, code: 'changed_since', details: {rows}},
  )
}
