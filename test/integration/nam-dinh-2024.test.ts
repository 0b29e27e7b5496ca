import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {
  applyPlan,
  importUnits,
  planFromFiles,
  readUnitsFile,
  registryDigest,
  rollbackRun,
  seedRegistry,
  validateMappings,
  verifyRun,
  type Registry,
} from '../../src/index.js'
import {DATA, freshRegistry} from '../helpers/registry.js'

/**
 * The 2024 Nam Định merger (NQ 1104/NQ-UBTVQH15) on the registry its mapping was written for: the GSO
 * list of May 2024 and the Nam Định sample.
 */
const MAPPING = path.resolve(import.meta.dirname, '../../mappings/2024/36-nam-dinh.yaml')

async function mayRegistry(): Promise<Registry> {
  const {registry} = await freshRegistry()
  await importUnits(registry, path.join(DATA, 'nam-dinh-units-2024-05-01.csv'))
  await seedRegistry(registry, {sample: 'nam-dinh'})
  return registry
}

/** Province 36's active units, as the GSO lists give them. */
async function unitsOf36(registry: Registry) {
  const {rows} = await registry.db.raw(
    `select u.code, u.name, u.type, u.parent_code from units u left join units p on p.code = u.parent_code
     where u.status = 'active' and (u.code = '36' or u.parent_code = '36' or p.parent_code = '36') order by u.code`,
  )
  return rows as Array<{code: string; name: string; type: string; parent_code: string | null}>
}

describe('the 2024 Nam Định merger, as the province did it', () => {
  let registry: Registry | undefined
  afterEach(async () => {
    await registry?.close()
    registry = undefined
  })

  it('validates and plans against the May 2024 registry without --ignore-expect, moving people to the new units', async () => {
    registry = await mayRegistry()
    const report = await validateMappings([MAPPING], {registry})
    expect(report).toMatchObject({valid: true, errors: [], warnings: []})

    const plan = await planFromFiles(registry.db, [MAPPING])
    const {summary} = plan
    expect(plan.warnings).toEqual([])
    // Every retired code has a successor: nothing is retired without one, no agency retires into nothing.
    expect(plan.operations.filter((o) => o.op === 'unit.retire' && !o.after.default_successor)).toEqual([])
    expect(plan.operations.filter((o) => o.op === 'agency.retire' && o.after.successor_id === null)).toEqual(
      [],
    )
    expect(summary.units).toEqual({created: 0, renamed: 21, retyped: 5, reparented: 8, retired: 52})
    // Re-permissioned on the portal and the three smaller systems; only the second chairmen are disabled.
    const disabledBy = (system: string) =>
      plan.operations.filter((o) => o.op === 'account.disable' && o.key.system === system)
    for (const system of ['dvc', 'ecert', 'reporting', 'feedback', 'sso'])
      expect(summary.accountsBySystem[system]?.['account.reassign']).toBeGreaterThan(0)
    for (const op of [...disabledBy('dvc'), ...disabledBy('sso')])
      expect(op.note).toBe('single-holder role chu_tich')
    // QLVB: a new account in the new unit for each, the old one disabled and pointing at it.
    const qlvb = summary.accountsBySystem.qlvb
    expect(qlvb['account.reassign']).toBeUndefined()
    expect(qlvb['account.create']).toBeGreaterThan(1000)
    const recreated = disabledBy('qlvb').filter((o) => o.after.successor_username !== null)
    expect(recreated).toHaveLength(qlvb['account.create']!)
    // Names follow their units: Phường Trần Tế Xương (13636) is now Phường Vị Xuyên.
    expect(
      plan.operations.find((o) => o.op === 'agency.update' && o.key.id === '13636.ubnd')?.after,
    ).toMatchObject({
      name: 'Ủy ban nhân dân phường Vị Xuyên',
    })
    expect(plan.operations).toContainEqual(
      expect.objectContaining({op: 'mailbox.create', key: {address: 'ubnd.vixuyen@namdinh.gov.vn'}}),
    )
  })

  it('applies, verifies, leaves province 36 as the GSO list of September 2024, and rolls back exactly', async () => {
    registry = await mayRegistry()
    const before = await registryDigest(registry.db)
    const plan = await planFromFiles(registry.db, [MAPPING])
    const applied = await applyPlan(registry, plan)
    expect(applied.status).toBe('applied')
    const report = await verifyRun(registry.db, applied.run!)
    expect(report.checks.filter((c) => !c.ok)).toEqual([])

    const september = (await readUnitsFile(path.join(DATA, 'nam-dinh-units-2024-09-01.csv'))).units
    expect(await unitsOf36(registry)).toEqual(
      september
        .map((u) => ({code: u.code, name: u.name, type: u.type, parent_code: u.parentCode}))
        .sort((a, b) => (a.code < b.code ? -1 : 1)),
    )

    await rollbackRun(registry, applied.run!)
    expect(await registryDigest(registry.db)).toEqual(before)
  })

  it('verify fails when an agency keeps the name of its unit’s past (the behaviour before names followed units)', async () => {
    registry = await mayRegistry()
    const plan = await planFromFiles(registry.db, [MAPPING])
    const applied = await applyPlan(registry, plan)
    // What an apply of the earlier planner left: the renamed ward's bodies under their old names.
    await registry.db.raw(
      `update agencies set name = 'Ủy ban nhân dân phường Trần Tế Xương' where id = '13636.ubnd'`,
    )
    await registry.db.raw(
      `update mailboxes set display_name = 'Ủy ban nhân dân phường Trần Tế Xương' where owner_agency_id = '13636.ubnd' and status = 'active'`,
    )
    const report = await verifyRun(registry.db, applied.run!)
    const names = report.checks.find((c) => c.check.startsWith('every active agency, official mailbox'))
    expect(report.ok).toBe(false)
    expect(names).toMatchObject({ok: false})
    expect(names!.examples).toContain(
      'agency 13636.ubnd is "Ủy ban nhân dân phường Trần Tế Xương" but its unit is now "Phường Vị Xuyên"',
    )
  })
})
