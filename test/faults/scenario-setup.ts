import path from 'node:path'
import {importUnits} from '../../src/registry/import/units.js'
import {seedRegistry} from '../../src/registry/seed/seed.js'
import {testEngine} from '../helpers/engine.js'
import {DATA, freshRegistryTarget, openTarget} from '../helpers/registry.js'

/**
 * Once per fault run, after the registry setup: the registry the signal, concurrency and rollback parts
 * start from (the March 2025 units and the nam-dinh sample), built once and copied for each test file
 * (a PGlite folder copy, or CREATE DATABASE … TEMPLATE), so that no test rebuilds it.
 */
export default async function setup(): Promise<void> {
  const target = await freshRegistryTarget()
  const registry = await openTarget(target)
  try {
    await importUnits(registry, path.join(DATA, 'gso-units-2025-03-01.csv'))
    await seedRegistry(registry, {sample: 'nam-dinh'})
  } finally {
    await registry.close()
  }
  // A database copied as a template must have no connections: this one is only ever copied.
  if (testEngine === 'pg')
    process.env.SAPXEP_TEST_SCENARIO_DB = new URL(target.databaseUrl!).pathname.slice(1)
  else process.env.SAPXEP_TEST_SCENARIO_HOME = target.home
}
