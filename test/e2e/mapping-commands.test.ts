import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import type {Finding} from '../../src/mapping/findings.js'
import {runCli} from '../helpers/cli.js'
import {FIXTURES} from '../helpers/registry.js'

// The built CLI, run as a user would, on the shipped mappings and on corrupted copies of them.
const ROOT = path.resolve(import.meta.dirname, '../..')
const MAPPINGS = path.join(ROOT, 'mappings')
const NINH_BINH = path.join(MAPPINGS, '2025/37-ninh-binh.yaml')
const TABLE = path.join(ROOT, 'data/conversion-table-2025-07-01.csv')
const fixture = (name: string) => path.join(FIXTURES, 'mappings', name)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-mapping-cli-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

/** A copy of the real Ninh Bình mapping with one change; returns the file and the 1-based line changed. */
function corrupt(name: string, from: string, to: string): {file: string; line: number} {
  const text = fs.readFileSync(NINH_BINH, 'utf8')
  const at = text.indexOf(from)
  expect(at, `"${from}" is in the Ninh Bình mapping`).toBeGreaterThan(0)
  const file = path.join(tmp, `${name}.yaml`)
  fs.writeFileSync(file, text.slice(0, at) + to + text.slice(at + from.length))
  return {file, line: text.slice(0, at).split('\n').length}
}

function expectNoStack(r: {stdout: string; stderr: string}): void {
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/)
  expect(r.stderr).not.toMatch(/unexpected error/)
}

describe('sapxep mapping validate', () => {
  it('every shipped mapping validates (exit 0)', () => {
    const started = Date.now()
    const r = runCli(['mapping', 'validate', path.join(MAPPINGS, '2025')])
    // Wall time depends on the machine's load; the CPU bound is asserted in test/unit/mapping-shipped.test.ts.
    console.log(`mapping validate mappings/2025 (34 files, whole CLI run): ${Date.now() - started} ms`)
    expect(r.status, r.stdout + r.stderr).toBe(0)
    // The table's wrong codes are corrected as errata, and the 2024 file gives every code a successor.
    expect(r.stdout).toBe('valid: no problems found\n')
    const all = runCli(['mapping', 'validate', MAPPINGS])
    expect(all.status).toBe(0)
    expect(all.stdout).toBe('valid: no problems found\n')
  })

  it.each([
    [
      'a 4-digit code',
      'code-4',
      '{code: "13294", name: Phường Châu Cầu}',
      '{code: "1329", name: Phường Châu Cầu}',
      'code-format',
      /"1329" is not a unit code/,
    ],
    [
      'a code merged twice',
      'merged-twice',
      '{code: "13306", name: Xã Phù Vân}',
      '{code: "13294", name: Phường Châu Cầu}',
      'merged-twice',
      /13294 is already merged whole into 13285 \(line \d+\); it cannot also be merged whole into 13291/,
    ],
    [
      'a split without default successor',
      'no-default',
      '{code: "13324", name: Phường Hòa Mạc, share: part, default: true}',
      '{code: "13324", name: Phường Hòa Mạc, share: part}',
      'split-default',
      /13324 is split over 13324, 13330 but none is its default successor/,
    ],
    [
      'a wrong expect count',
      'expect',
      'communes: 129}',
      'communes: 130}',
      'expect',
      /expect\.communes is 130 but the file lists 129 communes/,
    ],
  ])('%s: exit 1 and a positioned message with its rule id', (_what, name, from, to, rule, message) => {
    const {file, line} = corrupt(name, from, to)
    const r = runCli(['mapping', 'validate', file])
    expect(r.status).toBe(1)
    expectNoStack(r)
    const shown = path.relative(ROOT, file)
    const hit = r.stdout.split('\n').find((l) => l.includes(`error [${rule}]`))
    expect(hit, r.stdout).toBeDefined()
    expect(hit).toMatch(
      new RegExp(`^${shown.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${line}:\\d+: error \\[${rule}\\] `),
    )
    expect(hit).toMatch(message)
    expect(r.stdout).toMatch(/invalid: 1 error/)
  })

  it('broken YAML: exit 1, a syntax finding with its line, no stack trace', () => {
    const {file} = corrupt(
      'broken',
      '{code: "13294", name: Phường Châu Cầu}',
      '{code: "13294", name: Phường Châu Cầu',
    )
    const r = runCli(['mapping', 'validate', file, '--json'])
    expect(r.status).toBe(1)
    expectNoStack(r)
    expect(r.json.valid).toBe(false)
    expect(r.json.errors[0]).toMatchObject({
      rule: 'syntax',
      line: expect.any(Number),
      column: expect.any(Number),
    })
    const f = runCli(['mapping', 'validate', fixture('broken-yaml.yaml')])
    expect(f.status).toBe(1)
    expect(f.stdout).toMatch(
      /broken-yaml\.yaml:14:3: error \[syntax\] Flow map in block collection must be sufficiently indented and end with a \}/,
    )
  })

  it('reports every problem of a file in one run', () => {
    const r = runCli(['mapping', 'validate', fixture('several-problems.yaml'), '--json'])
    expect(r.status).toBe(1)
    expect(r.json.errors.map((e: Finding) => `${e.line}:${e.column} ${e.rule} ${e.path}`)).toEqual([
      '14:16 code-format units[0].from[1].code',
      '20:16 merged-twice units[1].from[1].code',
      '24:19 split-default units[2].from[0].code',
      '28:19 code-format units[3].from[0].code',
      '33:5 unknown-key units[4].parnet',
    ])
  })

  it('--json and --format json print {valid, errors, warnings} with file, line, column, path, rule, message', () => {
    const {file} = corrupt('json', 'communes: 129}', 'communes: 130}')
    for (const args of [['--json'], ['--format', 'json']]) {
      const r = runCli(['mapping', 'validate', file, ...args])
      expect(r.status).toBe(1)
      expect(Object.keys(r.json)).toEqual(['valid', 'errors', 'warnings'])
      expect(r.json.valid).toBe(false)
      expect(r.json.warnings).toEqual([])
      expect(r.json.errors).toEqual([
        {
          file: path.relative(ROOT, file),
          line: expect.any(Number),
          column: 34,
          path: 'expect.communes',
          rule: 'expect',
          message: 'expect.communes is 130 but the file lists 129 communes',
        },
      ])
    }
  })

  it('--format github prints workflow commands', () => {
    const {file, line} = corrupt(
      'github',
      '{code: "13294", name: Phường Châu Cầu}',
      '{code: "1329", name: Phường Châu Cầu}',
    )
    const r = runCli(['mapping', 'validate', file, '--format', 'github'])
    expect(r.status).toBe(1)
    const shown = path.relative(ROOT, file)
    expect(r.stdout.trim()).toBe(
      `::error file=${shown},line=${line},col=16,title=sapxep code-format::"1329" is not a unit code: codes are quoted strings of 2 (province), 3 (district) or 5 (commune) digits (units[1].from[1].code)`,
    )
    const spaced = corrupt(
      'github-warning',
      '{code: "13294", name: Phường Châu Cầu}',
      '{code: "13294", name: "Phường  Châu Cầu"}',
    )
    const warn = runCli(['mapping', 'validate', spaced.file, '--format', 'github'])
    expect(warn.status).toBe(0)
    expect(warn.stdout).toMatch(
      new RegExp(
        `^::warning file=${path.relative(ROOT, spaced.file)},line=${spaced.line},col=\\d+,title=sapxep text-whitespace::`,
      ),
    )
  })

  it('--strict fails on warnings', () => {
    const {file} = corrupt(
      'strict',
      '{code: "13294", name: Phường Châu Cầu}',
      '{code: "13294", name: "Phường  Châu Cầu"}',
    )
    expect(runCli(['mapping', 'validate', file]).status).toBe(0)
    expect(runCli(['mapping', 'validate', file, '--strict']).status).toBe(1)
  })

  it('a missing file, no arguments and a bad flag value exit 1 with a clear message', () => {
    const missing = runCli(['mapping', 'validate', path.join(tmp, 'nope.yaml')])
    expect(missing.status).toBe(1)
    expect(missing.stdout).toMatch(/nope\.yaml:1:1: error \[file\] no such file or folder/)
    expect(runCli(['mapping', 'validate']).status).toBe(1)
    const bad = runCli(['mapping', 'validate', NINH_BINH, '--format', 'xml'])
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/Expected --format=xml to be one of: text, json, github/)
  })
})

