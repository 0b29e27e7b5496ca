import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {validateMappings} from '../../src/mapping/index.js'
import type {Finding} from '../../src/mapping/findings.js'
import {runCli} from '../helpers/cli.js'
import {
  DATA,
  FIXTURES,
  freshRegistryTarget,
  openTarget,
  type TestRegistryTarget,
} from '../helpers/registry.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const MAPPINGS = path.join(ROOT, 'mappings')
const NINH_BINH = path.join(MAPPINGS, '2025/37-ninh-binh.yaml')
const HO_CHI_MINH = path.join(MAPPINGS, '2025/79-ho-chi-minh.yaml')
const NAM_DINH_2024 = path.join(MAPPINGS, '2024/36-nam-dinh.yaml')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-mapping-registry-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

function copyWith(source: string, name: string, from: string, to: string): string {
  const text = fs.readFileSync(source, 'utf8')
  expect(text).toContain(from)
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text.replace(from, to))
  return file
}

describe('mapping validate --registry, registry loaded from the GSO list of January 2025', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)

  beforeAll(async () => {
    target = await freshRegistryTarget()
    const r = cli('registry', 'import', 'units', path.join(DATA, 'gso-units-2025-01-04.csv'), '--json')
    expect(r.status, r.stderr).toBe(0)
  })

  it('the Ninh Bình mapping validates: every code exists and is active, every unit of 35, 36 and 37 is covered', () => {
    const r = cli('mapping', 'validate', NINH_BINH, '--registry', '--json')
    expect(r.status, r.stdout).toBe(0)
    expect(r.json).toEqual({valid: true, errors: [], warnings: []})
  })

  it('the same through the library', async () => {
    const registry = await openTarget(target)
    try {
      const report = await validateMappings([NINH_BINH], {registry})
      expect(report.valid).toBe(true)
      expect(report.errors).toEqual([])
    } finally {
      await registry.close()
    }
  })

  it('reports clearly the codes that changed between January and July 2025 (Hồ Chí Minh City)', () => {
    const r = cli('mapping', 'validate', HO_CHI_MINH, '--registry', '--json')
    expect(r.status).toBe(1)
    const unknown = r.json.errors
      .filter((e: Finding) => e.rule === 'registry-unknown-code')
      .map((e: Finding) => e.message)
    expect(unknown).toContain('from code 26929 is not in the registry')
    expect(new Set(unknown.map((m: string) => m.split(' ')[2]))).toEqual(
      new Set(['26929', '26953', '27076', '27226', '27232', '27367', '27373']),
    )
    const uncovered = r.json.errors.filter((e: Finding) => e.rule === 'registry-uncovered')
    expect(uncovered.map((e: Finding) => e.message.split(' ')[2])).toEqual([
      '26935',
      '26959',
      '27067',
      '27217',
      '27223',
      '27361',
      '27379',
    ])
    expect(uncovered[0].message).toBe(
      'active commune 26935 (Phường 14) in Quận Bình Thạnh of province 79 is not in this complete mapping: say what becomes of it',
    )
    expect(uncovered[0]).toMatchObject({path: 'units[0].code', line: expect.any(Number)})
  })

  it('a new code that belongs to another active unit, and a code the registry does not have', () => {
    const r = cli(
      'mapping',
      'validate',
      path.join(FIXTURES, 'mappings', 'registry-conflicts.yaml'),
      '--registry',
      '--json',
    )
    expect(r.status).toBe(1)
    expect(r.json.errors.map((e: Finding) => `${e.line}:${e.column} ${e.rule} ${e.message}`)).toEqual([
      '14:11 registry-code-taken 13294 already belongs to Phường Châu Cầu, which is not among the units forming Phường Phù Vân',
      '18:16 registry-unknown-code from code 13289 is not in the registry',
    ])
  })

  it('a code already retired in the registry', async () => {
    const registry = await openTarget(target)
    try {
      await registry.db('units').where({code: '13294'}).update({status: 'retired', valid_to: '2025-01-05'})
      const report = await validateMappings([NINH_BINH], {registry})
      expect(report.errors.map((e) => `${e.rule} ${e.message}`)).toEqual([
        'registry-retired-code from code 13294 (Phường Châu Cầu) is already retired in the registry',
      ])
    } finally {
      await registry.db('units').where({code: '13294'}).update({status: 'active', valid_to: null})
      await registry.close()
    }
  })

  it('without --registry the registry is not opened (no database needed)', () => {
    const r = runCli(['mapping', 'validate', NINH_BINH], {
      DATABASE_URL: 'postgres://nobody:secret@127.0.0.1:1/none',
    })
    expect(r.status).toBe(0)
  })
})

describe('mapping validate --registry, registry loaded from the GSO list of March 2025', () => {
  it('all 34 files of 2025 hold: exit 0, no errors', async () => {
    const target = await freshRegistryTarget()
    const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
    expect(cli('registry', 'import', 'units', path.join(DATA, 'gso-units-2025-03-01.csv')).status).toBe(0)
    const r = cli('mapping', 'validate', path.join(MAPPINGS, '2025'), '--registry', '--json')
    expect(r.status, r.stdout.slice(0, 2000)).toBe(0)
    expect(r.json.valid).toBe(true)
    expect(r.json.errors).toEqual([])
    // Only spellings of old names that differ between the table and the list.
    expect(new Set(r.json.warnings.map((w: {rule: string}) => w.rule))).toEqual(
      new Set(['registry-name-mismatch']),
    )
  })
})

describe('mapping validate --registry, Nam Định before the 2024 merger (GSO list of May 2024)', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)

  beforeAll(async () => {
    target = await freshRegistryTarget()
    const r = cli('registry', 'import', 'units', path.join(DATA, 'nam-dinh-units-2024-05-01.csv'), '--json')
    expect(r.status, r.stderr).toBe(0)
  })

  it('the 2024 mapping validates, its expected counts (9 districts, 175 communes) checked against the registry', () => {
    const r = cli('mapping', 'validate', NAM_DINH_2024, '--registry', '--json')
    expect(r.status, r.stdout).toBe(0)
    expect(r.json.errors).toEqual([])
    const wrong = copyWith(NAM_DINH_2024, 'nam-dinh-expect.yaml', 'communes: 175}', 'communes: 176}')
    const w = cli('mapping', 'validate', wrong, '--registry', '--json')
    expect(w.status).toBe(1)
    expect(w.json.errors.map((e: Finding) => e.message)).toEqual([
      'expect.communes is 176, but after this change province 36 has 175 communes (registry and mapping)',
    ])
  })

  it('a commune left under the merged district Mỹ Lộc (358) is an orphan', () => {
    const file = copyWith(
      NAM_DINH_2024,
      'nam-dinh-orphan.yaml',
      '  - code: "13711"\n    name: Xã Mỹ Hà\n    type: Xã\n    parent: "356"\n    from:\n      - {code: "13711", name: Xã Mỹ Hà}\n',
      '',
    )
    const r = cli('mapping', 'validate', file, '--registry', '--json')
    expect(r.status).toBe(1)
    expect(r.json.errors).toContainEqual(
      expect.objectContaining({
        rule: 'registry-orphan',
        path: 'units[0].from[1].code',
        message:
          '13711 (Xã Mỹ Hà) sits under 358, which stops existing here: list it with a new parent or say where it goes',
      }),
    )
  })
})
