import type {Knex} from 'knex'
import {tableSpec, type ContentTable} from './schema.js'
import {query} from './sql.js'

/**
 * The reads an export needs: a run's journal entries, and registry rows by natural key. Values come back
 * as text (or null), which is all a hand-off file holds; jsonb as text, parsed here, so that PGlite and
 * node-pg give one shape.
 */

export type ImageValue = string | number | boolean | null
export type Image = Record<string, ImageValue>

/** One journal entry: `before` null for a row the run inserted. */
export interface JournalEntry {
  table: string
  key: Record<string, string>
  before: Image | null
  after: Image | null
}

const parse = <T>(v: unknown): T | null =>
  v === null || v === undefined ? null : ((typeof v === 'string' ? JSON.parse(v) : v) as T)

/** Journal rows read per statement: a million-row run is never held as text all at once. */
const JOURNAL_BATCH = 20_000

/**
 * A run's journal entries for the given tables, in the order the run wrote them: read in batches by
 * sequence number (the journal's key), each batch parsed before the next is read.
 */
export async function readJournal(
  db: Knex,
  runId: number,
  tables: readonly ContentTable[],
): Promise<JournalEntry[]> {
  const out: JournalEntry[] = []
  let after = -1
  for (;;) {
    const rows = await query<{
      seq: number
      table_name: string
      key: string
      before: string | null
      after: string | null
    }>(
      db,
      `select seq, table_name, key::text as key, before::text as before, after::text as after
       from journal where run_id = ? and seq > ? and table_name = any(?::text[]) order by seq limit ?`,
      [runId, after, tables, JOURNAL_BATCH],
    )
    for (const r of rows)
      out.push({
        table: r.table_name,
        key: parse<Record<string, string>>(r.key) ?? {},
        before: parse<Image>(r.before),
        after: parse<Image>(r.after),
      })
    if (rows.length < JOURNAL_BATCH) return out
    after = Number(rows[rows.length - 1].seq)
  }
}

/** `a\u0000b`: one string per natural key, as the export keys its maps. */
export const keyString = (table: string, key: Record<string, ImageValue>): string => {
  const columns = tableSpec(table).key
  // Called several times per change: no array built for the common one-column key.
  if (columns.length === 1) return String(key[columns[0]])
  let out = String(key[columns[0]])
  for (let i = 1; i < columns.length; i++) out += '\u0000' + String(key[columns[i]])
  return out
}

/**
 * The current rows of `table` with the given natural keys (all key columns are text), every column as
 * text, keyed by `keyString`. One statement: the keys are bound as arrays and joined with `unnest`.
 */
export async function readRowsByKey(
  db: Knex,
  table: ContentTable,
  keys: readonly Record<string, ImageValue>[],
): Promise<Map<string, Image>> {
  const spec = tableSpec(table)
  const out = new Map<string, Image>()
  if (keys.length === 0) return out
  const columns = Object.keys(spec.columns)
  const rows = await query<Image>(
    db,
    `select ${columns.map((c) => `t.${c}::text as ${c}`).join(', ')}
     from ${table} t
     join unnest(${spec.key.map(() => '?::text[]').join(', ')}) as k(${spec.key.join(', ')})
       on ${spec.key.map((k) => `t.${k} = k.${k}`).join(' and ')}`,
    spec.key.map((k) => keys.map((key) => String(key[k]))),
  )
  for (const row of rows) out.set(keyString(table, row), row)
  return out
}