describe('sapxep mapping schema', () => {
  it('prints the JSON Schema that mappings/ ships', () => {
    const r = runCli(['mapping', 'schema'])
    expect(r.status).toBe(0)
    expect(r.json.$schema).toBe('http://json-schema.org/draft-07/schema#')
    expect(r.json.properties.units.items.properties.code.pattern).toBe('^(?:[0-9]{2}|[0-9]{3}|[0-9]{5})$')
    expect(r.json).toEqual(JSON.parse(fs.readFileSync(path.join(MAPPINGS, 'mapping.schema.json'), 'utf8')))
  })
})

describe('sapxep mapping import', () => {
  it('--json: files, provinces and commune counts of the full official table', () => {
    const out = path.join(tmp, 'import')
    const r = runCli(['mapping', 'import', TABLE, '--format', 'conversion-table', '--out', out, '--json'])
    expect(r.status, r.stderr).toBe(0)
    expect(Object.keys(r.json)).toEqual(['files', 'provinces', 'communes', 'defaults', 'errata'])
    expect(r.json.provinces).toBe(34)
    expect(r.json.communes).toEqual({new: 3321, old: 10035, split: 440})
    expect(r.json.errata.applied).toHaveLength(3)
    expect(r.json.defaults['table-order']).toBe(264)
    expect(r.json.files).toHaveLength(34)
    expect(r.json.files).toContain(path.join(out, '37-ninh-binh.yaml'))
    expect(runCli(['mapping', 'validate', out]).status).toBe(0)
  })

  it('--province: one file; text output and the table quirks on stderr', () => {
    const out = path.join(tmp, 'import-37')
    const r = runCli([
      'mapping',
      'import',
      TABLE,
      '--format',
      'conversion-table',
      '--province',
      '37',
      '--out',
      out,
    ])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(
      /Wrote 1 mapping file to .*: 1 province, 129 new communes from 398 old codes \(6 split\)\./,
    )
    expect(r.stderr).toMatch(
      /note: .*conversion-table-2025-07-01\.csv:4749: Xã Kim Đông \(14698\) also takes in/,
    )
    expect(fs.readFileSync(path.join(out, '37-ninh-binh.yaml'), 'utf8')).toBe(
      fs.readFileSync(NINH_BINH, 'utf8'),
    )
  })

  it('needs --format; a file that is not the table exits 1 with its line', () => {
    expect(runCli(['mapping', 'import', TABLE]).status).toBe(1)
    const r = runCli([
      'mapping',
      'import',
      path.join(ROOT, 'data/gso-units-2025-01-04.csv'),
      '--format',
      'conversion-table',
      '--out',
      path.join(tmp, 'x'),
    ])
    expect(r.status).toBe(1)
    expectNoStack(r)
    expect(r.stderr).toMatch(/gso-units-2025-01-04\.csv:2: not the official conversion table/)
  })
})
