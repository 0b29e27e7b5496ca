import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {applyPlan} from '../../src/apply/executor.js'
import {tablesStillAsWritten} from '../../src/apply/journal.js'
import {rollbackRun} from '../../src/apply/rollback.js'
import {verifyRun} from '../../src/apply/verify.js'
import {planFromFiles} from '../../src/plan/from-files.js'
import type {Operation, SignedPlan} from '../../src/plan/types.js'
import type {Registry} from '../../src/registry/db.js'
import {registryDigest} from '../../src/registry/digest.js'
import {getRun, tablesWritten} from '../../src/registry/runs.js'
import {execute, queryOne} from '../../src/registry/sql.js'
import {testEngine} from '../helpers/engine.js'
import {openTarget, type TestRegistryTarget} from '../helpers/registry.js'
import {NINH_BINH, scenarioRegistryTarget} from '../helpers/scenario.js'

// The executor in process (no CLI): what apply, verify and rollback do when the registry moves under
// them, on the engine of the run (PGlite by default, PostgreSQL with SAPXEP_TEST_ENGINE=pg).
describe('apply, verify and rollback in process, when the registry changes under them', () => {
  let target: TestRegistryTarget
  let registry: Registry
  const digest = async () => (await registryDigest(registry.db)).digest
  const reassigned = (plan: SignedPlan): Operation[] =>
    plan.operations.filter((o) => o.op === 'account.reassign')

  beforeAll(async () => {
    // The GSO units of March 2025 and the Nam Định sample, built once per run (test/helpers/scenario.ts).
    target = await scenarioRegistryTarget()
    registry = await openTarget(target)
  })
  afterAll(() => registry?.close())

  it('refuses a plan made before a change to a row it read (exit 5), naming the table and unit, writing nothing', async () => {
    const plan = await planFromFiles(registry.db, [NINH_BINH])
    const account = reassigned(plan)[0]
    // A clerk fixes a holder's name: a column the plan does not change, on a row the plan read.
    const fix = `update accounts set holder = holder || ' (sửa)' where system = ? and username = ?`
    await execute(registry.db, fix, [String(account.key.system), String(account.key.username)])
    const changed = await digest()
    const refused = applyPlan(registry, plan)
    await expect(refused).rejects.toMatchObject({exitCode: 5})
    await expect(refused).rejects.toThrow(/stale/)
    expect(await digest()).toBe(changed)
    await execute(
      registry.db,
      `update accounts set holder = left(holder, -6) where system = ? and username = ?`,
      [String(account.key.system), String(account.key.username)],
    )
  })

  it('verify reports a row changed after the run; rollback refuses it (exit 5) and --force restores the run’s columns only', async () => {
    const before = await digest()
    const plan = await planFromFiles(registry.db, [NINH_BINH])
    const applied = await applyPlan(registry, plan)
    expect(applied.status).toBe('applied')
    const run = applied.run!
    expect((await verifyRun(registry.db, run)).ok).toBe(true)

    const [moved, renamed] = reassigned(plan)
    const keyOf = (o: Operation) => [String(o.key.system), String(o.key.username)]
    await execute(registry.db, `update accounts set agency_id = ? where system = ? and username = ?`, [
      String(moved.before?.agency_id),
      ...keyOf(moved),
    ])
    await execute(
      registry.db,
      `update accounts set holder = holder || ' (sửa)' where system = ? and username = ?`,
      keyOf(renamed),
    )
    const row = `accounts {"system": "${moved.key.system}", "username": "${moved.key.username}"}`
    const report = await verifyRun(registry.db, run)
    expect(report.ok).toBe(false)
    expect(report.checks[0]).toMatchObject({ok: false, violations: 1, examples: [row]})

    const changed = await digest()
    const refused = rollbackRun(registry, run)
    await expect(refused).rejects.toMatchObject({exitCode: 5})
    await expect(refused).rejects.toThrow(row)
    expect(await digest()).toBe(changed)

    const forced = await rollbackRun(registry, run, {force: true})
    expect(forced).toMatchObject({status: 'rolled-back', overwritten: [row]})
    const holder = await queryOne<{holder: string}>(
      registry.db,
      `select holder from accounts where system = ? and username = ?`,
      keyOf(renamed),
    )
    // The holder fix is a column the run never wrote: rollback keeps it.
    expect(holder?.holder).toMatch(/ \(sửa\)$/)
    await execute(
      registry.db,
      `update accounts set holder = left(holder, -6) where system = ? and username = ?`,
      keyOf(renamed),
    )
    expect(await digest()).toBe(before)
    expect(await rollbackRun(registry, run)).toMatchObject({status: 'already-rolled-back'})
  })

  it('takes the rows of a table as the run left them only while each is the version its transaction wrote', async () => {
    const before = await digest()
    const plan = await planFromFiles(registry.db, [NINH_BINH])
    const runId = (await applyPlan(registry, plan)).run!
    const run = (await getRun(registry.db, runId))!
    const written = tablesWritten(run.counts)
    expect(written).toEqual(expect.arrayContaining(['accounts', 'agencies', 'units', 'mailboxes']))
    const vouched = async () => [...(await tablesStillAsWritten(registry.db, run, written))].sort()
    expect(await vouched()).toEqual([...written].sort())

    // An update that writes back the values the run left: the row is another version, so its table is
    // compared row by row, and found as the run left it.
    const account = reassigned(plan)[0]
    const key = [String(account.key.system), String(account.key.username)]
    await execute(
      registry.db,
      `update accounts set agency_id = agency_id where system = ? and username = ?`,
      key,
    )
    expect(await vouched()).toEqual(written.filter((t) => t !== 'accounts').sort())
    expect((await verifyRun(registry.db, runId)).ok).toBe(true)

    // A run applied before its transaction was recorded (migration 006), one recorded by another
    // database cluster (a dump restored elsewhere), and one whose 32-bit transaction id may have come
    // round again: every table compared row by row.
    const recorded = await queryOne<{xid: string; xid_cluster: string}>(
      registry.db,
      `select xid::text as xid, xid_cluster::text as xid_cluster from runs where id = ?`,
      [runId],
    )
    const record = (xid: string, cluster: string) =>
      execute(registry.db, `update runs set xid = ?::bigint, xid_cluster = ?::bigint where id = ?`, [
        xid,
        cluster,
        runId,
      ])
    await execute(registry.db, `update runs set xid = null, xid_cluster = null where id = ?`, [runId])
    expect(await vouched()).toEqual([])
    await record(recorded!.xid, String(BigInt(recorded!.xid_cluster) + 1n))
    expect(await vouched()).toEqual([])
    await record(String(BigInt(recorded!.xid) - 2n ** 32n), recorded!.xid_cluster)
    expect(await vouched()).toEqual([])
    expect((await verifyRun(registry.db, runId)).ok).toBe(true)

    await record(recorded!.xid, recorded!.xid_cluster)
    expect(await vouched()).toEqual(written.filter((t) => t !== 'accounts').sort())
    await execute(registry.db, `update accounts set agency_id = ? where system = ? and username = ?`, [
      String(account.before?.agency_id),
      ...key,
    ])
    const report = await verifyRun(registry.db, runId)
    expect(report.checks[0]).toMatchObject({ok: false, violations: 1})
    await rollbackRun(registry, runId, {force: true})
    expect(await digest()).toBe(before)
  })

  it.runIf(testEngine === 'pg')(
    'two applies of one plan from two connections at once: one applies, the other waits and finds it applied',
    async () => {
      const before = await digest()
      const plan = await planFromFiles(registry.db, [NINH_BINH])
      const other = await openTarget(target)
      try {
        const results = await Promise.all([
          applyPlan(registry, plan, {lockTimeoutSeconds: 120}),
          applyPlan(other, plan, {lockTimeoutSeconds: 120}),
        ])
        expect(results.map((r) => r.status).sort()).toEqual(['already-applied', 'applied'])
        const run = results.find((r) => r.status === 'applied')!.run!
        expect((await verifyRun(registry.db, run)).ok).toBe(true)
        await rollbackRun(registry, run)
      } finally {
        await other.close()
      }
      expect(await digest()).toBe(before)
    },
  )
})
