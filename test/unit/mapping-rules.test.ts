import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  RULES,
  validateMappings,
  validateText,
  type Finding,
  type ValidationReport,
} from '../../src/mapping/index.js'

// Real units of Ninh Bình (2025) and Nam Định (2024); each test changes one thing about them.
const HEAD_2025 = `format: sapxep/mapping@1
decision: {number: 1674/NQ-UBTVQH15, effective: "2025-07-01", official: true}
province: {code: "37", name: Tỉnh Ninh Bình}
abolish: [district]
units:
`
const PHU_LY = `  - code: "13285"
    name: Phường Phủ Lý
    type: Phường
    from:
      - {code: "13285", name: Phường Quang Trung, share: part, default: true}
      - {code: "13294", name: Phường Châu Cầu}
  - code: "13366"
    name: Phường Hà Nam
    type: Phường
    from:
      - {code: "13285", name: Phường Quang Trung, share: part}
      - {code: "13366", name: Phường Tân Hiệp}
`
const HEAD_2024 = `format: sapxep/mapping@1
decision: {number: 1104/NQ-UBTVQH15, effective: "2024-09-01", official: false}
province: {code: "36", name: Tỉnh Nam Định}
units:
  - code: "356"
    name: Thành phố Nam Định
    type: Thành phố
    from: [{code: "356"}, {code: "358", name: Huyện Mỹ Lộc}]
`

function run(text: string, file = 'mapping.yaml'): ValidationReport {
  return validateText(file, text)
}

function all(r: ValidationReport): Finding[] {
  return [...r.errors, ...r.warnings]
}

/** The findings of one rule, as `line:column rule` plus the message, for readable assertions. */
function of(r: ValidationReport, rule: string): Finding[] {
  return all(r).filter((f) => f.rule === rule)
}

