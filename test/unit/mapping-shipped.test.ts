import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {describe, expect, it} from 'vitest'
import {SapxepError} from '../../src/errors.js'
import {
  loadMappingFile,
  mappingJsonSchema,
  resolveMapping,
  RULES,
  validateMappings,
} from '../../src/mapping/index.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const MAPPINGS = path.join(ROOT, 'mappings')
const NINH_BINH = path.join(MAPPINGS, '2025/37-ninh-binh.yaml')
const NAM_DINH_2024 = path.join(MAPPINGS, '2024/36-nam-dinh.yaml')

describe('the mappings sapxep ships', () => {
  it("all validate as one set: no errors and no warnings (the table's wrong codes are corrected as errata)", async () => {
    const cpu = process.cpuUsage()
    const report = await validateMappings([MAPPINGS])
    const {user, system} = process.cpuUsage(cpu)
    expect(report.errors).toEqual([])
    expect(report.valid).toBe(true)
    expect(report.warnings).toEqual([])
    // Timing is the benchmark's job; this only prints it (0.6–1.5 s of CPU measured here for 35 files).
    console.log(`mapping validate mappings/: ${((user + system) / 1e6).toFixed(2)} s of CPU`)
  })

  it('mappings/README.md lists every rule with its severity and summary', () => {
    const readme = fs.readFileSync(path.join(MAPPINGS, 'README.md'), 'utf8')
    for (const [id, rule] of Object.entries(RULES))
      expect(readme).toContain(`| \`${id}\` | ${rule.severity} | ${rule.summary} |`)
  })

  it('the 34 provinces of 2025 are all there, one file each', () => {
    const files = fs.readdirSync(path.join(MAPPINGS, '2025'))
    expect(files).toHaveLength(34)
    expect(files.every((f) => /^[0-9]{2}-[a-z-]+\.yaml$/.test(f))).toBe(true)
  })

  it('ships the JSON Schema generated from the zod schema (regenerate with `sapxep mapping schema`)', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(MAPPINGS, 'mapping.schema.json'), 'utf8'))
    expect(shipped).toEqual(mappingJsonSchema())
    for (const file of [NINH_BINH, NAM_DINH_2024])
      expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toBe(
        '# yaml-language-server: $schema=../mapping.schema.json',
      )
  })

  it('loadMappingFile gives the digest of the bytes and the parsed mapping', async () => {
    const loaded = await loadMappingFile(NINH_BINH)
    expect(loaded.file).toBe(path.relative(process.cwd(), NINH_BINH))
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(loaded.mapping.decision).toMatchObject({
      number: '1674/NQ-UBTVQH15',
      effective: '2025-07-01',
      official: true,
    })
    expect(loaded.mapping.units).toHaveLength(130)
  })

  it('loadMappingFile refuses an invalid file with a SapxepError (exit 1) listing the findings with positions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-load-'))
    const file = path.join(dir, 'bad.yaml')
    fs.writeFileSync(
      file,
      fs.readFileSync(NINH_BINH, 'utf8').replace('{code: "13294", name: Phường Châu Cầu}', '{code: "1329"}'),
    )
    const err = await loadMappingFile(file).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SapxepError)
    expect((err as SapxepError).exitCode).toBe(1)
    expect((err as SapxepError).message).toMatch(
      /bad\.yaml:37:16: error \[code-format\] "1329" is not a unit code/,
    )
    expect((err as SapxepError).details).toMatchObject({
      valid: false,
      errors: [{rule: 'code-format', line: 37, column: 16}],
    })
    fs.rmSync(dir, {recursive: true, force: true})
  })

  describe('resolveMapping (Ninh Bình 2025)', () => {
    it('gives units sorted by code with levels, parents and sources', async () => {
      const r = resolveMapping((await loadMappingFile(NINH_BINH)).mapping)
      expect(r.abolishDistricts).toBe(true)
      expect(r.scope).toBe('complete')
      expect(r.province).toEqual({code: '37', name: 'Tỉnh Ninh Bình'})
      expect(r.units[0]).toEqual({
        code: '37',
        name: 'Tỉnh Ninh Bình',
        type: 'Tỉnh',
        level: 1,
        parentCode: null,
        sources: [
          {code: '35', share: 'whole', isDefault: true},
          {code: '36', share: 'whole', isDefault: true},
          {code: '37', share: 'whole', isDefault: true},
        ],
      })
      expect(r.units.filter((u) => u.level === 3)).toHaveLength(129)
      expect(r.units.every((u) => u.level === 1 || u.parentCode === '37')).toBe(true)
      expect(r.units.map((u) => u.code)).toEqual(
        [...r.units.map((u) => u.code)].sort((a, b) => a.length - b.length || a.localeCompare(b)),
      )
    })

    it('lists retired codes with their successors, the default first; a split code that survives is not retired', async () => {
      const r = resolveMapping((await loadMappingFile(NINH_BINH)).mapping)
      const retired = new Map(r.retired.map((x) => [x.code, x.successors]))
      expect(retired.get('13294')).toEqual([{code: '13285', isDefault: true}]) // Phường Châu Cầu into Phường Phủ Lý
      expect(retired.get('13357')).toEqual([
        {code: '13336', isDefault: true},
        {code: '13366', isDefault: false},
      ])
      expect(retired.has('13285')).toBe(false) // split, but kept by Phường Phủ Lý
      expect(retired.get('35')).toEqual([{code: '37', isDefault: true}])
      // 129 communes after, from 398 old communes (of which 129 - 2 keep their code)
      expect(r.retired.filter((x) => x.code.length === 5)).toHaveLength(
        398 - r.units.filter((u) => u.level === 3 && u.sources.some((s) => s.code === u.code)).length,
      )
    })

    it('fills every policy default, per system too', async () => {
      const r = resolveMapping((await loadMappingFile(NINH_BINH)).mapping)
      expect(r.policies.mail).toEqual({
        domain: 'ninhbinh.gov.vn',
        pattern: '{body}.{unit}',
        oldAddresses: 'alias',
        aliasMonths: 12,
      })
      expect(Object.keys(r.policies.accounts.systems)).toEqual([
        'dvc',
        'qlvb',
        'ecert',
        'reporting',
        'feedback',
        'sso',
      ])
      expect(r.policies.accounts.systems.qlvb).toEqual({default: 'reassign', roles: {}})
      expect(r.policies.identifierCodes).toEqual({level1: 'inherit', allocation: 'sequential'})
      expect(r.expect).toEqual({districts: 0, communes: 129})
    })
  })

  describe('Nam Định 2024: the two GSO lists and the successors of NQ 1104', () => {
    type Row = Record<string, string>
    const read = (name: string) =>
      parse(fs.readFileSync(path.join(ROOT, 'data', name), 'utf8'), {columns: true}) as Row[]
    const before = read('nam-dinh-units-2024-05-01.csv')
    const after = read('nam-dinh-units-2024-09-01.csv')

    it('applied to the May 2024 list, gives the September 2024 list: codes, names, types and parents', async () => {
      const r = resolveMapping((await loadMappingFile(NAM_DINH_2024)).mapping)
      const state = new Map(
        before.map((b) => [
          b.commune_code,
          {name: b.commune_name, type: b.commune_type, parent: b.district_code},
        ]),
      )
      const districts = new Set(before.map((b) => b.district_code))
      for (const x of r.retired) {
        state.delete(x.code)
        districts.delete(x.code)
      }
      for (const u of r.units.filter((u) => u.level === 3))
        state.set(u.code, {name: u.name, type: u.type, parent: u.parentCode!})
      const expected = new Map(
        after.map((a) => [
          a.commune_code,
          {name: a.commune_name, type: a.commune_type, parent: a.district_code},
        ]),
      )
      expect(Object.fromEntries(state)).toEqual(Object.fromEntries(expected))
      expect([...districts].sort()).toEqual([...new Set(after.map((a) => a.district_code))].sort())
      expect(r.expect).toEqual({districts: 9, communes: 175})
    })

    it('gives every retired code the successor data/nq1104-successors.csv names, with its source; marked not official', async () => {
      const loaded = await loadMappingFile(NAM_DINH_2024)
      const r = resolveMapping(loaded.mapping)
      expect(r.decision).toMatchObject({number: '1104/NQ-UBTVQH15', effective: '2024-09-01', official: false})
      const successors = read('nq1104-successors.csv')
      expect(successors).toHaveLength(51)
      expect(r.retired.filter((x) => x.successors.length === 0)).toEqual([])
      const successorOf = new Map(r.retired.map((x) => [x.code, x.successors]))
      for (const row of successors)
        expect(successorOf.get(row.retired_code)).toEqual([{code: row.successor_code, isDefault: true}])
      // Each `from` entry of a retired code says how sure its successor is, and where that comes from.
      const notes = loaded.mapping.units.flatMap((u) => (u.from ?? []).filter((f) => successorOf.has(f.code)))
      for (const f of notes.filter((f) => f.code.length === 5))
        expect(f.note).toMatch(/^NQ 1104, (confirmed|likely): https:\/\//)
      expect(successors.filter((x) => x.confidence === 'confirmed')).toHaveLength(17)
      expect(r.policies.identifierCodes.level1).toBe('H40')
      expect(r.policies.accounts.systems.qlvb.default).toBe('recreate')
      expect(r.policies.accounts.systems.dvc.default).toBe('reassign')
    })
  })
})
