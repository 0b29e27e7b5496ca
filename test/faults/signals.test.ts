import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {planFromFiles, writePlanFile} from '../../src/index.js'
import {runCli} from '../helpers/cli.js'
import {withDb, type TestRegistryTarget} from '../helpers/registry.js'
import {scenarioRegistryTarget} from '../helpers/scenario.js'
import {startCli, waitForStderr} from '../helpers/spawn.js'
import {communesByProvince, mergeMappingArb, writeMapping} from './merges.js'
import {FULL, runs, seed} from './scale.js'

// SIGKILL and SIGINT at random moments of apply and of rollback, on the engine of the run. After every
// signal the registry is exactly as before the command or exactly as after it (digest), the run record
// agrees (the same command finished afterwards reports "already" exactly when the digest is the after
// one), and the store is usable at once: `registry digest` right after the process ended, without waiting.

const WRITE_STARTS = /Taking the registry write lock/

/** When to send the signal: a fraction of the whole command's run, or of its write (lock to exit). */
interface Moment {
  inWrite: boolean
  fraction: number
}

/** How long a command takes on this machine: spawn to exit, and write lock to exit (measured once). */
interface Duration {
  total: number
  write: number
}

type Signal = 'SIGKILL' | 'SIGINT'

/** A fraction in [0, 1), uniform: without noBias fast-check favours edge values (0 and tiny ones). */
const uniformFraction = fc.integer({min: 0, max: 999_999}).map((n) => n / 1_000_000)

