import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
// The package's public entry, as another program would import it (package.json `exports`).
import {
  applyPlan,
  openRegistry,
  planFromFiles,
  registryDigest,
  rollbackRun,
  seedRegistry,
  importUnits,
  verifyRun,
  type Registry,
  type SignedPlan,
} from 'sapxep'
import {DATA, freshRegistryTarget} from '../helpers/registry.js'
import {NINH_BINH} from '../helpers/scenario.js'

describe('the library through its public entry', () => {
  let registry: Registry
  beforeAll(async () => {
    const target = await freshRegistryTarget()
    registry = await openRegistry({home: target.home, databaseUrl: target.databaseUrl})
  })
  afterAll(() => registry?.close())

  it('plans, applies, verifies and rolls back the Ninh Bình merger exactly', async () => {
    await importUnits(registry, path.join(DATA, 'gso-units-2025-03-01.csv'))
    await seedRegistry(registry, {sample: 'nam-dinh'})
    const before = await registryDigest(registry.db)

    const plan = await planFromFiles(registry.db, [NINH_BINH])
    expect(plan.mappings[0].decision.number).toMatch(/NQ-UBTVQH15$/)
    expect(plan.summary.operations).toBeGreaterThan(30_000)
    // Names follow their units: Phường Châu Giang (13330) is now Phường Duy Tân, and so are its bodies.
    const renamed = plan.operations.find((o) => o.op === 'agency.update' && o.key.id === '13330.ubnd')
    expect(renamed?.after.name).toBe('Ủy ban nhân dân phường Duy Tân')
    expect(
      plan.operations.find((o) => o.key.address === 'ubnd.duytan@ninhbinh.gov.vn')?.after.display_name,
    ).toBe('Ủy ban nhân dân phường Duy Tân')

    const dry = await applyPlan(registry, plan, {dryRun: true})
    expect(dry).toMatchObject({status: 'dry-run', run: null})
    expect(dry.touched).toEqual(plan.summary.rowsByTable)
    expect(await registryDigest(registry.db)).toEqual(before)

    const applied = await applyPlan(registry, plan)
    expect(applied).toMatchObject({status: 'applied', run: 1, operations: plan.summary.operations})
    expect((await verifyRun(registry.db, 1)).ok).toBe(true)
    expect(await applyPlan(registry, plan)).toMatchObject({status: 'already-applied', run: 1})

    const back = await rollbackRun(registry, 1)
    expect(back.status).toBe('rolled-back')
    expect(await registryDigest(registry.db)).toEqual(before)
  })

  it('refuses a plan whose body was changed after it was signed (exit 6), before touching the registry', async () => {
    const plan = await planFromFiles(registry.db, [NINH_BINH])
    const altered: SignedPlan = {...plan, warnings: [...plan.warnings, 'edited by hand']}
    await expect(applyPlan(registry, altered)).rejects.toMatchObject({exitCode: 6, code: 'tampered'})
  })

  it('refuses a plan without the approvals asked for (exit 6)', async () => {
    const plan = await planFromFiles(registry.db, [NINH_BINH])
    await expect(
      applyPlan(registry, plan, {approvals: {required: 1, trustedKeysDir: DATA}}),
    ).rejects.toMatchObject({exitCode: 6, code: 'unapproved'})
  })
})
