import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {DATA, freshRegistryTarget, type TestRegistryTarget} from '../helpers/registry.js'

/** Issue 14, item 3: slow commands say what they are doing on stderr; --json keeps stderr quiet. */
describe('progress on stderr', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const units = path.join(DATA, 'nam-dinh-units-2024-05-01.csv')
  beforeAll(async () => {
    target = await freshRegistryTarget()
  })

  it('is plain lines when stderr is not a terminal, and the data stays on stdout', () => {
    const r = cli('registry', 'import', 'units', units)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr).toMatch(
      new RegExp(
        `^Importing units from ${units.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…\\n  done in [0-9.]+ s\\n`,
      ),
    )
    expect(r.stdout).toContain('1 provinces, 10 districts, 226 communes')
    expect(r.stdout).not.toContain('Importing')
  })

  it('is nothing with --json', () => {
    const r = cli('registry', 'import', 'units', units, '--json')
    expect(r.status).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.json.units).toMatchObject({commune: 226})
    const v = cli('verify', '1', '--json')
    expect(v.stderr).not.toContain('Verifying')
  })

  it('covers verify and rollback too', () => {
    expect(cli('verify', '1').stderr).toContain('Verifying 1…')
    expect(cli('rollback', '1', '--yes').stderr).toContain('Rolling back run 1…')
  })
})
