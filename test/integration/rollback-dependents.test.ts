import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {applyPlan} from '../../src/apply/executor.js'
import {rollbackRun} from '../../src/apply/rollback.js'
import {planFromFiles} from '../../src/plan/from-files.js'
import type {Registry} from '../../src/registry/db.js'
import {registryDigest} from '../../src/registry/digest.js'
import {execute} from '../../src/registry/sql.js'
import {openTarget} from '../helpers/registry.js'
import {NINH_BINH, scenarioRegistryTarget} from '../helpers/scenario.js'

// A later import added an alias to a mailbox the run created: removing the mailbox broke the alias's
// foreign key, and rollback failed with a raw SQL error even with --force.
describe('rollback over rows added since that refer to rows the run created', () => {
  let registry: Registry
  const digest = async () => (await registryDigest(registry.db)).digest

  beforeAll(async () => {
    // The GSO units of March 2025 and the Nam Định sample, built once per run (test/helpers/scenario.ts).
    registry = await openTarget(await scenarioRegistryTarget())
  })
  afterAll(() => registry?.close())

  it('refuses with exit 5 listing the rows; --force removes them and restores the registry exactly', async () => {
    const before = await digest()
    const plan = await planFromFiles(registry.db, [NINH_BINH])
    const run = (await applyPlan(registry, plan)).run!
    const created = plan.operations.find((o) => o.op === 'mailbox.create')!
    const address = String(created.key.address)
    const alias = `them-sau.${address}`
    await execute(registry.db, `insert into mailbox_aliases (alias, mailbox_address) values (?, ?)`, [
      alias,
      address,
    ])
    const added = await digest()
    const row =
      `mailbox_aliases {"alias": "${alias}"} (added since; refers to mailboxes {"address": "${address}"}, ` +
      `which run ${run} created)`

    const refused = rollbackRun(registry, run)
    await expect(refused).rejects.toMatchObject({exitCode: 5, code: 'changed_since'})
    await expect(refused).rejects.toThrow(row)
    expect(await digest()).toBe(added)

    const forced = await rollbackRun(registry, run, {force: true})
    expect(forced.status).toBe('rolled-back')
    expect(forced.overwritten).toEqual([row])
    expect(await digest()).toBe(before)
  })
})
