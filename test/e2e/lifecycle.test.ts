import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {VerifyCheck} from '../../src/apply/verify.js'
import type {Operation, SignedPlan} from '../../src/plan/types.js'
import type {Registry} from '../../src/registry/db.js'
import {query} from '../../src/registry/sql.js'
import {runCli} from '../helpers/cli.js'
import {DATA, openTarget, type TestRegistryTarget} from '../helpers/registry.js'
import {NINH_BINH, ninhBinhScenario, WORKFLOW_SCALE} from '../helpers/scenario.js'
import {expectShape} from '../helpers/schemas.js'

/**
 * The main job on the real data: GSO units of January 2025, the Nam Định sample (a tenth of its staff:
 * WORKFLOW_SCALE), the real Ninh Bình 2025 mapping — plan, review, dry-run, apply, verify, roll back — on
 * the engine of the run.
 */
describe('Ninh Bình 2025 on the Nam Định sample: plan → apply → verify → rollback', () => {
  let target: TestRegistryTarget
  let dir: string
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const digest = () => cli('registry', 'digest', '--json').json.digest as string
  let before: string
  let planFile: string

  beforeAll(async () => {
    ;({target, dir, planFile, digest: before} = await ninhBinhScenario({scale: WORKFLOW_SCALE}))
  })

  it('exits 2 with --detailed-exitcode when there are changes', () => {
    const r = cli('plan', NINH_BINH, '--json', '--detailed-exitcode')
    expect(r.status, r.stderr).toBe(2)
    expect(r.json.digest).toBe(readPlan().digest)
    // The documented shapes (schemas/): plan --json, the plan file, show --json.
    expectShape('plan', r.json)
    expectShape('plan-file', readPlan())
    // show reads only the file: it has no --database-url, which cli() adds on PostgreSQL.
    const shown = runCli(['show', planFile, '--json'])
    expect(shown.status, shown.stderr).toBe(0)
    expectShape('show', shown.json)
  })

  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  it('prints the documented shapes: registry stats and digest, mapping validate --registry', () => {
    expectShape('registry-digest', cli('registry', 'digest', '--json').json)
    expectShape('registry-stats', cli('registry', 'stats', '--json').json)
    const validated = cli('mapping', 'validate', NINH_BINH, '--registry', '--json')
    expect(validated.status, validated.stderr).toBe(0)
    expectShape('mapping-validate', validated.json)
  })

  const readPlan = (): SignedPlan => JSON.parse(fs.readFileSync(planFile, 'utf8')) as SignedPlan

  // One plan run for both: the scenario's plan was made with --json on another copy of the registry.
  it('is byte-identical when made twice from the same inputs; prints the same text from plan and from show, ending with the closing line', () => {
    const again = path.join(dir, 'same.plan.json')
    const planned = cli('plan', NINH_BINH, '--out', again)
    expect(planned.status, planned.stderr).toBe(0)
    expect(fs.readFileSync(again)).toEqual(fs.readFileSync(planFile))
    expect(planned.stderr).toContain(`Next: review it (sapxep show ${again} --format html`)
    const shown = runCli(['show', again])
    expect(shown.stdout).toBe(planned.stdout)
    const k = readPlan().summary.byKind
    expect(k['unit.retire']).toBeGreaterThan(0)
    expect(planned.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^Plan: [0-9,]+ to create, [0-9,]+ to change, [0-9,]+ to disable or retire\.$/,
    )
  })

  it("retires Nam Định's 175 communes into 57 new ones", () => {
    const plan = readPlan()
    const namDinhCommunes = new Set<string>(
      fs
        .readFileSync(path.join(DATA, 'nam-dinh-units-2024-09-01.csv'), 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[5]),
    )
    expect(namDinhCommunes.size).toBe(175)
    const formedFromNamDinh = plan.units.filter(
      (u) => u.level === 3 && u.sources.some((s) => namDinhCommunes.has(s.code)),
    )
    expect(formedFromNamDinh).toHaveLength(57)
    const covered = new Set(formedFromNamDinh.flatMap((u) => u.sources.map((s) => s.code)))
    for (const code of namDinhCommunes) expect(covered.has(code), code).toBe(true)
    const retired = new Set(plan.operations.filter((o) => o.op === 'unit.retire').map((o) => o.key.code))
    const survivors = new Set(formedFromNamDinh.map((u) => u.code))
    for (const code of namDinhCommunes) expect(retired.has(code) || survivors.has(code), code).toBe(true)
  })

  it('covers every active account, mailbox, agency and endpoint of the retired units (counted from the registry)', async () => {
    const plan = readPlan()
    const retiredUnits = plan.operations.filter((o) => o.op === 'unit.retire').map((o) => o.key.code)
    const registry: Registry = await openTarget(target)
    try {
      const q = async (sql: string) =>
        (await query<{k: string}>(registry.db, sql, [retiredUnits])).map((r) => r.k)
      const agencies = await q(
        `select id as k from agencies where status = 'active' and unit_code = any(?::text[])`,
      )
      const accounts = await q(
        `select a.system || '/' || a.username as k from accounts a join agencies g on g.id = a.agency_id
         where a.status = 'active' and g.unit_code = any(?::text[])`,
      )
      const mailboxes = await q(
        `select m.address as k from mailboxes m join agencies g on g.id = m.owner_agency_id
         where m.status = 'active' and m.kind = 'official' and g.unit_code = any(?::text[])`,
      )
      const endpoints = await q(
        `select e.axis || '/' || e.agency_code as k from endpoints e join agencies g on g.id = e.agency_id
         where e.status = 'registered' and g.unit_code = any(?::text[])`,
      )
      expect(agencies.length).toBeGreaterThan(500)
      expect(accounts.length).toBeGreaterThan(1_000)
      const keysOf = (kinds: string[], key: (o: Operation) => string) =>
        new Set(plan.operations.filter((o) => kinds.includes(o.op)).map(key))
      const retiredAgencies = keysOf(['agency.retire'], (o) => o.key.id)
      const movedAccounts = keysOf(
        ['account.reassign', 'account.disable'],
        (o) => `${o.key.system}/${o.key.username}`,
      )
      const suspended = keysOf(['mailbox.suspend'], (o) => o.key.address)
      const unregistered = keysOf(['endpoint.unregister'], (o) => `${o.key.axis}/${o.key.agency_code}`)
      expect(agencies.filter((k: string) => !retiredAgencies.has(k))).toEqual([])
      expect(accounts.filter((k: string) => !movedAccounts.has(k))).toEqual([])
      expect(mailboxes.filter((k: string) => !suspended.has(k))).toEqual([])
      expect(endpoints.filter((k: string) => !unregistered.has(k))).toEqual([])
    } finally {
      await registry.close()
    }
  })

  it('sends the agencies and accounts of a split commune to its default successor (official table splits)', () => {
    const plan = readPlan()
    const splits = plan.operations.filter(
      (o) => o.op === 'unit.retire' && String(o.after.successors).includes(' '),
    )
    expect(splits.length).toBeGreaterThan(0)
    for (const split of splits) {
      const ubnd = plan.operations.find(
        (o) => o.op === 'agency.retire' && o.key.id === `${split.key.code}.ubnd`,
      )
      expect(ubnd?.after.successor_id, split.key.code).toBe(`${split.after.default_successor}.ubnd`)
      const accounts = plan.operations.filter(
        (o) => o.op === 'account.reassign' && o.before?.agency_id === `${split.key.code}.ubnd`,
      )
      expect(accounts.length).toBeGreaterThan(0)
      for (const a of accounts) expect(a.after.agency_id).toBe(`${split.after.default_successor}.ubnd`)
    }
  })

  it('detects any change to the plan body (exit 6)', () => {
    const text = fs.readFileSync(planFile, 'utf8')
    const tampered = path.join(dir, 'tampered.plan.json')
    // Re-point one account to another agency: a one-character edit inside the body.
    const i = text.indexOf('{"after":{"agency_id":"')
    const edited =
      text.slice(0, i) +
      text.slice(i).replace(/"agency_id":"(\d)/, (_, d) => `"agency_id":"${(Number(d) + 1) % 10}`)
    expect(edited).not.toBe(text)
    fs.writeFileSync(tampered, edited)
    for (const r of [cli('apply', tampered, '--yes'), runCli(['show', tampered])]) {
      expect(r.status).toBe(6)
      expect(r.stderr).toMatch(/altered since it was made/)
    }
    expect(digest()).toBe(before)
  })

  it('dry-run touches exactly the rows the plan says and leaves the digest unchanged', () => {
    const plan = readPlan()
    const r = cli('apply', planFile, '--dry-run', '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json.status).toBe('dry-run')
    expectShape('apply', r.json)
    expect(r.json.touched).toEqual(plan.summary.rowsByTable)
    expect(digest()).toBe(before)
  })

  it('refuses to apply without --yes when not interactive', () => {
    const r = cli('apply', planFile)
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/--yes/)
    expect(digest()).toBe(before)
  })

  it('applies, verifies, and rolls back to the exact digest it started from', () => {
    const applied = cli('apply', planFile, '--yes', '--json')
    expect(applied.status, applied.stderr).toBe(0)
    expect(applied.json.status).toBe('applied')
    expectShape('apply', applied.json)
    const run = String(applied.json.run)
    expect(digest()).not.toBe(before)

    const verifyRun = cli('verify', run, '--json')
    expect(verifyRun.status, JSON.stringify(verifyRun.json?.checks?.filter((c: VerifyCheck) => !c.ok))).toBe(
      0,
    )
    expectShape('verify', verifyRun.json)
    expect(cli('verify', planFile).status).toBe(0)

    const again = cli('apply', planFile, '--yes')
    expect(again.status).toBe(0)
    expect(again.stdout).toContain(`already applied by run ${run}`)

    const listed = cli('history', '--json').json
    expectShape('history', listed)
    const history = listed.runs
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({id: Number(run), status: 'applied', plan_digest: readPlan().digest})

    const rolled = cli('rollback', run, '--yes', '--json')
    expect(rolled.status, rolled.stderr).toBe(0)
    expectShape('rollback', rolled.json)
    expect(digest()).toBe(before)
    const twice = cli('rollback', run, '--yes')
    expect(twice.status).toBe(0)
    expect(twice.stdout).toContain('already rolled back')
    expect(digest()).toBe(before)
    expect(cli('history', '--json').json.runs[0].status).toBe('rolled_back')
  })

  it('refuses a plan made before an unrelated-looking change to a row it read (exit 5)', async () => {
    const registry = await openTarget(target)
    try {
      // A clerk fixes a holder's name in a Nam Định commune: the plan does not change that column.
      await registry.db.raw(
        `update accounts set holder = holder || ' (sửa)' where (system, username) =
           (select system, username from accounts a join agencies g on g.id = a.agency_id
            where g.unit_code = '13669' and a.status = 'active' order by 1, 2 limit 1)`,
      )
    } finally {
      await registry.close()
    }
    const changed = digest()
    const r = cli('apply', planFile, '--yes')
    expect(r.status).toBe(5)
    expect(r.stderr).toMatch(/stale/)
    expect(r.stderr).toMatch(/accounts of unit 13669/)
    expect(digest()).toBe(changed)
  })
})
