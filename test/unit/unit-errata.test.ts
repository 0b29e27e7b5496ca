import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {readUnitsFile} from '../../src/registry/import/units.js'
import {matchUnitErrata, readUnitErrata} from '../../src/registry/import/unit-errata.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const ERRATA = path.join(ROOT, 'data/errata/gso-units-2025.csv')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-unit-errata-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

describe('errata of the GSO lists (data/errata/gso-units-2025.csv)', () => {
  it('describe 12 stale rows, each found in the January and March 2025 lists, none in a 2024 snapshot', async () => {
    const errata = await readUnitErrata(ERRATA)
    expect(errata).toHaveLength(12)
    expect(errata.filter((e) => e.successor).map((e) => `${e.code}→${e.successor!.code}`)).toEqual([
      '07693→07682',
      '16387→16408',
      '25102→25096',
    ])
    for (const list of ['gso-units-2025-01-04.csv', 'gso-units-2025-03-01.csv']) {
      const {units} = await readUnitsFile(path.join(ROOT, 'data', list))
      expect(matchUnitErrata(errata, units).map((e) => e.code)).toEqual(errata.map((e) => e.code))
    }
    const {units: namDinh} = await readUnitsFile(path.join(ROOT, 'data/nam-dinh-units-2024-09-01.csv'))
    expect(matchUnitErrata(errata, namDinh)).toEqual([])
  })

  it('a row with the same code but another name or district is not the stale row', () => {
    const tanAn = {
      code: '07693',
      name: 'Xã Tân An',
      districtCode: '213',
      successor: null,
      retiredBy: '2025-01-01',
      evidence: 'e',
    }
    const unit = {code: '07693', name: 'Xã Tân An', level: 3, parentCode: '213'}
    expect(matchUnitErrata([tanAn], [unit])).toEqual([tanAn])
    expect(matchUnitErrata([tanAn], [{...unit, name: 'Phường Tân An'}])).toEqual([])
    expect(matchUnitErrata([tanAn], [{...unit, parentCode: '214'}])).toEqual([])
  })

  it('a malformed erratum is refused with its file and line', async () => {
    const file = path.join(tmp, 'bad.csv')
    const text = fs.readFileSync(ERRATA, 'utf8').split('\n')
    text[3] = text[3].replace(/^07744,/, '7744,')
    fs.writeFileSync(file, text.join('\n'))
    await expect(readUnitErrata(file)).rejects.toThrow(
      `${file}:4: column "code": "7744" is not a 5-digit commune code`,
    )
  })
})
