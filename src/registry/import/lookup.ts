import type {Knex} from 'knex'
import {tableSpec, type TableName} from '../schema.js'
import {keyOf} from './export-format.js'

/** Keys per statement: one round trip for the usual export, bounded parameters for a national one. */
const LOOKUP_BATCH = 20_000

/**
 * Rows of `table` whose `columns` equal one of `keys` (keys of several columns joined by `keyOf`), as
 * set-based lookups of at most LOOKUP_BATCH keys: `where (columns) in (select * from unnest(…))`.
 */
export async function rowsMatching<Row>(
  trx: Knex.Transaction,
  query: {table: TableName; columns: readonly string[]; select: readonly string[]; where?: string},
  keys: Iterable<string>,
): Promise<Row[]> {
  const spec = tableSpec(query.table)
  const tuples = [...new Set(keys)].map((k) => k.split('\t'))
  const arrays = `${query.columns.map((c) => `?::${spec.columns[c].type}[]`).join(', ')}`
  const sql =
    `select ${query.select.join(', ')} from ${query.table} ` +
    `where (${query.columns.join(', ')}) in (select * from unnest(${arrays}))` +
    (query.where ? ` and ${query.where}` : '')
  const found: Row[] = []
  for (let from = 0; from < tuples.length; from += LOOKUP_BATCH) {
    const batch = tuples.slice(from, from + LOOKUP_BATCH)
    const {rows} = await trx.raw(
      sql,
      query.columns.map((_, i) => batch.map((t) => t[i])),
    )
    found.push(...(rows as Row[]))
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
