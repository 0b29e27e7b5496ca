/**
 * Documented errata of the GSO unit lists (data/errata/gso-units-2025.csv): stale rows, units dissolved
 * in 2019–2024 that the 2025 lists still carry. A list's row is an erratum's only when code, name and
 * district all match; the import then records the unit as retired, with its successor where known.
 */
import {InputError} from '../../errors.js'
import {fold} from '../../naming/text.js'
import {readCsv} from './csv.js'

export interface UnitErratum {
  code: string
  name: string
  districtCode: string
  successor: {code: string; name: string; confidence: string} | null
  /** The date by which the unit no longer existed: its `valid_to`. */
  retiredBy: string
  evidence: string
}

const COLUMNS = [
  'code',
  'name',
  'district_code',
  'successor_code',
  'successor_name',
  'confidence',
  'retired_by',
  'evidence',
]

export async function readUnitErrata(file: string): Promise<UnitErratum[]> {
  const {rows} = await readCsv(file, {required: COLUMNS})
  const seen = new Map<string, number>()
  return rows.map(({line, values: v}) => {
    const fail = (message: string): never => {
      throw new InputError(file, line, message)
    }
    if (!/^[0-9]{5}$/.test(v.code)) fail(`column "code": "${v.code}" is not a 5-digit commune code`)
    if (seen.has(v.code)) fail(`code ${v.code} is already on line ${seen.get(v.code)}`)
    seen.set(v.code, line)
    if (!/^[0-9]{3}$/.test(v.district_code))
      fail(`column "district_code": "${v.district_code}" is not a 3-digit district code`)
    if (v.name === '' || v.evidence === '') fail('columns "name" and "evidence" must not be empty')
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v.retired_by))
      fail(`column "retired_by": "${v.retired_by}" is not an ISO date`)
    let successor: UnitErratum['successor'] = null
    if (v.successor_code !== '') {
      if (!/^[0-9]{5}$/.test(v.successor_code) || v.successor_code === v.code)
        fail(`column "successor_code": "${v.successor_code}" is not another 5-digit commune code`)
      if (v.successor_name === '' || v.confidence === '')
        fail('a successor needs its name and a confidence (confirmed or likely)')
      successor = {code: v.successor_code, name: v.successor_name, confidence: v.confidence}
    }
    return {
      code: v.code,
      name: v.name,
      districtCode: v.district_code,
      successor,
      retiredBy: v.retired_by,
      evidence: v.evidence,
    }
  })
}

/** The errata that describe a row of this list exactly (same code, name and district). */
export function matchUnitErrata(
  errata: UnitErratum[],
  units: Array<{code: string; name: string; level: number; parentCode: string | null}>,
): UnitErratum[] {
  const byCode = new Map(units.filter((u) => u.level === 3).map((u) => [u.code, u]))
  return errata.filter((e) => {
    const u = byCode.get(e.code)
    return u !== undefined && fold(u.name) === fold(e.name) && u.parentCode === e.districtCode
  })
}
