import type {Knex} from 'knex'
import {tableSpec, type TableName} from '../schema.js'
import {query} from '../sql.js'
import {keyOf} from './export-format.js'
import {pushAll} from '../../collections.js'

/** Keys per statement: one round trip for the usual export, bounded parameters for a national one. */
const LOOKUP_BATCH = 20_000

export interface Lookup {
  table: TableName
  /** The columns the keys are values of. */
  columns: readonly string[]
  select: readonly string[]
  /** A further condition, in SQL. */
  where?: string
}

/**
 * Rows of `table` whose `columns` equal one of `keys` (keys of several columns joined by `keyOf`), as
 * set-based lookups of at most LOOKUP_BATCH keys: `where (columns) in (select * from unnest(…))`.
 */
export async function rowsMatching<Row>(
  trx: Knex.Transaction,
  {table, columns, select, where}: Lookup,
  keys: Iterable<string>,
): Promise<Row[]> {
  const spec = tableSpec(table)
  const tuples = [...new Set(keys)].map((k) => k.split('\t'))
  const casts = columns.map((c) => `?::${spec.columns[c].type}[]`).join(', ')
  const sql =
    `select ${select.join(', ')} from ${table} ` +
    `where (${columns.join(', ')}) in (select * from unnest(${casts}))` +
    (where ? ` and ${where}` : '')
  const found: Row[] = []
  for (let from = 0; from < tuples.length; from += LOOKUP_BATCH) {
    const batch = tuples.slice(from, from + LOOKUP_BATCH)
    const arrays = columns.map((_, i) => batch.map((tuple) => tuple[i]))
    pushAll(found, await query<Row>(trx, sql, arrays))
  }
  return found
}

/** Which of `keys` are natural keys of rows of `table`. */
export async function existingKeys(
  trx: Knex.Transaction,
  table: TableName,
  keys: Iterable<string>,
): Promise<Set<string>> {
  const key = tableSpec(table).key
  const rows = await rowsMatching<Record<string, string>>(trx, {table, columns: key, select: key}, keys)
  return new Set(rows.map((row) => keyOf(...key.map((c) => row[c]))))
}