describe('mapping rules', () => {
  it('accepts real units: a split with one default successor', () => {
    const r = run(HEAD_2025 + PHU_LY)
    expect(r.errors).toEqual([])
    expect(r.valid).toBe(true)
  })

  it('every rule has a severity and a summary', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      expect(id).toMatch(/^[a-z][a-z0-9-]*$/)
      expect(['error', 'warning']).toContain(rule.severity)
      expect(rule.summary.length).toBeGreaterThan(10)
    }
  })

  describe('syntax and schema', () => {
    it('syntax: broken YAML is a positioned finding', () => {
      const r = run(HEAD_2025 + '  - code: "13285"\n    name: [Phường Phủ Lý\n    type: Phường\n')
      expect(r.valid).toBe(false)
      const [f] = of(r, 'syntax')
      expect(f.file).toBe('mapping.yaml')
      expect(f.line).toBeGreaterThanOrEqual(7)
      expect(f.message).not.toMatch(/\n/)
    })

    it('syntax: duplicate keys', () => {
      const r = run(HEAD_2025.replace('abolish: [district]', 'abolish: [district]\nabolish: []') + PHU_LY)
      expect(of(r, 'syntax')[0]).toMatchObject({line: 5, message: expect.stringMatching(/unique/)})
    })

    it('code-format: a 4-digit code, with line and column', () => {
      const r = run(HEAD_2025 + PHU_LY.replace('{code: "13294"', '{code: "1329"'))
      expect(of(r, 'code-format')).toEqual([
        {
          file: 'mapping.yaml',
          line: 11,
          column: 16,
          path: 'units[0].from[1].code',
          rule: 'code-format',
          message: expect.stringMatching(
            /"1329" is not a unit code: .*2 \(province\), 3 \(district\) or 5 \(commune\) digits/,
          ),
        },
      ])
    })

    it('code-format: an unquoted code is read as a number; the message shows how to write it', () => {
      const r = run(
        HEAD_2025.replace('code: "37"', 'code: 37') + PHU_LY.replace('- code: "13366"', '- code: 13366'),
      )
      expect(of(r, 'code-format').map((f) => [f.line, f.path, f.message])).toEqual([
        [
          3,
          'province.code',
          'code 37 is read as a number; codes are strings (leading zeros matter): write "37"',
        ],
        [
          12,
          'units[1].code',
          'code 13366 is read as a number; codes are strings (leading zeros matter): write "13366"',
        ],
      ])
    })

    it('unknown-key: a typo gets a suggestion', () => {
      const r = run(HEAD_2025.replace('effective:', 'efective:') + PHU_LY)
      expect(of(r, 'unknown-key')[0]).toMatchObject({
        line: 2,
        path: 'decision.efective',
        message: expect.stringContaining('did you mean "effective"'),
      })
      expect(of(r, 'schema')[0]).toMatchObject({
        line: 2,
        message: expect.stringMatching(/decision needs "effective"/),
      })
    })

    it('format-version', () => {
      const r = run(HEAD_2025.replace('sapxep/mapping@1', 'sapxep/mapping@2') + PHU_LY)
      expect(of(r, 'format-version')[0]).toMatchObject({line: 1, column: 9})
    })

    it('schema: a bad date, an unknown type and an unknown policy value', () => {
      const r = run(
        HEAD_2025.replace('"2025-07-01"', '"2025-13-01"') +
          PHU_LY.replace(
            'type: Phường\n    from:\n      - {code: "13285", name: Phường Quang Trung, share: part, default',
            'type: Phuong\n    from:\n      - {code: "13285", name: Phường Quang Trung, share: part, default',
          ) +
          'policies: {accounts: {default: move}}\n',
      )
      const messages = of(r, 'schema').map((f) => `${f.line} ${f.message}`)
      expect(messages).toEqual([
        expect.stringMatching(/^2 "2025-13-01" is not a date/),
        expect.stringMatching(/^8 "Phuong" is not allowed for type: use one of Tỉnh, Thành phố/),
        expect.stringMatching(
          /^18 "move" is not allowed for default: use one of reassign, disable, recreate/,
        ),
      ])
    })

    it('keeps checking the rest of the file when one unit is broken', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace('{code: "13294"', '{code: "1329"') +
          PHU_LY.replace(/13285/g, '13288')
            .replace(/13366/g, '13372')
            .replace('share: part, default: true', 'share: part'),
      )
      expect(of(r, 'code-format')).toHaveLength(1)
      expect(of(r, 'split-default')[0]).toMatchObject({
        message: expect.stringMatching(/^13288 is split over 13288, 13372 but none is its default successor/),
      })
    })

    it('an empty file and a list are told apart from a mapping', () => {
      expect(of(run(''), 'schema')[0].message).toMatch(/the file is empty/)
      expect(of(run('- a\n- b\n'), 'schema')[0].message).toMatch(/must be a mapping of keys/)
    })

    it('JSON files are mappings too, with positions', () => {
      const json = JSON.stringify(
        {
          format: 'sapxep/mapping@1',
          decision: {number: '1674/NQ-UBTVQH15', effective: '2025-07-01', official: true},
          province: {code: '37', name: 'Tỉnh Ninh Bình'},
          abolish: ['district'],
          units: [
            {code: '13285', name: 'Phường Phủ Lý', type: 'Phường', from: [{code: '13285'}, {code: '1329'}]},
          ],
        },
        null,
        2,
      )
      const r = run(json, 'mapping.json')
      expect(of(r, 'code-format')[0]).toMatchObject({
        file: 'mapping.json',
        path: 'units[0].from[1].code',
        line: 25,
        column: 19,
      })
    })
  })

  describe('codes and units', () => {
    it('type-level: a commune code with a district type', () => {
      const r = run(HEAD_2025 + PHU_LY.replace('type: Phường', 'type: Huyện'))
      expect(of(r, 'type-level')[0]).toMatchObject({
        line: 8,
        message: expect.stringContaining('13285 has 5 digits, so it is a commune'),
      })
    })

    it('name-type: the name does not start with the type (warning)', () => {
      const r = run(HEAD_2025 + PHU_LY.replace('name: Phường Phủ Lý', 'name: Xã Phủ Lý'))
      expect(r.valid).toBe(true)
      expect(of(r, 'name-type')[0]).toMatchObject({
        line: 7,
        message: '"Xã Phủ Lý" does not start with its type "Phường"',
      })
    })

    it('source-level: communes merge with communes; a district may become a special zone', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace('{code: "13294", name: Phường Châu Cầu}', '{code: "347", name: Thành phố Phủ Lý}'),
      )
      expect(of(r, 'source-level')[0]).toMatchObject({
        line: 11,
        message: expect.stringMatching(/347 is a district but 13285 is a commune/),
      })
      const zone = `  - code: "11948"\n    name: Đặc khu Bạch Long Vĩ\n    type: Đặc khu\n    from: [{code: "318", name: Huyện Bạch Long Vĩ}]\n`
      expect(
        of(
          run(HEAD_2025.replace(/"37", name: Tỉnh Ninh Bình/, '"31", name: Thành phố Hải Phòng') + zone),
          'source-level',
        ),
      ).toEqual([])
    })

    it('duplicate-unit: a code listed twice', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY +
          PHU_LY.split('  - code: "13366"')[0]
            .replace('13294', '13297')
            .replace('share: part, default: true', 'share: part'),
      )
      expect(of(r, 'duplicate-unit')[0]).toMatchObject({
        line: 18,
        message: '13285 is already listed as a unit (line 6); codes after the change are unique',
      })
    })

    it('duplicate-source: a code twice in one from', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace(
            '{code: "13294", name: Phường Châu Cầu}',
            '{code: "13294"}\n      - {code: "13294"}',
          ),
      )
      expect(of(r, 'duplicate-source')[0]).toMatchObject({line: 12})
    })

    it('merged-twice: a code merged whole into two units', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace('{code: "13366", name: Phường Tân Hiệp}', '{code: "13294", name: Phường Châu Cầu}'),
      )
      expect(of(r, 'merged-twice')).toEqual([
        expect.objectContaining({
          line: 17,
          path: 'units[1].from[1].code',
          message:
            '13294 is already merged whole into 13285 (line 11); it cannot also be merged whole into 13366',
        }),
      ])
    })

    it('merged-twice: whole in one unit, part in another', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace(
            '{code: "13285", name: Phường Quang Trung, share: part}',
            '{code: "13294", share: part}',
          ),
      )
      expect(of(r, 'merged-twice')[0].message).toMatch(
        /13294 is already merged whole into 13285 .* cannot also be split into 13366/,
      )
    })

    it('merged-twice: a unit that is also merged away', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace(
            '{code: "13366", name: Phường Tân Hiệp}',
            '{code: "13369"}\n      - {code: "13285"}',
          ).replace(/share: part(, default: true)?/g, ''),
      )
      expect(of(r, 'merged-twice').map((f) => f.message)).toContainEqual(
        expect.stringMatching(/13285 continues as a unit/),
      )
    })

    it('split-default: a split without a default successor, and one with two', () => {
      const none = run(HEAD_2025 + PHU_LY.replace(', default: true', ''))
      expect(of(none, 'split-default')).toEqual([
        expect.objectContaining({
          line: 10,
          message:
            '13285 is split over 13285, 13366 but none is its default successor: mark one with default: true',
        }),
      ])
      const two = run(
        HEAD_2025 +
          PHU_LY.replace(
            '{code: "13285", name: Phường Quang Trung, share: part}',
            '{code: "13285", share: part, default: true}',
          ),
      )
      expect(of(two, 'split-default')[0]).toMatchObject({
        line: 16,
        message: expect.stringMatching(/already has a default successor, 13285 \(line 10\)/),
      })
    })

    it('split-survivor: a split code that survives is its own default successor', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace('share: part, default: true}', 'share: part}').replace(
            '{code: "13285", name: Phường Quang Trung, share: part}\n      - {code: "13366"',
            '{code: "13285", share: part, default: true}\n      - {code: "13366"',
          ),
      )
      expect(of(r, 'split-survivor')[0]).toMatchObject({
        line: 16,
        message: expect.stringMatching(/13285 survives as a unit \(line 6\)/),
      })
    })

    it('split-single: share: part with one receiving unit (warning)', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace(
            '{code: "13294", name: Phường Châu Cầu}',
            '{code: "13294", share: part, default: true}',
          ),
      )
      expect(r.valid).toBe(true)
      expect(of(r, 'split-single')[0]).toMatchObject({line: 11})
    })

    it('code-not-reused: a merged unit with a new code (warning)', () => {
      const r = run(HEAD_2025 + PHU_LY.replace('- code: "13366"', '- code: "13999"'))
      expect(of(r, 'code-not-reused')[0]).toMatchObject({
        line: 12,
        message: expect.stringContaining('13999 is formed from 13285, 13366 but reuses none of their codes'),
      })
    })

    it('source-name-conflict: one code, two names (warning)', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY.replace(
            '{code: "13285", name: Phường Quang Trung, share: part}',
            '{code: "13285", name: Phường Lam Hạ, share: part}',
          ),
      )
      expect(of(r, 'source-name-conflict')[0].message).toBe(
        '13285 is "Phường Lam Hạ" here but "Phường Quang Trung" at line 10: one of the two is likely a wrong code',
      )
    })

    it('text-nfc and text-whitespace: read normalised, with warnings', () => {
      const r = run(
        HEAD_2025 + PHU_LY.replace('name: Phường Phủ Lý', `name: "${'Phường Phủ Lý'.normalize('NFD')}  "`),
      )
      expect(r.valid).toBe(true)
      expect(of(r, 'text-nfc')[0]).toMatchObject({line: 7, path: 'units[0].name'})
      expect(of(r, 'text-whitespace')[0]).toMatchObject({
        line: 7,
        message: expect.stringContaining('read as "Phường Phủ Lý"'),
      })
      expect(of(r, 'name-type')).toEqual([])
    })
  })

  describe('parents, levels and the province', () => {
    it('parent-required: a commune needs a parent while districts exist', () => {
      const r = run(HEAD_2024 + '  - code: "13708"\n    name: Phường Hưng Lộc\n    type: Phường\n')
      expect(of(r, 'parent-required')[0]).toMatchObject({
        line: 9,
        message: expect.stringContaining("give `parent` (its district's code)"),
      })
    })

    it('parent-missing: a parent that stops existing in the same change (Mỹ Lộc, 358)', () => {
      const r = run(HEAD_2024 + '  - code: "13711"\n    name: Xã Mỹ Hà\n    type: Xã\n    parent: "358"\n')
      expect(of(r, 'parent-missing')[0]).toMatchObject({
        line: 12,
        message: 'parent 358 does not exist after the change: it is merged into 356 (line 8)',
      })
    })

    it('parent-level: a commune under a commune; a commune under a district when districts are abolished', () => {
      expect(
        of(
          run(HEAD_2024 + '  - code: "13711"\n    name: Xã Mỹ Hà\n    type: Xã\n    parent: "13708"\n'),
          'parent-level',
        )[0].message,
      ).toMatch(/the parent of commune 13711 must be a district \(3 digits\), not 13708/)
      expect(
        of(
          run(
            HEAD_2025 +
              PHU_LY.replace(
                '    type: Phường\n    from:\n      - {code: "13285"',
                '    type: Phường\n    parent: "347"\n    from:\n      - {code: "13285"',
              ),
          ),
          'parent-level',
        )[0].message,
      ).toMatch(/districts are abolished here, so commune 13285 sits directly under the province/)
    })

    it('abolished-level: a district in a file that abolishes districts', () => {
      const r = run(HEAD_2025 + '  - code: "356"\n    name: Thành phố Nam Định\n    type: Thành phố\n')
      expect(of(r, 'abolished-level')[0]).toMatchObject({line: 6})
    })

    it('province-mismatch: the province unit differs from `province`', () => {
      const r = run(
        HEAD_2025 +
          '  - code: "36"\n    name: Tỉnh Nam Định\n    type: Tỉnh\n    from: [{code: "36"}]\n' +
          PHU_LY,
      )
      expect(of(r, 'province-mismatch')[0]).toMatchObject({
        line: 6,
        message: expect.stringContaining('lists province 36'),
      })
    })

    it('parent-missing: a complete file must list its province unit', () => {
      const r = run(HEAD_2025.replace('abolish', 'scope: complete\nabolish') + PHU_LY)
      expect(of(r, 'parent-missing')[0].message).toMatch(/parent 37 is not listed in this complete mapping/)
    })
  })

  describe('expect, retire and policies', () => {
    const province =
      '  - code: "37"\n    name: Tỉnh Ninh Bình\n    type: Tỉnh\n    from: [{code: "35"}, {code: "36"}, {code: "37"}]\n'
    it('expect: counts of a complete file', () => {
      const head = HEAD_2025.replace('abolish', 'scope: complete\nabolish')
      expect(run(head + province + PHU_LY + 'expect: {districts: 0, communes: 2}\n').valid).toBe(true)
      const r = run(head + province + PHU_LY + 'expect: {districts: 0, communes: 3}\n')
      expect(of(r, 'expect')).toEqual([
        expect.objectContaining({
          line: 23,
          column: 34,
          path: 'expect.communes',
          message: 'expect.communes is 3 but the file lists 2 communes',
        }),
      ])
    })

    it('retired-without-successor (warning) and retire-conflict', () => {
      const r = run(HEAD_2024 + 'retire:\n  - {code: "13642", name: Phường Vị Xuyên}\n  - {code: "358"}\n')
      expect(of(r, 'retired-without-successor')[0]).toMatchObject({
        line: 10,
        message: expect.stringMatching(/^2 codes stop existing with no successor given \(13642, 358\)/),
      })
      expect(of(r, 'retire-conflict')[0]).toMatchObject({
        line: 11,
        message: '358 is in `retire` but also a `from` code (line 8)',
      })
    })

    it('mail-pattern, mail-district and duplicate-override', () => {
      const r = run(
        HEAD_2025 +
          PHU_LY +
          'policies:\n  mail: {pattern: "{body}.{xa}"}\n  accounts:\n    overrides:\n      - {system: dvc, username: ubnd.phuly, action: disable}\n      - {system: dvc, username: ubnd.phuly, action: recreate}\n',
      )
      expect(of(r, 'mail-pattern')[0]).toMatchObject({
        line: 19,
        message: expect.stringContaining('unknown placeholder {xa}'),
      })
      expect(of(r, 'duplicate-override')[0]).toMatchObject({line: 23})
      const district = run(HEAD_2025 + PHU_LY + 'policies: {mail: {pattern: "{unit}.{district}"}}\n')
      expect(district.valid).toBe(true)
      expect(of(district, 'mail-district')).toHaveLength(1)
      expect(
        of(run(HEAD_2025 + PHU_LY + 'policies: {mail: {pattern: "{body}"}}\n'), 'mail-pattern')[0].message,
      ).toMatch(/has no \{unit\}/)
    })
  })

  describe('mail-domain: a mapping whose addresses would have no domain', () => {
    // The case that planned `ubnd.hungloc@undefined`: no province, a level-1 code, no mail domain.
    const NO_PROVINCE = `format: sapxep/mapping@1
decision: {number: 1104/NQ-UBTVQH15, effective: "2024-09-01", official: false}
units:
  - code: "13708"
    name: Phường Hưng Lộc
    type: Phường
    parent: "356"
    from: [{code: "13708"}, {code: "13729"}]
policies:
  identifierCodes: {level1: H40}
`
    it('is refused, at policies.mail, saying what to give', () => {
      const r = run(NO_PROVINCE)
      expect(r.valid).toBe(false)
      expect(of(r, 'mail-domain')).toEqual([
        expect.objectContaining({
          line: 10,
          path: 'policies.mail',
          message: expect.stringMatching(/no mail domain: give policies\.mail\.domain .* or the province/),
        }),
      ])
    })

    it('is accepted with a domain, or with a province to derive it from', () => {
      expect(of(run(NO_PROVINCE + '  mail: {domain: namdinh.gov.vn}\n'), 'mail-domain')).toEqual([])
      expect(of(run(HEAD_2024), 'mail-domain')).toEqual([])
    })
  })

  describe('a folder is validated as a set', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-mapping-set-'))
    afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text)
      return path.join(dir, name)
    }

    it('retired-code-reused: a code retired in 2024 used again in 2025', async () => {
      write('a-2024.yaml', HEAD_2024 + 'retire:\n  - {code: "13642", name: Phường Vị Xuyên}\n')
      write(
        'b-2025.yaml',
        HEAD_2025.replace(/"37", name: Tỉnh Ninh Bình/, '"37", name: Tỉnh Ninh Bình') +
          PHU_LY.replace('{code: "13294", name: Phường Châu Cầu}', '{code: "13642", name: Phường Vị Xuyên}'),
      )
      const r = await validateMappings([dir])
      const [f] = of(r, 'retired-code-reused')
      expect(f.file).toMatch(/b-2025\.yaml$/)
      expect(f.line).toBe(11)
      expect(f.message).toMatch(
        /^13642 was retired by 1104\/NQ-UBTVQH15, effective 2024-09-01 \(.*a-2024\.yaml:10:12\)/,
      )
    })

    it('conflicts between files of the same date, and a decision stated twice', async () => {
      const two = fs.mkdtempSync(path.join(dir, 'same-date-'))
      fs.writeFileSync(path.join(two, 'x.yaml'), HEAD_2025 + PHU_LY)
      fs.writeFileSync(
        path.join(two, 'y.yaml'),
        HEAD_2025 + PHU_LY.split('  - code: "13366"')[0].replace('share: part, default: true', ''),
      )
      const r = await validateMappings([two])
      expect(of(r, 'duplicate-decision')).toHaveLength(1)
      expect(of(r, 'duplicate-unit')[0].file).toMatch(/y\.yaml$/)
      expect(of(r, 'merged-twice').map((f) => f.message)).toContainEqual(
        expect.stringMatching(/13294 is already merged whole into 13285 \(.*x\.yaml:11:16\)/),
      )
    })

    it('a missing path and an empty folder are findings, not crashes', async () => {
      const empty = fs.mkdtempSync(path.join(dir, 'empty-'))
      const r = await validateMappings([path.join(dir, 'nope.yaml'), empty])
      expect(r.valid).toBe(false)
      expect(
        of(r, 'file')
          .map((f) => f.message)
          .sort(),
      ).toEqual(['no mapping files (.yaml, .yml, .json) in this folder', 'no such file or folder'])
    })

    it('--strict: warnings make the set invalid', async () => {
      const file = write('warn.yaml', HEAD_2025 + PHU_LY.replace('name: Phường Phủ Lý', 'name: Xã Phủ Lý'))
      expect((await validateMappings([file])).valid).toBe(true)
      expect((await validateMappings([file], {strict: true})).valid).toBe(false)
    })
  })
})
