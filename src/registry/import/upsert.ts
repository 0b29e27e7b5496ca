import type {Knex} from 'knex'
import type {ColumnType} from '../schema.js'

/** A column written by `upsertRows`: its name in the table and the element type of its unnest array. */
export interface UpsertColumn {
  name: string
  type: ColumnType
}

export interface UpsertSpec {
  table: string
  columns: readonly UpsertColumn[]
  /** The natural key (the conflict target). */
  key: readonly string[]
  /** Columns overwritten on conflict (default: every non-key column); none means `do nothing`. */
  update?: readonly string[]
}

export interface UpsertCounts {
  inserted: number
  updated: number
}

/** Rows per statement: big enough to amortise the round trip, small enough to keep memory flat. */
export const UPSERT_BATCH = 20_000

/**
 * Set-based upsert of rows given column-wise (`values[i]` is the array of column i): batched
 * `insert … select from unnest(…) on conflict … do update … where … is distinct from …`. A row whose
 * content did not change is not written at all, so a re-import leaves it byte-identical (and counts it
 * neither inserted nor updated).
 */
export async function upsertRows(
  trx: Knex | Knex.Transaction,
  spec: UpsertSpec,
  values: unknown[][],
): Promise<UpsertCounts> {
  const n = values[0]?.length ?? 0
  const total: UpsertCounts = {inserted: 0, updated: 0}
  for (let from = 0; from < n; from += UPSERT_BATCH) {
    const batch = n <= UPSERT_BATCH ? values : values.map((column) => column.slice(from, from + UPSERT_BATCH))
    const counts = await upsertBatch(trx, spec, batch)
    total.inserted += counts.inserted
    total.updated += counts.updated
  }
  return total
}

async function upsertBatch(
  trx: Knex | Knex.Transaction,
  spec: UpsertSpec,
  values: unknown[][],
): Promise<UpsertCounts> {
  const names = spec.columns.map((c) => c.name)
  const update = spec.update ?? names.filter((c) => !spec.key.includes(c))
  const onConflict =
    update.length === 0
      ? 'do nothing'
      : `do update set ${update.map((c) => `${c} = excluded.${c}`).join(', ')}
         where (${update.map((c) => `t.${c}`).join(', ')}) is distinct from (${update.map((c) => `excluded.${c}`).join(', ')})`
  const sql = `with written as (
      insert into ${spec.table} as t (${names.join(', ')})
      select * from unnest(${spec.columns.map((c) => `?::${c.type}[]`).join(', ')}) as v(${names.join(', ')})
      order by ${spec.key.join(', ')}
      on conflict (${spec.key.join(', ')}) ${onConflict}
      returning (xmax = 0) as inserted)
    select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated
    from written`
  const {rows} = await trx.raw(sql, values as unknown as Knex.RawBinding[])
  return {inserted: Number(rows[0].inserted), updated: Number(rows[0].updated)}
}
