import {InputError} from '../../errors.js'
import {dataFile} from '../data-files.js'
import {readCsv} from '../import/csv.js'

export interface Level1Code {
  provinceCode: string
  /** `H40`: group letter and two digits. */
  level1: string
  /** `domain.md` for a published code (data/PROVENANCE.md lists them); `synthetic (sample only)` for a placeholder. */
  source: string
}

/**
 * Level-1 identifier codes by province (data/level1-codes.csv). Only 12 are published (data/PROVENANCE.md); the
 * others are placeholders for the sample registry, never to be taken for the real codes.
 */
export async function loadLevel1Codes(file = dataFile('level1-codes.csv')): Promise<Map<string, Level1Code>> {
  const {rows} = await readCsv(file, {required: ['province_code', 'level1', 'source']})
  const codes = new Map<string, Level1Code>()
  const used = new Map<string, number>()
  for (const {line, values} of rows) {
    const {province_code: provinceCode, level1, source} = values
    if (!/^[0-9]{2}$/.test(provinceCode))
      throw new InputError(file, line, `column "province_code": "${provinceCode}" is not a province code`)
    if (!/^[A-Z][0-9]{2}$/.test(level1))
      throw new InputError(file, line, `column "level1": "${level1}" is not a level-1 code (e.g. H40)`)
    if (codes.has(provinceCode))
      throw new InputError(file, line, `province ${provinceCode} is already on another line`)
    if (used.has(level1))
      throw new InputError(file, line, `level-1 code ${level1} is already used on line ${used.get(level1)}`)
    used.set(level1, line)
    codes.set(provinceCode, {provinceCode, level1, source})
  }
  return codes
}
