import fs from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import type {TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario, registryDigestOf} from '../helpers/scenario.js'
import {startCli, waitForStderr} from '../helpers/spawn.js'
import {runs} from './scale.js'

// SIGKILL and SIGINT at random moments of apply and of rollback, on the engine of the run: the registry
// is always either exactly before or exactly after, and usable at once (no lock left behind).

describe('signals at random moments of apply and rollback', () => {
  let target: TestRegistryTarget
  let planFile: string
  let dir: string
  let before: string
  let after: string
  let run: number | null = null
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)

  beforeAll(async () => {
    ;({target, planFile, dir} = await ninhBinhScenario())
    before = registryDigestOf(target)
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  /** Send `signal` a random time after the write has taken its lock; return whether it committed. */
  async function interrupt(args: string[], signal: 'SIGKILL' | 'SIGINT', step: RegExp): Promise<boolean> {
    const child = startCli([...args, ...target.cliArgs], target.env)
    await waitForStderr(child, step)
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3000)))
    child.child.kill(signal)
    const end = await child.done
    if (signal === 'SIGINT') expect(end.signal, end.stderr).toBeNull()
    return end.status === 0
  }

  function settle(committedApply: boolean | undefined, committedRollback: boolean | undefined): void {
    const digest = registryDigestOf(target)
    const history = cli('history', '--json')
    expect(history.status, history.stderr).toBe(0) // usable at once
    const applied = (history.json.runs as {id: number; status: string}[]).filter(
      (r) => r.status === 'applied',
    )
    if (applied.length > 0) {
      run = applied[0].id
      after ??= digest
      expect(digest).toBe(after)
    } else {
      run = null
      expect(digest).toBe(before)
    }
    if (committedApply === false) expect(applied).toHaveLength(0)
    if (committedRollback === false) expect(applied).toHaveLength(1)
  }

  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    const n = signal === 'SIGKILL' ? runs(1, 25) : runs(1, 10)
    it(`${signal} × ${n} during apply and × ${n} during rollback: 0 partial states`, async () => {
      for (let i = 0; i < n; i++) {
        // From "not applied": interrupt an apply, finish it if it did not commit.
        const applyCommitted = await interrupt(['apply', planFile, '--yes'], signal, /Checking the registry/)
        settle(signal === 'SIGINT' && !applyCommitted ? false : undefined, undefined)
        if (run === null) expect(cli('apply', planFile, '--yes').status).toBe(0)
        settle(undefined, undefined)
        // From "applied": interrupt its rollback, finish it if it did not commit.
        const rollbackCommitted = await interrupt(
          ['rollback', String(run)],
          signal,
          /Checking the rows the run wrote/,
        )
        settle(undefined, signal === 'SIGINT' && !rollbackCommitted ? false : undefined)
        if (run !== null) expect(cli('rollback', String(run)).status).toBe(0)
        settle(undefined, undefined)
        expect(run).toBeNull()
      }
      console.log(
        `kill suite (${target.engine}): ${signal} × ${n} on apply and on rollback, 0 partial states`,
      )
    })
  }
})
