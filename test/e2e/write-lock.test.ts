import path from 'node:path'
import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openRegistry} from '../../src/registry/db.js'
import {importUnits} from '../../src/registry/import/units.js'
import {runCli} from '../helpers/cli.js'
import {DATA, FIXTURES, freshRegistryTarget, withDb, type TestRegistryTarget} from '../helpers/registry.js'
import {registryDigestOf} from '../helpers/scenario.js'

const LOCK_KEY = 0x736170786570

/**
 * Imports and seed take the registry write lock, as apply and rollback do: an import committing between
 * apply's freshness check and its writes once left two active chairmen on one committee on PostgreSQL.
 */
describe('imports and seed serialize with apply and rollback', () => {
  let target: TestRegistryTarget
  let release: (() => Promise<void>) | undefined
  const cli = (...args: string[]) => runCli([...args, '--json', ...target.cliArgs], target.env)

  beforeAll(async () => {
    target = await freshRegistryTarget()
    await withDb(target, (registry) =>
      importUnits(registry, path.join(DATA, 'nam-dinh-units-2024-05-01.csv')),
    )
  })
  afterAll(async () => {
    await release?.()
  })

  /** Hold the lock as an apply in progress does. */
  async function holdLock(): Promise<() => Promise<void>> {
    if (target.engine === 'pg') {
      const holder = new pg.Client({connectionString: target.databaseUrl})
      await holder.connect()
      await holder.query('begin')
      await holder.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
      return async () => {
        await holder.query('rollback')
        await holder.end()
      }
    }
    const holder = await openRegistry({home: target.home})
    return () => holder.close()
  }

  it('while another writer holds the lock, every import and the seed exit 4 and write nothing', async () => {
    const before = registryDigestOf(target)
    const held = await holdLock()
    release = held
    const attempts = [
      ['registry', 'import', 'units', path.join(DATA, 'nam-dinh-units-2024-09-01.csv')],
      ['registry', 'import', 'agencies', path.join(FIXTURES, 'csv', 'agencies.csv')],
      ['registry', 'seed', '--sample', 'nam-dinh'],
    ]
    for (const args of attempts) {
      const r = cli(...args)
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(4)
      expect(r.json.error.code).toBe('lock_held')
    }
    release = undefined
    await held()
    expect(registryDigestOf(target)).toBe(before)
    const done = cli('registry', 'import', 'agencies', path.join(FIXTURES, 'csv', 'agencies.csv'))
    expect(done.status, done.stderr).toBe(0)
    expect(done.json.inserted).toBe(6)
  })
})
