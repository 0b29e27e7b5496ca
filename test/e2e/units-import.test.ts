import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {DATA, FIXTURES, freshRegistryTarget, type TestRegistryTarget} from '../helpers/registry.js'

const GSO = path.join(DATA, 'gso-units-2025-01-04.csv')
const fixture = (name: string) => path.join(FIXTURES, 'units', name)

describe('registry import units (real GSO list)', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  let digestAfterImport: string

  beforeAll(async () => {
    target = await freshRegistryTarget()
    const r = cli('registry', 'import', 'units', GSO, '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json).toMatchObject({format: 'gso', inserted: 63 + 696 + 10051, updated: 0})
    digestAfterImport = cli('registry', 'digest', '--json').json.digest
  })

  it('reports 63 provinces, 696 districts and 10,039 active communes: 10,051 less the 12 stale rows', () => {
    const r = cli('registry', 'stats', '--json')
    expect(r.status).toBe(0)
    expect(r.json).toEqual({
      units: {province: 63, district: 696, commune: 10039},
      agencies: 0,
      accounts: 0,
      mailboxes: 0,
      endpoints: 0,
    })
  })

  it('changes nothing when the same file is imported again', () => {
    const again = cli('registry', 'import', 'units', GSO, '--json')
    expect(again.status).toBe(0)
    expect(again.json).toMatchObject({inserted: 0, updated: 0, unchanged: 10810})
    expect(cli('registry', 'digest', '--json').json.digest).toBe(digestAfterImport)
    expect(cli('registry', 'stats', '--json').json.units).toEqual({
      province: 63,
      district: 696,
      commune: 10039,
    })
  })

  it('keeps codes as strings with leading zeros and names in NFC', async () => {
    const r = cli('registry', 'digest', '--json')
    expect(r.json.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(Object.keys(r.json.tables)).toContain('units')
  })

  it.each([
    ['bad-code-length.csv', 4, /commune code "0016" must be 5 digits/],
    ['missing-column.csv', 1, /missing column "Mã QH"/],
    ['unknown-parent.csv', 5, /commune 00016 \(Phường Ngọc Hà\) has an unknown parent/],
    ['short-row.csv', 4, /expected 8 fields .* found 6/],
    ['broken-quote.csv', 5, /malformed CSV/],
  ])('rejects %s with its line, exit 1, and writes nothing', (name, line, message) => {
    const file = fixture(name)
    const r = cli('registry', 'import', 'units', file)
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`${file}:${line}: `)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    expect(cli('registry', 'digest', '--json').json.digest).toBe(digestAfterImport)
  })

  it('reports a bad row as JSON with the same exit code under --json', () => {
    const r = cli('registry', 'import', 'units', fixture('bad-code-length.csv'), '--json')
    expect(r.status).toBe(1)
    expect(r.json.error).toMatchObject({code: 'input', exit: 1})
    expect(r.json.error.message).toContain('bad-code-length.csv:4:')
  })

  it('imports the Nam Định snapshot format and counts its renames', () => {
    const r = cli('registry', 'import', 'units', path.join(DATA, 'nam-dinh-units-2024-09-01.csv'), '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json).toMatchObject({
      format: 'province-snapshot',
      units: {province: 1, district: 9, commune: 175},
    })
    // January 2025 is already after NQ 1104, so the September 2024 snapshot adds no unit.
    expect(r.json.inserted).toBe(0)
  })
})

describe('registry import units: the stale rows of the 2025 GSO lists (data/errata/gso-units-2025.csv)', () => {
  const MARCH = path.join(DATA, 'gso-units-2025-03-01.csv')

  it('records the 12 stale rows as retired, with a likely successor where the list suggests one, and says so', async () => {
    const target = await freshRegistryTarget()
    const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
    const r = cli('registry', 'import', 'units', MARCH, '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json.units).toEqual({province: 63, district: 696, commune: 10047})
    expect(r.json.errata.file).toMatch(/data\/errata\/gso-units-2025\.csv$/)
    expect(r.json.errata.retired.map((e: {code: string}) => e.code)).toEqual([
      '07693',
      '07732',
      '07744',
      '16387',
      '16411',
      '18448',
      '20176',
      '20674',
      '25102',
      '25174',
      '25177',
      '25186',
    ])
    expect(r.json.errata.retired[0]).toMatchObject({
      name: 'Xã Tân An',
      successor: {code: '07682', name: 'Phường Tân An', confidence: 'likely'},
    })
    // The table's count of old communes: 10,035 active.
    expect(cli('registry', 'stats', '--json').json.units).toEqual({
      province: 63,
      district: 696,
      commune: 10035,
    })
    const text = cli('registry', 'import', 'units', MARCH)
    expect(text.stdout).toContain('0 new, 0 updated, 10,806 unchanged')
    expect(text.stdout).toContain('12 stale rows recorded as retired')
    expect(text.stdout).toContain("  25102 Xã Đạ M'ri → 25096 Thị trấn Đạ M'ri (likely)")
    expect(text.stdout).toContain('  07732 Xã Nham Sơn (successor not known)')
  })

  it('--as-printed imports the list as published: 10,047 active communes', async () => {
    const target = await freshRegistryTarget()
    const r = runCli(
      ['registry', 'import', 'units', MARCH, '--as-printed', '--json', ...target.cliArgs],
      target.env,
    )
    expect(r.status, r.stderr).toBe(0)
    expect(r.json.errata).toEqual({file: null, retired: []})
    expect(runCli(['registry', 'stats', '--json', ...target.cliArgs], target.env).json.units.commune).toBe(
      10047,
    )
  })
})

describe('usage errors', () => {
  it('exit 1 (not 2) for an unknown flag or a missing argument, with --json too', async () => {
    const target = await freshRegistryTarget()
    expect(runCli(['registry', 'import', 'units', ...target.cliArgs], target.env).status).toBe(1)
    const r = runCli(['registry', 'stats', '--bogus', '--json', ...target.cliArgs], target.env)
    expect(r.status).toBe(1)
    expect(r.json.error.message).toMatch(/Nonexistent flag: --bogus/)
  })

  it('never prints the database password', () => {
    const r = runCli(['db', 'status', '--database-url', 'postgres://postgres:s3cr3t-pw@127.0.0.1:1/nope'])
    expect(r.status).toBe(1)
    expect(r.stderr + r.stdout).not.toContain('s3cr3t-pw')
    expect(r.stderr).toContain('postgres://postgres:***@127.0.0.1:1/nope')
  })
})
