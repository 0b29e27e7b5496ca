import {ExitCode, SapxepError} from '../errors.js'
import {useBulkMemory, type Registry} from '../registry/db.js'
import {osUser} from './executor.js'
import {takeWriteLock} from './lock.js'
import {imageValue, journalJoin, rowsChangedSince, runTables} from './journal.js'
import {DELETE_ORDER, tableSpec, valueColumns} from '../registry/schema.js'

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

class DryRunRollback extends Error {}

const ROW_LIMIT_SHOWN = 20

/**
 * Undo a run exactly: every row it touched goes back to its before-image, every row it inserted goes
 * away, in one transaction under the write lock. Refuses when rows the run touched have changed since
 * (someone else's work would be lost) unless `force`, which reports what it overwrites.
 */
export async function rollbackRun(
  registry: Registry,
  runId: number,
  opts: {dryRun?: boolean; force?: boolean; lockTimeoutSeconds?: number} = {},
): Promise<RollbackResult> {
  const started = Date.now()
  const restored: Record<string, number> = {}
  const deleted: Record<string, number> = {}
  let overwritten: string[] = []
  let status: RollbackResult['status'] = opts.dryRun ? 'dry-run' : 'rolled-back'
  try {
    await registry.db.transaction(async (trx) => {
      await takeWriteLock(trx, registry.engine, opts.lockTimeoutSeconds ?? 0)
      await useBulkMemory(trx)
      const run = (await trx.raw(`select id, status from runs where id = ?`, [runId])).rows[0]
      if (!run) throw new SapxepError(`there is no run ${runId} (see \`sapxep history\`)`)
      if (run.status === 'rolled_back') {
        status = 'already-rolled-back'
        return
      }
      overwritten = await rowsChangedSince(trx, runId)
      if (overwritten.length > 0 && !opts.force)
        throw new SapxepError(
          `run ${runId} cannot be rolled back safely: ${overwritten.length} row(s) it touched have changed since:\n  ` +
            overwritten.slice(0, ROW_LIMIT_SHOWN).join('\n  ') +
            (overwritten.length > ROW_LIMIT_SHOWN
              ? `\n  … and ${overwritten.length - ROW_LIMIT_SHOWN} more`
              : '') +
            '\nRoll back the later changes first, or pass --force to overwrite them.',
          {exitCode: ExitCode.stale, code: 'changed_since', details: {rows: overwritten}},
        )
      const tables = await runTables(trx, runId)
      // Put back the columns the run set, from their before-images.
      for (const table of tables) {
        const spec = tableSpec(table)
        const cols = valueColumns(spec)
        const result = await trx.raw(
          `update ${table} t set ${cols
            .map(
              (c) =>
                `${c} = case when jsonb_exists(j.before, '${c}') then ${imageValue(spec, 'j.before', c)} else t.${c} end`,
            )
            .join(', ')}
           from journal j
           where j.run_id = ? and j.table_name = ? and j.before is not null and ${journalJoin(spec, 't', 'j')}`,
          [runId, table],
        )
        const n = Number(result.rowCount ?? 0)
        if (n > 0) restored[table] = n
      }
      // Delete what the run inserted, children first.
      for (const table of DELETE_ORDER.filter((t) => tables.includes(t))) {
        const result = await trx.raw(
          `delete from ${table} t using journal j
           where j.run_id = ? and j.table_name = ? and j.before is null and ${journalJoin(tableSpec(table), 't', 'j')}`,
          [runId, table],
        )
        const n = Number(result.rowCount ?? 0)
        if (n > 0) deleted[table] = n
      }
      await trx.raw(
        `update runs set status = 'rolled_back', rolled_back_at = now(), rolled_back_by = ? where id = ?`,
        [osUser(), runId],
      )
      if (opts.dryRun) throw new DryRunRollback()
    })
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err
  }
  return {status, run: runId, restored, deleted, overwritten, seconds: (Date.now() - started) / 1000}
}
