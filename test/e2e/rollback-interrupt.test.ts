import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import type {TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario, registryDigestOf} from '../helpers/scenario.js'
import {startCli, waitForStderr} from '../helpers/spawn.js'

describe('Ctrl-C during rollback, and a lock left without an owner', () => {
  let target: TestRegistryTarget
  let planFile: string
  let dir: string
  let before: string
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)

  beforeAll(async () => {
    ;({target, planFile, dir, digest: before} = await ninhBinhScenario())
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  function applyPlan(): {run: number; digest: string} {
    const r = cli('apply', planFile, '--yes', '--json')
    expect(r.status, r.stderr).toBe(0)
    return {run: r.json.run as number, digest: registryDigestOf(target)}
  }

  it('Ctrl-C at any moment of a rollback: undone and reported, or committed and reported; never a stuck lock', async () => {
    let applied = applyPlan()
    const outcomes: string[] = []
    // Delays after the rollback has taken the lock, spread over its statements.
    for (const delay of [0, 300, 1500]) {
      const run = startCli(['rollback', String(applied.run), '--yes', ...target.cliArgs], target.env)
      await waitForStderr(run, /Checking the rows the run wrote/)
      await new Promise((r) => setTimeout(r, delay))
      run.child.kill('SIGINT')
      const end = await run.done
      // A Ctrl-C that lands while the process tears down, its report out, meets the default handler
      // again (Node closes its signal watchers on the way out): the process dies by it, done already.
      const diedLeaving = end.signal !== null
      if (diedLeaving) expect(end.signal, end.stderr).toBe('SIGINT')
      if (!diedLeaving && end.status === 1) {
        expect(end.stderr).toMatch(/interrupted: the transaction was rolled back, nothing changed/)
        expect(registryDigestOf(target)).toBe(applied.digest)
        outcomes.push('interrupted')
      } else {
        if (!diedLeaving) expect(end.status, end.stderr).toBe(0)
        expect(end.stdout, end.stderr).toMatch(/rolled back/i)
        expect(registryDigestOf(target)).toBe(before)
        outcomes.push('committed')
        applied = applyPlan()
      }
      // The store is usable at once: no lock left behind.
      expect(cli('history').status).toBe(0)
    }
    expect(outcomes).toContain('interrupted')
    expect(cli('rollback', String(applied.run), '--yes').status).toBe(0)
    expect(registryDigestOf(target)).toBe(before)
  })

  it.runIf(process.env.SAPXEP_TEST_ENGINE !== 'pg')(
    'a lock directory without an owner file (a process that died taking it) does not block',
    () => {
      const lock = path.join(target.home!, 'registry.lock')
      fs.mkdirSync(lock)
      const old = new Date(Date.now() - 60_000)
      fs.utimesSync(lock, old, old)
      const r = cli('history', '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(fs.existsSync(lock)).toBe(false)
    },
  )

  it.runIf(process.env.SAPXEP_TEST_ENGINE !== 'pg')(
    'a lock whose owner file was left empty or torn (a process killed while writing it) does not block',
    () => {
      const lock = path.join(target.home!, 'registry.lock')
      for (const torn of ['', '{"pid": 12', 'null']) {
        fs.mkdirSync(lock)
        fs.writeFileSync(path.join(lock, 'owner'), torn)
        const old = new Date(Date.now() - 60_000)
        fs.utimesSync(lock, old, old)
        const r = cli('history', '--json')
        expect(r.status, `owner file ${JSON.stringify(torn)}: ${r.stderr}`).toBe(0)
        expect(fs.existsSync(lock)).toBe(false)
      }
    },
  )
})
