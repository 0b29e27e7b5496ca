import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writePlanFile} from '../../src/plan/file.js'
import {openRegistry} from '../../src/registry/db.js'
import {runCli} from '../helpers/cli.js'
import {testEngine} from '../helpers/engine.js'
import {samplePlan} from '../helpers/plan-fixtures.js'
import {freshRegistryTarget, type TestRegistryTarget} from '../helpers/registry.js'

/** Issue 14, item 6: what a user of any oclif CLI expects, and plain messages for plain mistakes. */
describe('oclif conventions', () => {
  let dir: string
  // The autocomplete cache goes to a temporary folder, not the user's.
  const cli = (...args: string[]) => runCli(args, {SAPXEP_CACHE_DIR: path.join(dir, 'cache')})
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-conventions-'))
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  it('-h is --help, for the CLI and for a command', () => {
    const root = cli('-h')
    expect(root.status).toBe(0)
    expect(root.stdout).toContain('TOPICS')
    const plan = cli('plan', '-h')
    expect(plan.status).toBe(0)
    expect(plan.stdout).toContain('$ sapxep plan MAPPING...')
  })

  it('sapxep help CMD shows the command’s help, -f included on plan as on show', () => {
    const r = cli('help', 'plan')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('-f, --format=<option>')
    expect(cli('help', 'show').stdout).toContain('-f, --format=<option>')
  })

  it('suggests the command meant, and exits 1 like any usage error', () => {
    const r = cli('aply')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('aply is not a sapxep command. Did you mean apply?')
    const topic = cli('registry', 'stat')
    expect(topic.stderr).toContain('Did you mean registry stats?')
    expect(cli('xyzzy').stderr).not.toContain('Did you mean')
  })

  it('has version, -v and --version', () => {
    for (const args of [['version'], ['-v'], ['--version']]) {
      const r = cli(...args)
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/^sapxep\/[0-9]+\.[0-9]+\.[0-9]+ /)
    }
  })

  it('writes a shell completion script', () => {
    const r = cli('autocomplete', 'script', 'bash')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('SAPXEP_AC_BASH_SETUP_PATH')
  })

  it('describes the registry import topic', () => {
    const r = cli('registry', 'import', '--help')
    expect(r.stdout).toContain('Import units (GSO lists) and the CSV exports of the real systems')
  })

  it('says plainly what is wrong with a run number, a plan file or a key', async () => {
    const run = cli('rollback', 'abc', '--yes')
    expect(run.status).toBe(1)
    expect(run.stderr).toBe('Error: RUN must be a run number such as 1 (see `sapxep history`), got "abc"\n')

    const missing = cli('show', path.join(dir, 'nb.plan.json'))
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain(`${path.join(dir, 'nb.plan.json')}: no such plan file`)

    const planFile = path.join(dir, 'sample.plan.json')
    await writePlanFile(planFile, samplePlan())
    expect(cli('plan', 'keygen', '--out', path.join(dir, 'keys'), '--name', 'lan').status).toBe(0)
    const pub = path.join(dir, 'keys', 'lan.pub.pem')
    const approve = cli('plan', 'approve', planFile, '--key', pub)
    expect(approve.status).toBe(1)
    expect(approve.stderr).toContain(`--key ${pub} is a public key: sign with your private key`)
  })

  it('refuses --json with --format instead of letting one silently win', async () => {
    const planFile = path.join(dir, 'json.plan.json')
    await writePlanFile(planFile, samplePlan())
    const r = cli('show', planFile, '--json', '-f', 'markdown')
    expect(r.status).toBe(1)
    expect(r.json.error.message).toContain('--json and --format do not go together')
    expect(cli('show', planFile, '--json').status).toBe(0)
    // With --out, --format says what goes into the file and --json what goes to stdout.
    const out = cli('show', planFile, '--json', '-f', 'markdown', '--out', path.join(dir, 'plan.md'))
    expect(out.status, out.stderr).toBe(0)
    expect(out.json).toMatchObject({format: 'markdown', out: path.join(dir, 'plan.md')})
  })
})

describe.skipIf(testEngine === 'pg')('exit 4 hints name only the flags the command has', () => {
  let target: TestRegistryTarget
  beforeAll(async () => {
    target = await freshRegistryTarget()
  })

  it('rollback may wait with --lock-timeout; registry stats has no such flag and does not offer it', async () => {
    const holder = await openRegistry({home: target.home})
    try {
      const rollback = runCli(['rollback', '1', '--yes'], target.env)
      expect(rollback.status).toBe(4)
      expect(rollback.stderr).toContain('or pass --lock-timeout SECONDS to wait for it')
      const stats = runCli(['registry', 'stats'], target.env)
      expect(stats.status).toBe(4)
      expect(stats.stderr).toContain('in use by another sapxep process')
      expect(stats.stderr).not.toContain('--lock-timeout')
    } finally {
      await holder.close()
    }
  })
})
