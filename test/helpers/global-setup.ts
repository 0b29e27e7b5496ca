import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import {openRegistry} from '../../src/registry/db.js'
import {serverUrlFor, templateDatabase, testEngine, testServerUrl} from './engine.js'

/**
 * Once per test run: a migrated empty registry to copy from. PGlite: a data directory (creating one
 * costs ~3 s, copying it ~50 ms). PostgreSQL: a template database (CREATE DATABASE … TEMPLATE is fast).
 */
export default async function setup(): Promise<() => Promise<void>> {
  // The integration and e2e tiers share this setup; when both run, the first one's template serves both.
  if (process.env.SAPXEP_TEST_SETUP_DONE) return async () => {}
  process.env.SAPXEP_TEST_SETUP_DONE = '1'
  // Files shared by this run's workers (on PGlite also the registries): the scenario of test/helpers/scenario.ts.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-test-'))
  process.env.SAPXEP_TEST_ROOT = root
  const removeRoot = () => fs.rmSync(root, {recursive: true, force: true})
  if (testEngine === 'pg') {
    // This run's own prefix: another checkout's run on the same server keeps its databases.
    process.env.SAPXEP_TEST_DB_PREFIX = `sapxep_test_${process.pid}_`
    const admin = new pg.Client({connectionString: testServerUrl})
    try {
      await admin.connect()
    } catch (err) {
      removeRoot()
      throw new Error(`PostgreSQL tests need a server at ${testServerUrl}: ${(err as Error).message}`, {
        cause: err,
      })
    }
    await dropTestDatabases(admin)
    await admin.query(`create database ${templateDatabase()}`)
    await admin.end()
    const registry = await openRegistry({databaseUrl: serverUrlFor(templateDatabase())})
    await registry.close()
    return async () => {
      const c = new pg.Client({connectionString: testServerUrl})
      await c.connect()
      await dropTestDatabases(c)
      await c.end()
      removeRoot()
    }
  }
  const registry = await openRegistry({home: path.join(root, 'template')})
  await registry.close()
  process.env.SAPXEP_TEST_TEMPLATE_HOME = path.join(root, 'template')
  return async () => removeRoot()
}

/** This run's databases, and those of runs whose process is gone (killed before their teardown). */
async function dropTestDatabases(admin: pg.Client): Promise<void> {
  const {rows} = await admin.query(`select datname from pg_database where datname like 'sapxep\\_test\\_%'`)
  const mine = process.env.SAPXEP_TEST_DB_PREFIX!
  const stale = (name: string) => {
    const pid = Number(/^sapxep_test_([0-9]+)_/.exec(name)?.[1])
    if (!pid) return true
    try {
      process.kill(pid, 0)
      return false
    } catch {
      return true
    }
  }
  for (const {datname} of rows)
    if (datname.startsWith(mine) || stale(datname))
      await admin.query(`drop database if exists ${datname} with (force)`)
}
