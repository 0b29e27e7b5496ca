import os from 'node:os'
import type {Knex} from 'knex'
import {CONTENT_TABLES, type ContentTable, type RunRow} from './schema.js'
import {execute, query, queryOne} from './sql.js'

/** The provinces a run's plan was about, and their expected counts: what `verify RUN` checks again. */
export interface RunScope {
  provinces: string[]
  expect: Array<{province: string; districts?: number; communes?: number}>
}

/** What a run recorded when it finished (the `counts` column). */
export interface RunCounts {
  operations: number
  /** Rows written per table. */
  rows: Partial<Record<ContentTable, number>>
  scope: RunScope
}

/** A run as `history` shows it. */
export interface RunRecord {
  id: number
  status: RunRow['status']
  plan_digest: string
  mapping: string
  mapping_digest: string
  os_user: string
  host: string
  started_at: string
  finished_at: string | null
  rolled_back_at: string | null
  rolled_back_by: string | null
  operations: number
  rows: Record<string, number>
}

/** The user running this process, for the runs table (who applied, who rolled back). */
export function osUser(): string {
  try {
    return os.userInfo().username
  } catch {
    return process.env.USER ?? 'unknown'
  }
}

/** node-pg returns jsonb parsed, PGlite as text: one shape either way. */
function parseCounts(counts: unknown): RunCounts {
  const c = (typeof counts === 'string' ? JSON.parse(counts) : (counts ?? {})) as Partial<RunCounts>
  return {
    operations: c.operations ?? 0,
    rows: c.rows ?? {},
    scope: {provinces: c.scope?.provinces ?? [], expect: c.scope?.expect ?? []},
  }
}

/** A timestamp as ISO 8601 in UTC (`2025-07-01T08:30:00.123Z`), what JSON readers parse. */
const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${col}`

const RUN_COLUMNS = `id, status, plan_digest, mapping, mapping_digest, os_user, host, ${iso('started_at')},
  ${iso('finished_at')}, ${iso('rolled_back_at')}, rolled_back_by, counts`

type StoredRun = Omit<RunRecord, 'operations' | 'rows'> & {counts: unknown}

function record(r: StoredRun): RunRecord & {counts: RunCounts} {
  const counts = parseCounts(r.counts)
  return {...r, operations: counts.operations, rows: counts.rows as Record<string, number>, counts}
}

export async function listRuns(db: Knex): Promise<RunRecord[]> {
  const rows = await query<StoredRun>(db, `select ${RUN_COLUMNS} from runs order by id`)
  return rows.map((r) => {
    const {counts: _counts, ...rest} = record(r)
    return rest
  })
}

export async function getRun(db: Knex, id: number): Promise<(RunRecord & {counts: RunCounts}) | undefined> {
  const row = await queryOne<StoredRun>(db, `select ${RUN_COLUMNS} from runs where id = ?`, [id])
  return row && record(row)
}

/** The run that applied the plan with this digest, if one did and was not rolled back. */
export function findAppliedRun(db: Knex, planDigest: string): Promise<{id: number} | undefined> {
  return queryOne(db, `select id from runs where plan_digest = ? and status = 'applied'`, [planDigest])
}

/**
 * Record the start of a run; numbered max + 1 under the write lock, so a dry run's rolled-back number is
 * used again.
 */
export async function startRun(
  trx: Knex.Transaction,
  run: {planDigest: string; mapping: string; mappingDigest: string},
): Promise<number> {
  const row = await queryOne<{id: number}>(
    trx,
    `insert into runs (id, plan_digest, mapping, mapping_digest, os_user, host, started_at, status, xid, xid_cluster)
     select coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, now(), 'applied', txid_current(),
       (select system_identifier from pg_control_system()) from runs returning id`,
    [run.planDigest, run.mapping, run.mappingDigest, osUser(), os.hostname()],
  )
  return Number(row!.id)
}

/** The run's counts, and the time it finished (the clock's, not the transaction's start). */
export async function finishRun(trx: Knex.Transaction, id: number, counts: RunCounts): Promise<void> {
  await execute(trx, `update runs set finished_at = clock_timestamp(), counts = ?::jsonb where id = ?`, [
    JSON.stringify(counts),
    id,
  ])
}

export async function markRolledBack(trx: Knex.Transaction, id: number): Promise<void> {
  await execute(
    trx,
    `update runs set status = 'rolled_back', rolled_back_at = clock_timestamp(), rolled_back_by = ? where id = ?`,
    [osUser(), id],
  )
}

/** The tables a run wrote to, in table order, so that the others are not read. */
export function tablesWritten(counts: RunCounts): ContentTable[] {
  return CONTENT_TABLES.filter((t) => (counts.rows[t] ?? 0) > 0)
}
