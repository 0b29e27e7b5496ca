import type {Knex} from 'knex'

/** A value bound to a `?` placeholder: scalars, and arrays of them for `?::text[]` and `unnest`. */
export type SqlScalar = string | number | boolean | null
export type SqlValue = SqlScalar | readonly SqlScalar[]

/**
 * Run a statement and return its rows, typed. knex types raw bindings without arrays of arrays, which
 * set-based statements bind all the time; the one cast to its binding type is here.
 */
export async function query<T>(db: Knex, sql: string, bindings: readonly SqlValue[] = []): Promise<T[]> {
  const result = (await db.raw(sql, bindings as unknown as Knex.RawBinding[])) as {rows: T[]}
  return result.rows
}

/** The first row of a statement's result (undefined when there is none). */
export async function queryOne<T>(
  db: Knex,
  sql: string,
  bindings: readonly SqlValue[] = [],
): Promise<T | undefined> {
  return (await query<T>(db, sql, bindings))[0]
}

/** Run a statement that writes and return how many rows it wrote (PostgreSQL's rowCount, PGlite's affectedRows). */
export async function execute(db: Knex, sql: string, bindings: readonly SqlValue[] = []): Promise<number> {
  const result = (await db.raw(sql, bindings as unknown as Knex.RawBinding[])) as {
    rowCount?: number | null
    affectedRows?: number
  }
  return Number(result.rowCount ?? result.affectedRows ?? 0)
}
