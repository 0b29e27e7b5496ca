import {spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import type {RunRecord} from '../../src/registry/runs.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openRegistry} from '../../src/registry/db.js'
import {runCli} from '../helpers/cli.js'
import type {TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario, registryDigestOf} from '../helpers/scenario.js'

const BIN = path.resolve(import.meta.dirname, '../../bin/run.js')
const LOCK_KEY = 0x736170786570

/** Start the CLI without waiting: resolves with its exit code and output. */
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production', ...env},
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const done = new Promise<{status: number | null; signal: string | null; stdout: string; stderr: string}>(
    (resolve) => child.on('close', (status, signal) => resolve({status, signal, stdout, stderr})),
  )
  return {child, done, stderr: () => stderr}
}

describe('apply under contention and failure', () => {
  let target: TestRegistryTarget
  let planFile: string
  let dir: string
  let before: string
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)

  beforeAll(async () => {
    ;({target, planFile, dir, digest: before} = await ninhBinhScenario())
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  it('a process killed (SIGKILL) in the middle of apply leaves the registry as it was; the next apply succeeds', async () => {
    const run = start(['apply', planFile, '--yes', ...target.cliArgs], target.env)
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        // Kill once account rows have been written inside the open transaction.
        if (/account\.reassign: .* in /.test(run.stderr())) {
          clearInterval(timer)
          run.child.kill('SIGKILL')
          resolve()
        }
      }, 5)
      void run.done.then(() => {
        clearInterval(timer)
        reject(new Error(`apply finished before it could be killed: ${run.stderr()}`))
      })
    })
    const killed = await run.done
    expect(killed.signal).toBe('SIGKILL')
    expect(registryDigestOf(target)).toBe(before)
    // No lock is left behind: the embedded store's lock names a dead owner, the server's died with the session.
    const next = cli('apply', planFile, '--yes', '--json')
    expect(next.status, next.stderr).toBe(0)
    expect(next.json.status).toBe('applied')
    expect(cli('verify', String(next.json.run)).status).toBe(0)
    expect(cli('rollback', String(next.json.run), '--yes').status).toBe(0)
    expect(registryDigestOf(target)).toBe(before)
  })

  it('Ctrl-C during apply rolls back and releases the lock at once', async () => {
    const run = start(['apply', planFile, '--yes', ...target.cliArgs], target.env)
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/agency\.retire: .* in /.test(run.stderr())) {
          clearInterval(timer)
          run.child.kill('SIGINT')
          resolve()
        }
      }, 5)
      void run.done.then(() => {
        clearInterval(timer)
        reject(new Error(`apply finished before it could be interrupted: ${run.stderr()}`))
      })
    })
    const interrupted = await run.done
    expect(interrupted.status).toBe(1)
    expect(interrupted.stderr).toMatch(/interrupted: the transaction was rolled back/)
    expect(registryDigestOf(target)).toBe(before)
    // No stale lock is left behind: the next apply does not need to wait.
    const next = cli('apply', planFile, '--yes', '--dry-run')
    expect(next.status, next.stderr).toBe(0)
  })

  it('a second apply while the lock is held fails fast with exit 4, or waits with --lock-timeout', async () => {
    if (target.engine === 'pg') {
      const holder = new pg.Client({connectionString: target.databaseUrl})
      await holder.connect()
      await holder.query('begin')
      await holder.query('select pg_advisory_xact_lock($1)', [LOCK_KEY])
      const refused = cli('apply', planFile, '--yes')
      expect(refused.status).toBe(4)
      expect(refused.stderr).toMatch(
        /another sapxep write \(apply, rollback, import, seed or sync ldap\) holds the registry lock/,
      )
      const waiting = start(
        ['apply', planFile, '--yes', '--lock-timeout', '30', '--json', ...target.cliArgs],
        target.env,
      )
      await new Promise((r) => setTimeout(r, 1500))
      await holder.query('rollback')
      await holder.end()
      const waited = await waiting.done
      expect(waited.status, waited.stderr).toBe(0)
      expect(JSON.parse(waited.stdout).status).toBe('applied')
    } else {
      const holder = await openRegistry({home: target.home})
      const refused = cli('apply', planFile, '--yes')
      expect(refused.status).toBe(4)
      expect(refused.stderr).toMatch(/in use by another sapxep process/)
      const waiting = start(['apply', planFile, '--yes', '--lock-timeout', '30', '--json'], target.env)
      await new Promise((r) => setTimeout(r, 1500))
      await holder.close()
      const waited = await waiting.done
      expect(waited.status, waited.stderr).toBe(0)
      expect(JSON.parse(waited.stdout).status).toBe('applied')
    }
    const runs = cli('history', '--json').json.runs.filter((r: RunRecord) => r.status === 'applied')
    expect(runs).toHaveLength(1)
    expect(cli('rollback', String(runs[0].id), '--yes').status).toBe(0)
    expect(registryDigestOf(target)).toBe(before)
  })

  it('two applies at once: exactly one commits, the other exits 4 (or finds it already applied)', async () => {
    const a = start(['apply', planFile, '--yes', '--json', ...target.cliArgs], target.env)
    const b = start(['apply', planFile, '--yes', '--json', ...target.cliArgs], target.env)
    const results = await Promise.all([a.done, b.done])
    const statuses = results.map((r) => r.status).sort()
    const applied = results.filter((r) => r.status === 0 && JSON.parse(r.stdout).status === 'applied')
    expect(applied, JSON.stringify(results.map((r) => r.stderr))).toHaveLength(1)
    const other = results.find((r) => r !== applied[0])!
    if (other.status === 0) expect(JSON.parse(other.stdout).status).toBe('already-applied')
    else expect(statuses).toEqual([0, 4])
    const runs = cli('history', '--json').json.runs.filter((r: RunRecord) => r.status === 'applied')
    expect(runs).toHaveLength(1)
  })
})
