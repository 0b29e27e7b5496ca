import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Registry} from '../../src/registry/db.js'
import {TABLES, type TableSpec} from '../../src/registry/schema.js'
import {freshRegistry} from '../helpers/registry.js'

/** What the database says about each column: the layout the migrations made. */
interface CatalogColumn {
  table_name: string
  column_name: string
  data_type: string
  is_nullable: 'YES' | 'NO'
}

const CATALOG_TYPE: Record<string, string> = {
  text: 'text',
  date: 'date',
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  boolean: 'boolean',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
}

describe('the registry schema module', () => {
  let registry: Registry
  beforeAll(async () => {
    registry = (await freshRegistry()).registry
  })
  afterAll(() => registry?.close())

  it('is the layout the migrated database has: tables, columns in order, types, nullability, keys', async () => {
    const {rows} = await registry.db.raw(
      `select table_name, column_name, data_type, is_nullable from information_schema.columns
       where table_schema = current_schema() and table_name not like 'knex%'
       order by table_name, ordinal_position`,
    )
    const expected: CatalogColumn[] = Object.entries(TABLES as Record<string, TableSpec>)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([table, spec]) =>
        Object.entries(spec.columns).map(([column, c]) => ({
          table_name: table,
          column_name: column,
          data_type: CATALOG_TYPE[c.type],
          is_nullable: c.nullable ? ('YES' as const) : ('NO' as const),
        })),
      )
    expect(rows).toEqual(expected)

    const keys = await registry.db.raw(
      `select tc.table_name, string_agg(k.column_name, ',' order by k.ordinal_position) as key
       from information_schema.table_constraints tc
       join information_schema.key_column_usage k on k.constraint_name = tc.constraint_name and k.table_name = tc.table_name
       where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema() and tc.table_name not like 'knex%'
       group by tc.table_name order by tc.table_name`,
    )
    expect(keys.rows).toEqual(
      Object.entries(TABLES as Record<string, TableSpec>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([table, spec]) => ({table_name: table, key: spec.key.join(',')})),
    )

    // The indexes beyond keys and constraints: those the schema module names (one added by migration 004).
    const indexes = await registry.db.raw(
      `select indexname from pg_indexes where schemaname = current_schema() and tablename not like 'knex%'
       and indexname not in (select conname from pg_constraint) order by indexname`,
    )
    expect(indexes.rows.map((r: {indexname: string}) => r.indexname)).toEqual(
      Object.values(TABLES as Record<string, TableSpec>)
        .flatMap((spec) => spec.indexes ?? [])
        .map((sql) => /index (\w+) on/.exec(sql)![1])
        .sort(),
    )

    // The foreign keys: those the schema module declares (migration 005 dropped the journal's to runs).
    const references = await registry.db.raw(
      `select conrelid::regclass::text || ' -> ' || confrelid::regclass::text as reference from pg_constraint
       where contype = 'f' and connamespace = current_schema()::regnamespace order by 1`,
    )
    expect(references.rows.map((r: {reference: string}) => r.reference)).toEqual(
      Object.entries(TABLES as Record<string, TableSpec>)
        .flatMap(([table, spec]) =>
          [...Object.values(spec.columns).map((c) => c.ddl ?? ''), ...(spec.constraints ?? [])].flatMap(
            (ddl) => [...ddl.matchAll(/references (\w+)/g)].map((m) => `${table} -> ${m[1]}`),
          ),
        )
        .sort(),
    )
  })
})