describe('signals at random moments of apply and rollback', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-signals-'))
  let scenario: TestRegistryTarget
  let planFile: string
  let before: string
  let after: string
  const durations: Record<'apply' | 'rollback', Duration> = {
    apply: {total: 0, write: 0},
    rollback: {total: 0, write: 0},
  }

  const cliOn = (target: TestRegistryTarget, ...args: string[]) =>
    runCli([...args, ...target.cliArgs], target.env)
  const digestOf = (target: TestRegistryTarget) => {
    const r = cliOn(target, 'registry', 'digest', '--json')
    // Usable at once: the first command after the signal neither waits nor finds a lock.
    expect(r.status, `registry digest right after the signal: ${r.stderr}`).toBe(0)
    return r.json.digest as string
  }

  /** Run a command to its end, timing it from spawn and from the moment it takes the write lock. */
  async function timed(target: TestRegistryTarget, args: string[]): Promise<Duration> {
    const started = Date.now()
    const run = startCli([...args, ...target.cliArgs], target.env)
    await waitForStderr(run, WRITE_STARTS)
    const locked = Date.now()
    const end = await run.done
    expect(end.status, end.stderr).toBe(0)
    return {total: Date.now() - started, write: Date.now() - locked}
  }

  beforeAll(async () => {
    scenario = await scenarioRegistryTarget()
    // A small generated merger (a few hundred operations): one kill cycle takes seconds, not minutes.
    const mapping = fc.sample(
      mergeMappingArb(await withDb(scenario, (r) => communesByProvince(r, ['36'])), 10),
      {seed, numRuns: 1},
    )[0]
    planFile = path.join(dir, 'signals.plan.json')
    await withDb(scenario, async (registry) =>
      writePlanFile(planFile, await planFromFiles(registry.db, [writeMapping(dir, 'signals', mapping)])),
    )
    before = digestOf(scenario)
    durations.apply = await timed(scenario, ['apply', planFile, '--yes'])
    after = digestOf(scenario)
    durations.rollback = await timed(scenario, ['rollback', '1', '--yes'])
    expect(digestOf(scenario)).toBe(before)
    expect(after).not.toBe(before)
    console.log(
      `signals (${scenario.engine}): apply ${durations.apply.total} ms (write ${durations.apply.write} ms), ` +
        `rollback ${durations.rollback.total} ms (write ${durations.rollback.write} ms); seed ${seed}`,
    )
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  /**
   * Start `args`, send `signal` at `moment`, wait for the process to end. `hit`: the signal reached it
   * before it ended; `reported`: what it said it did (exit 0: committed; the interrupted message: not).
   */
  async function signalAt(
    target: TestRegistryTarget,
    args: string[],
    duration: Duration,
    signal: Signal,
    moment: Moment,
  ): Promise<{hit: boolean; at: number; status: number | null; killedBy: string | null; stderr: string}> {
    const started = Date.now()
    const run = startCli([...args, ...target.cliArgs], target.env)
    let ended = false
    void run.done.then(() => (ended = true))
    if (moment.inWrite) await waitForStderr(run, WRITE_STARTS).catch(() => {})
    const delay = Math.floor(moment.fraction * (moment.inWrite ? duration.write : duration.total))
    await new Promise((r) => setTimeout(r, delay))
    const at = Date.now() - started
    const hit = !ended && run.child.kill(signal)
    const end = await run.done
    return {hit, at, status: end.status, killedBy: end.signal, stderr: end.stderr}
  }

  // Full: 25 SIGKILLs and 10 SIGINTs of each of apply and rollback. Reduced (CI): one of each signal,
  // SIGKILL of an apply and SIGINT of the rollback that follows.
  // SAPXEP_FAULTS_SIGNALS=K,I: K SIGKILLs and I SIGINTs of each instead (a shorter full run).
  const [kills, interrupts] = process.env.SAPXEP_FAULTS_SIGNALS?.split(',').map(Number) ?? [
    runs(1, 25),
    runs(1, 10),
  ]
  const steps: {op: 'apply' | 'rollback'; signal: Signal}[] =
    FULL || process.env.SAPXEP_FAULTS_SIGNALS
      ? [
          ...Array.from({length: kills}, () => ['SIGKILL', 'SIGKILL'] as const),
          ...Array.from({length: interrupts}, () => ['SIGINT', 'SIGINT'] as const),
        ].flatMap(([a, r]) => [
          {op: 'apply' as const, signal: a},
          {op: 'rollback' as const, signal: r},
        ])
      : [
          {op: 'apply', signal: 'SIGKILL'},
          {op: 'rollback', signal: 'SIGINT'},
        ]

  it(`${steps.length} signals (${steps.filter((x) => x.signal === 'SIGKILL').length} SIGKILL, ${steps.filter((x) => x.signal === 'SIGINT').length} SIGINT) at random moments of apply and rollback: 0 partial states, usable at once`, async () => {
    const target = await scenarioRegistryTarget()
    const tally: Record<string, {sent: number; hit: number; committed: number; undone: number}> = {}
    const moments = fc.sample(fc.noBias(fc.record({inWrite: fc.boolean(), fraction: uniformFraction})), {
      seed,
      numRuns: steps.length,
    })
    let run = 0
    const started = Date.now()
    for (const [i, {op, signal}] of steps.entries()) {
      const args = op === 'apply' ? ['apply', planFile, '--yes'] : ['rollback', String(run), '--yes']
      const moment = moments[i]
      const end = await signalAt(target, args, durations[op], signal, moment)
      const digest = digestOf(target)
      const [from, to] = op === 'apply' ? [before, after] : [after, before]
      const what = `step ${i + 1}/${steps.length}: ${signal} of ${op} at ${end.at} ms (${moment.inWrite ? 'in the write' : 'in the whole run'}): exit ${end.status ?? end.killedBy}`
      expect([from, to], `${what}: a partial state\n${end.stderr}`).toContain(digest)
      const committed = digest === to
      // What the process said matches what it did.
      if (end.status === 0) expect(committed, what).toBe(true)
      if (/interrupted: the transaction was rolled back, nothing changed/.test(end.stderr))
        expect(committed, what).toBe(false)
      // The run record agrees with the rows: finishing the command does the work exactly when it was
      // not done, and reports "already" when it was.
      const finish = cliOn(target, ...args, '--json')
      expect(finish.status, `${what}; finishing: ${finish.stderr}`).toBe(0)
      if (op === 'apply') {
        expect(finish.json.status, what).toBe(committed ? 'already-applied' : 'applied')
        run = finish.json.run as number
      } else expect(finish.json.status, what).toBe(committed ? 'already-rolled-back' : 'rolled-back')
      if (process.env.SAPXEP_FAULTS_VERBOSE)
        console.log(`signals: ${what}: ${committed ? 'after' : 'before'}`)
      const t = (tally[`${signal} of ${op}`] ??= {sent: 0, hit: 0, committed: 0, undone: 0})
      t.sent++
      if (end.hit) t.hit++
      if (end.hit && committed) t.committed++
      if (end.hit && !committed) t.undone++
    }
    expect(digestOf(target)).toBe(before)
    for (const [what, t] of Object.entries(tally))
      console.log(
        `signals (${target.engine}): ${what} × ${t.sent}: ${t.hit} reached a running process ` +
          `(${t.undone} not committed: the digest before the command; ${t.committed} committed: the digest after it), 0 partial states, usable at once every time`,
      )
    console.log(
      `signals (${target.engine}): ${steps.length} signals in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    )
  })
})
