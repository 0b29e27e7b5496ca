import type {Knex} from 'knex'
import {tableSpec, valueColumns, type ContentTable, type TableSpec} from '../registry/schema.js'
import type {RunCounts} from '../registry/runs.js'
import {query, queryOne} from '../registry/sql.js'

/**
 * Reading a run's journal back. The journal holds one entry per row the run touched: for an updated row
 * the columns its operation set, as they were (`before`) and as the run left them (`after`); for a row it
 * inserted, `before` is null and `after` is the whole row.
 */

/** `t.k1 = k.k1 and t.k2 = k.k2` */
export function keyJoin(spec: TableSpec, left: string, right: string): string {
  return spec.key.map((k) => `${left}.${k} = ${right}.${k}`).join(' and ')
}

/** `jsonb_build_object('k1', t.k1, …)`: how a row's key is stored in the journal. */
export function keyJson(spec: TableSpec, alias: string): string {
  return `jsonb_build_object(${spec.key.map((k) => `'${k}', ${alias}.${k}`).join(', ')})`
}

/** `t.k1 = (j.key->>'k1')::type and …`: a registry row joined to its journal entry. */
export function journalJoin(spec: TableSpec, table: string, journal: string): string {
  return spec.key
    .map((k) => `${table}.${k} = (${journal}.key->>'${k}')::${spec.columns[k].type}`)
    .join(' and ')
}

/** The image's value of column `c`, typed: `(j.after->>'c')::date` */
export const imageValue = (spec: TableSpec, image: string, c: string): string =>
  `(${image}->>'${c}')::${spec.columns[c].type}`

/** True when row `t` has, in any column the journal image holds, a value other than the image's. */
function differsFrom(spec: TableSpec, t: string, image: string): string {
  return `(${valueColumns(spec)
    .map(
      (c) => `(jsonb_exists(${image}, '${c}') and ${t}.${c} is distinct from ${imageValue(spec, image, c)})`,
    )
    .join(' or ')})`
}

/**
 * Rows a run wrote that no longer hold what it left: a column it set has another value now, or the row is
 * gone. `table key` strings, sorted, with ` (deleted since)` for a row that no longer exists. Rows are
 * compared with their journal entries only in the tables tablesStillAsWritten cannot vouch for.
 */
export async function rowsChangedSince(
  db: Knex,
  run: {id: number; counts: RunCounts},
  tables: readonly ContentTable[],
): Promise<string[]> {
  const out: string[] = []
  const unchanged = await tablesStillAsWritten(db, run, tables)
  for (const table of tables) {
    if (unchanged.has(table)) continue
    const spec = tableSpec(table)
    const rows = await query<{key: string; gone: boolean}>(
      db,
      `select j.key::text as key, t is null as gone
       from journal j left join ${table} t on ${journalJoin(spec, 't', 'j')}
       where j.run_id = ? and j.table_name = ? and (t is null or ${differsFrom(spec, 't', 'j.after')})
       order by 1`,
      [run.id, table],
    )
    for (const r of rows) out.push(`${table} ${r.key}${r.gone ? ' (deleted since)' : ''}`)
  }
  return out
}

/**
 * The tables in which every row the run wrote is still the version its transaction wrote, found with one
 * scan of each table instead of joining its rows to the journal (2 s for a national run's accounts).
 * PostgreSQL stamps a row version with the id of the transaction that wrote it (xmin): a row updated,
 * deleted or inserted again since carries another. The run's transaction journals each row of these
 * tables it writes, the after-image read from the row written, and counts them (counts.rows); so when a
 * table holds as many rows stamped with it as the run wrote, each is still as the run left it. Any other
 * count (a row changed since, or written twice by the run) leaves the table to the row-by-row comparison,
 * as does a run without a recorded transaction (applied before migration 006), one recorded by another
 * database cluster (the registry dumped and restored elsewhere, where ids start again), and one two
 * billion transactions old, whose 32-bit id may since have been given to another.
 */
export async function tablesStillAsWritten(
  db: Knex,
  run: {id: number; counts: RunCounts},
  tables: readonly ContentTable[],
): Promise<Set<ContentTable>> {
  if (tables.length === 0) return new Set()
  const stamped = await queryOne<Record<ContentTable, string | number>>(
    db,
    `select ${tables.map((t) => `(select count(*) from ${t} where xmin = (r.xid % 4294967296)::text::xid) as ${t}`).join(', ')}
     from runs r
     where r.id = ? and r.xid_cluster = (select system_identifier from pg_control_system())
       and pg_snapshot_xmax(pg_current_snapshot())::text::bigint - r.xid < 2147483648`,
    [run.id],
  )
  return new Set(tables.filter((t) => stamped !== undefined && Number(stamped[t]) === run.counts.rows[t]))
}
