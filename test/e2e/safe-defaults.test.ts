import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writePlanFile} from '../../src/plan/file.js'
import {runCli} from '../helpers/cli.js'
import {samplePlan} from '../helpers/plan-fixtures.js'
import {freshRegistryTarget, type TestRegistryTarget} from '../helpers/registry.js'
import {NINH_BINH} from '../helpers/scenario.js'

/**
 * Issue 14, items 1 and 2: a wrong or empty registry is said, never planned against or created; rollback
 * asks for confirmation like apply.
 */
describe('a registry that is not there is not created by commands that only read', () => {
  let root: string
  let home: string
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-nohome-'))
    home = path.join(root, 'x')
  })
  afterAll(() => fs.rmSync(root, {recursive: true, force: true}))

  const commands: Array<[string, string[]]> = [
    ['plan', ['plan', NINH_BINH]],
    ['verify', ['verify', '99']],
    ['history', ['history']],
    ['registry stats', ['registry', 'stats']],
    ['registry digest', ['registry', 'digest']],
    ['mapping validate --registry', ['mapping', 'validate', NINH_BINH, '--registry']],
    ['apply', ['apply', 'missing.plan.json', '--yes']],
    ['rollback', ['rollback', '1', '--yes']],
  ]
  it.each(commands)('%s says there is no registry, names where it looked, and creates nothing', (_, args) => {
    const r = runCli(args, {SAPXEP_HOME: home})
    expect(r.status, r.stdout).toBe(1)
    expect(r.stdout).toBe('')
    if (args[0] !== 'apply')
      expect(r.stderr).toContain(`no sapxep registry at ${path.join(home, 'registry')}`)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(fs.existsSync(home)).toBe(false)
  })

  it('says so under --json too, as an error object', () => {
    const r = runCli(['registry', 'stats', '--json'], {SAPXEP_HOME: home})
    expect(r.status).toBe(1)
    expect(r.json.error).toMatchObject({code: 'no_registry', exit: 1})
    expect(fs.existsSync(home)).toBe(false)
  })

  it('init creates it', () => {
    const r = runCli(['init'], {SAPXEP_HOME: home})
    expect(r.status, r.stderr).toBe(0)
    expect(fs.existsSync(path.join(home, 'registry', 'PG_VERSION'))).toBe(true)
  })
})

describe('an empty registry (or another province’s)', () => {
  let target: TestRegistryTarget
  let dir: string
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const location = () => (target.home ? path.join(target.home, 'registry') : 'postgres')
  beforeAll(async () => {
    target = await freshRegistryTarget()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-empty-'))
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  it('plan refuses, naming the units it did not find and the registry it opened', () => {
    const r = cli('plan', NINH_BINH, '--out', path.join(dir, 'nb.plan.json'))
    expect(r.status).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/none of the [0-9,]+ units the mapping names \([0-9, …]+\) is in the registry/)
    expect(r.stderr).toContain(`Registry: ${location()}`)
    expect(r.stderr).not.toContain('warning:')
    expect(fs.existsSync(path.join(dir, 'nb.plan.json'))).toBe(false)
  })

  it('apply of a plan made elsewhere is refused as stale and names the registry', async () => {
    const planFile = path.join(dir, 'elsewhere.plan.json')
    await writePlanFile(planFile, samplePlan())
    const r = cli('apply', planFile, '--yes')
    expect(r.status).toBe(5)
    expect(r.stderr).toContain('the plan is stale')
    expect(r.stderr).toContain(`Registry: ${location()}`)
  })

  it('verify of a run that does not exist names the registry', () => {
    const r = cli('verify', '99')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('there is no run 99')
    expect(r.stderr).toContain(`Registry: ${location()}`)
  })
})

describe('rollback asks like apply does', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  beforeAll(async () => {
    target = await freshRegistryTarget()
  })

  it('needs --yes without a terminal, and refuses before opening the registry', () => {
    const r = cli('rollback', '1')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      'rollback changes the registry: pass --yes to confirm when not running interactively',
    )
    expect(r.stderr).not.toContain('no run')
  })

  it('goes ahead with --yes (here: to say there is no such run)', () => {
    const r = cli('rollback', '1', '--yes')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('there is no run 1')
  })

  it('needs no confirmation for --dry-run', () => {
    const r = cli('rollback', '1', '--dry-run')
    expect(r.stderr).toContain('there is no run 1')
  })
})
