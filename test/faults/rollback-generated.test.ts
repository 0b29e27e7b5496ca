import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
// The library as another program uses it (package.json `exports`): in process, for speed.
import {
  applyPlan,
  planFromFiles,
  registryDigest,
  rollbackRun,
  verifyRun,
  type Registry,
} from '../../src/index.js'
import {openTarget} from '../helpers/registry.js'
import {scenarioRegistryTarget} from '../helpers/scenario.js'
import {communesByProvince, mergeMappingArb, writeMapping, type Commune} from './merges.js'
import {runs, seed} from './scale.js'

// Generated mergers within a province of the sample (from the registry's real unit list): planned,
// applied, verified and rolled back; the registry's digest after each rollback is the one before, exactly.

describe('rollback of generated plans', () => {
  let registry: Registry
  let communes: Map<string, Commune[]>
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-rollback-gen-'))
  const digest = async () => (await registryDigest(registry.db)).digest

  beforeAll(async () => {
    registry = await openTarget(await scenarioRegistryTarget())
    communes = await communesByProvince(registry)
  })
  afterAll(async () => {
    await registry?.close()
    fs.rmSync(dir, {recursive: true, force: true})
  })

  const n = runs(3, 200)
  it(`${n} generated plans applied and rolled back: 100 % digest-exact`, async () => {
    let count = 0
    let operations = 0
    const started = Date.now()
    // Every rollback must bring back this digest: the one before the first plan.
    const before = await digest()
    await fc.assert(
      fc.asyncProperty(mergeMappingArb(communes), async (mapping) => {
        const file = writeMapping(dir, `gen-${count}`, mapping)
        const plan = await planFromFiles(registry.db, [file])
        const applied = await applyPlan(registry, plan)
        expect(applied).toMatchObject({status: 'applied', operations: plan.summary.operations})
        expect(plan.summary.operations).toBeGreaterThan(0)
        // Verified on a sample (it reads every row the run wrote; the digest below is the point here).
        if (count % 10 === 0) expect((await verifyRun(registry.db, applied.run!)).ok).toBe(true)
        const back = await rollbackRun(registry, applied.run!)
        expect(back.status).toBe('rolled-back')
        expect(await digest()).toBe(before)
        count++
        operations += plan.summary.operations
      }),
      {numRuns: n, seed, endOnFailure: true},
    )
    expect(count).toBe(n)
    console.log(
      `rollback of generated plans (${registry.engine}): ${count} plans, ${operations.toLocaleString('en-US')} operations, ` +
        `${count} digest-exact, ${((Date.now() - started) / 1000).toFixed(0)} s`,
    )
  })
})
