import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import {CONTENT_TABLES, type ContentTable} from './schema.js'

export interface RegistryDigest {
  digest: string
  tables: Record<ContentTable, string>
}

/**
 * A content digest that ignores physical row order: each row's text form is hashed, the row hashes are
 * sorted (byte order, not the locale's) and hashed again. Equal content, equal digest, on either engine.
 */
export async function registryDigest(db: Knex): Promise<RegistryDigest> {
  const tables = {} as Record<ContentTable, string>
  for (const table of CONTENT_TABLES) {
    const {rows} = await db.raw(
      `select encode(sha256(convert_to(coalesce(string_agg(h, '' order by h collate "C"), ''), 'UTF8')), 'hex') as digest
       from (select md5(t::text) as h from ${table} t) rows`,
    )
    tables[table] = `sha256:${rows[0].digest}`
  }
  const whole = createHash('sha256')
  for (const table of CONTENT_TABLES) whole.update(`${table} ${tables[table]}\n`)
  return {digest: `sha256:${whole.digest('hex')}`, tables}
}
