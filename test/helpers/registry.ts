import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import {openRegistry, type Registry} from '../../src/registry/db.js'
import {query, type SqlValue} from '../../src/registry/sql.js'
import {serverUrlFor, templateDatabase, testDatabasePrefix, testEngine, testServerUrl} from './engine.js'

let counter = 0

/** Where a fresh test registry lives: pass `home` or `databaseUrl` to library calls and to the CLI. */
export interface TestRegistryTarget {
  engine: 'pglite' | 'pg'
  home?: string
  databaseUrl?: string
  /** Flags and environment that point the CLI at this registry. */
  cliArgs: string[]
  env: Record<string, string>
}

/** A new, migrated, empty registry for one test (file), on the engine the run is for. */
export function freshRegistryTarget(): Promise<TestRegistryTarget> {
  return copyRegistryTarget({home: process.env.SAPXEP_TEST_TEMPLATE_HOME, database: templateDatabase()})
}

export async function openTarget(target: TestRegistryTarget): Promise<Registry> {
  return openRegistry({home: target.home, databaseUrl: target.databaseUrl})
}

/** Open a fresh registry; the caller closes it. */
export async function freshRegistry(): Promise<{registry: Registry; target: TestRegistryTarget}> {
  const target = await freshRegistryTarget()
  return {registry: await openTarget(target), target}
}

export const DATA = path.resolve(import.meta.dirname, '../../data')
export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures')

/** Open, use, close: the embedded store is locked while open, so CLI tests open it only between runs. */
export async function withDb<T>(
  target: TestRegistryTarget,
  fn: (registry: Registry) => Promise<T>,
): Promise<T> {
  const registry = await openTarget(target)
  try {
    return await fn(registry)
  } finally {
    await registry.close()
  }
}

/** Rows of a query; columns are text unless the caller names their types. */
export const rows = <T = Record<string, string>>(
  registry: Registry,
  sql: string,
  bindings: SqlValue[] = [],
): Promise<T[]> => query<T>(registry.db, sql, bindings)

/** A registry to copy: a PGlite folder, or a PostgreSQL database used only as a template. */
export interface RegistrySource {
  home?: string
  database?: string
}

/** A new registry with the rows of `source` (a folder copy, or CREATE DATABASE … TEMPLATE). */
export async function copyRegistryTarget(source: RegistrySource): Promise<TestRegistryTarget> {
  const name = `${testDatabasePrefix()}${process.pid}_${++counter}`
  if (testEngine === 'pg') {
    const admin = new pg.Client({connectionString: testServerUrl})
    await admin.connect()
    await admin.query(`create database ${name} template ${source.database!}`)
    await admin.end()
    const databaseUrl = serverUrlFor(name)
    return {engine: 'pg', databaseUrl, cliArgs: ['--database-url', databaseUrl], env: {}}
  }
  const home = path.join(process.env.SAPXEP_TEST_ROOT!, name)
  fs.cpSync(source.home!, home, {recursive: true})
  fs.rmSync(path.join(home, 'registry.lock'), {recursive: true, force: true})
  return {engine: 'pglite', home, cliArgs: [], env: {SAPXEP_HOME: home}}
}
