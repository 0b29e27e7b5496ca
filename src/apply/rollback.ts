import {ExitCode, SapxepError} from '../errors.js'
import type {Registry} from '../registry/db.js'
import {osUser} from './executor.js'
import {takeWriteLock} from './lock.js'
import {DELETE_ORDER, TABLES} from './tables.js'

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
      const run = (await trx.raw(`select id, status from runs where id = ?`, [runId])).rows[0]
      if (!run) throw new SapxepError(`there is no run ${runId} (see \`sapxep history\`)`)
      if (run.status === 'rolled_back') {
        status = 'already-rolled-back'
        return
      }
      overwritten = await changedSince(trx, runId)
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
      // Restore updated rows from their earliest before-image in this run.
      for (const [table, spec] of Object.entries(TABLES)) {
        const cols = Object.keys(spec.columns)
        const result = await trx.raw(
          `update ${table} t set (${cols.join(', ')}) = (${cols.map((c) => `r.${c}`).join(', ')})
           from (select distinct on (key) key, before from journal where run_id = ? and table_name = ? order by key, seq) j,
                lateral jsonb_populate_record(null::${table}, j.before) r
           where j.before is not null and ${spec.key.map((k) => `t.${k} = r.${k}`).join(' and ')}`,
          [runId, table],
        )
        const n = Number(result.rowCount ?? 0)
        if (n > 0) restored[table] = n
      }
      // Delete what the run inserted, children first.
      for (const table of DELETE_ORDER) {
        const spec = TABLES[table]
        const result = await trx.raw(
          `delete from ${table} t
           using (select distinct on (key) key, before from journal where run_id = ? and table_name = ? order by key, seq) j
           where j.before is null and ${spec.key.map((k) => `t.${k} = (j.key->>'${k}')::${spec.columns[k]}`).join(' and ')}`,
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

/** Rows whose current content differs from what the run left (its last after-image of each row). */
async function changedSince(
  trx: Parameters<Parameters<Registry['db']['transaction']>[0]>[0],
  runId: number,
): Promise<string[]> {
  const out: string[] = []
  for (const [table, spec] of Object.entries(TABLES)) {
    const {rows} = await trx.raw(
      `select j.key::text as key, t is null as gone
       from (select distinct on (key) key, after from journal where run_id = ? and table_name = ? order by key, seq desc) j
       left join ${table} t on ${spec.key.map((k) => `t.${k} = (j.key->>'${k}')::${spec.columns[k]}`).join(' and ')}
       where t is null or to_jsonb(t) is distinct from j.after
       order by 1`,
      [runId, table],
    )
    for (const r of rows) out.push(`${table} ${r.key}${r.gone ? ' (deleted since)' : ''}`)
  }
  return out
}
