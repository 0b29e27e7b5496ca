/**
 * Checks of the conversion table's rows that the builder reports as notices: wrong old-province labels
 * (corrected from the other rows of the district), codes given two names, remarks that disagree with
 * the rows. Pure.
 */
import {groupBy} from '../collections.js'
import {fold, splitUnitName} from '../naming/text.js'
import {noteKind, type ConversionRow, type ImportNotice} from './conversion-table.js'

/**
 * The old-province column has a few wrong labels. A district code is unique nationally, so a row's old
 * province is the one most rows of its district give; rows that disagree are reported.
 */
export function correctOldProvinces(
  rows: ConversionRow[],
  notices: ImportNotice[],
): (r: ConversionRow) => {code: string; name: string} | undefined {
  const byDistrict = groupBy(
    rows.filter((r) => r.oldDistrict && r.oldProvince),
    (r) => r.oldDistrict!.code,
  )
  const districtProvince = new Map(
    [...byDistrict].map(([d, rs]) => [d, majority(rs.map((r) => r.oldProvince!.code))]),
  )
  const provinceName = new Map(
    [
      ...groupBy(
        rows.filter((r) => r.oldProvince),
        (r) => r.oldProvince!.code,
      ),
    ].map(([c, rs]) => [c, majority(rs.map((r) => r.oldProvince!.name))]),
  )
  // Which code each old province name (without its type) goes with, to catch a label whose name and code disagree.
  const nameCode = new Map(
    [
      ...groupBy(
        rows.filter((r) => r.oldProvince),
        (r) => fold(splitUnitName(r.oldProvince!.name).proper),
      ),
    ].map(([n, rs]) => [n, majority(rs.map((r) => r.oldProvince!.code))]),
  )
  const corrected = new Map<ConversionRow, {code: string; name: string}>()
  for (const r of rows) {
    if (!r.oldProvince) continue
    const code = (r.oldDistrict && districtProvince.get(r.oldDistrict.code)) ?? r.oldProvince.code
    if (code !== r.oldProvince.code) {
      notices.push({
        line: r.line,
        message: `old province "${r.oldProvince.name} (${r.oldProvince.code})" of ${r.oldCode || r.newCode} disagrees with the other rows of ${r.oldDistrict!.name} (${r.oldDistrict!.code}), which say ${code}; ${code} is used`,
      })
    } else {
      const byName = nameCode.get(fold(splitUnitName(r.oldProvince.name).proper))
      if (byName && byName !== code)
        notices.push({
          line: r.line,
          message: `old province label "${r.oldProvince.name} (${r.oldProvince.code})" names a province the table codes ${byName} elsewhere (${code} is ${provinceName.get(code)}); the code ${code} is kept`,
        })
    }
    corrected.set(r, {code, name: provinceName.get(code) ?? r.oldProvince.name})
  }
  return (r) => corrected.get(r)
}

/** Old codes given with different names, and split rows whose remark says otherwise, are worth a look. */
export function checkNames(
  rows: ConversionRow[],
  rowsByOld: Map<string, ConversionRow[]>,
  notices: ImportNotice[],
): void {
  for (const [code, rs] of rowsByOld) {
    const names = [...new Set(rs.map((r) => r.oldName))]
    if (new Set(names.map(fold)).size > 1)
      notices.push({
        line: rs[1].line,
        message: `old commune ${code} is named ${names.map((n) => `"${n}"`).join(' and ')} in different rows: one code is likely wrong`,
      })
    if (rs.length > 1) {
      const whole = rs.filter((r) => noteKind(r.note) === 'whole')
      if (whole.length > 0)
        notices.push({
          line: whole[0].line,
          message: `old commune ${code} goes to ${rs.map((r) => r.newCode).join(', ')} but ${whole.length === rs.length ? 'every row says' : 'a row says'} "${whole[0].note}"; treated as a split (share: part), the remark kept`,
        })
    } else if (noteKind(rs[0].note) === 'part')
      notices.push({
        line: rs[0].line,
        message: `old commune ${code} is merged "${rs[0].note}" into ${rs[0].newCode} but no other row receives the rest; kept whole, with the remark`,
      })
    else if (noteKind(rs[0].note) === 'unknown')
      notices.push({
        line: rs[0].line,
        message: `remark "${rs[0].note}" is not one the import knows; ${code} is taken as merged whole`,
      })
  }
  for (const r of rows) {
    if (r.oldCode === '' && r.oldName === '' && r.oldDistrict)
      notices.push({
        line: r.line,
        message: `${r.newName} (${r.newCode}) has no old commune: it is formed from the district ${r.oldDistrict.name} (${r.oldDistrict.code}) ("${r.note}")`,
      })
    else if (r.oldCode === '')
      notices.push({
        line: r.line,
        message: `${r.newName} (${r.newCode}) also takes in "${r.oldName}", which has no code: kept as a note on the unit`,
      })
  }
}

/** The most frequent value, the first seen on a tie. */
export function majority<T>(values: T[]): T {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best = values[0]
  for (const [v, n] of counts) if (n > counts.get(best)!) best = v
  return best
}
