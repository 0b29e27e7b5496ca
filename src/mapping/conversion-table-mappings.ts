/**
 * The parsed conversion table → one mapping per new province: its units and the old units that form
 * each, the default successor of every split code, the decision and the policies. Pure; the table's
 * quirks are reported as notices with their line.
 */
import {InputError} from '../errors.js'
import {groupBy} from '../collections.js'
import {fold, splitUnitName} from '../naming/text.js'
import {UNIT_TYPES} from '../registry/vocabulary.js'
import {noteKind, type ConversionRow, type ImportNotice} from './conversion-table.js'
import {compareCodes, defaultMailDomain} from './model.js'
import {MAPPING_FORMAT, type MappingInput, type SourceInput, type UnitInput} from './schema.js'

/** Remarks that only say whole/part/unchanged are carried by `share`; any other remark is kept on the row. */
const PLAIN_NOTES = new Set(['nhaptoanbo', 'nhapmotphan', 'giunguyen'])

export interface ProvinceImport {
  province: {code: string; name: string}
  mapping: MappingInput
  /** Trailing comments by document path for the YAML writer. */
  comments: Record<string, string>
  lines: {first: number; last: number}
  counts: {communes: number; rows: number; oldCodes: number; splitCodes: number}
}

export interface TableImport {
  provinces: ProvinceImport[]
  notices: ImportNotice[]
  counts: {provinces: number; communes: {new: number; old: number; split: number}}
}

export interface BuildOptions {
  /** File name of the table, as cited in `decision.source`. */
  tableName: string
  /** Only this new province (its code after the change). */
  province?: string
}

/** Umbrella resolution of the 2025 reform (domain notes). */
export const REFORM_2025_RESOLUTION = '76/2025/UBTVQH15'
/** Per-province resolutions the sources give (domain notes); the others are not in the sources. */
export const PROVINCE_RESOLUTIONS_2025: Record<string, string> = {'37': '1674/NQ-UBTVQH15'}
export const REFORM_2025_EFFECTIVE = '2025-07-01'

/** Turn the parsed table into one mapping per new province (pure). */
export function buildProvinceMappings(rows: ConversionRow[], opts: BuildOptions): TableImport {
  const notices: ImportNotice[] = []
  const rowsByOld = groupBy(
    rows.filter((r) => r.oldCode !== ''),
    (r) => r.oldCode,
  )
  const oldProvinceOf = correctOldProvinces(rows, notices)
  checkNames(rows, rowsByOld, notices)

  const byProvince = groupBy(rows, (r) => r.newProvince.code)
  const provinceNames = new Map(
    [...byProvince].map(([code, rs]) => [code, majority(rs.map((r) => r.newProvince.name))]),
  )
  // An old province belongs to the new province most of its rows go to.
  const constituents = new Map<string, Map<string, string>>()
  for (const [oldCode, rs] of groupBy(rows, (r) => oldProvinceOf(r)?.code ?? '')) {
    if (oldCode === '') continue
    const target = majority(rs.map((r) => r.newProvince.code))
    const names = constituents.get(target) ?? new Map<string, string>()
    names.set(oldCode, majority(rs.map((r) => oldProvinceOf(r)!.name)))
    constituents.set(target, names)
  }

  const provinces: ProvinceImport[] = []
  for (const [code, rs] of [...byProvince].sort(([a], [b]) => compareCodes(a, b))) {
    if (opts.province !== undefined && code !== opts.province) continue
    provinces.push(
      buildProvince(
        {code, name: provinceNames.get(code)!},
        rs,
        rowsByOld,
        constituents.get(code) ?? new Map(),
        opts,
        notices,
      ),
    )
  }
  const selected =
    provinces.length === byProvince.size ? rows : rows.filter((r) => r.newProvince.code === opts.province)
  const oldCodes = new Set(selected.filter((r) => r.oldCode !== '').map((r) => r.oldCode))
  return {
    provinces,
    notices: notices
      .filter((n) => opts.province === undefined || selected.some((r) => r.line === n.line))
      .sort((a, b) => a.line - b.line),
    counts: {
      provinces: provinces.length,
      communes: {
        new: new Set(selected.map((r) => r.newCode)).size,
        old: oldCodes.size,
        split: [...oldCodes].filter((c) => (rowsByOld.get(c)?.length ?? 0) > 1).length,
      },
    },
  }
}

function buildProvince(
  province: {code: string; name: string},
  rows: ConversionRow[],
  rowsByOld: Map<string, ConversionRow[]>,
  constituents: Map<string, string>,
  opts: BuildOptions,
  notices: ImportNotice[],
): ProvinceImport {
  const byNew = groupBy(rows, (r) => r.newCode)
  const units: UnitInput[] = []
  const provinceType = splitUnitName(province.name).type || 'Tỉnh'
  units.push({
    code: province.code,
    name: province.name,
    type: provinceType as UnitInput['type'],
    from: [...constituents].sort(([a], [b]) => compareCodes(a, b)).map(([code, name]) => ({code, name})),
  })
  const oldCodes = new Set<string>()
  for (const [newCode, rs] of [...byNew].sort(([a], [b]) => compareCodes(a, b)))
    units.push(newUnit(newCode, rs, rowsByOld, oldCodes, opts, notices))
  let splitCodes = 0
  for (const c of oldCodes) if (rowsByOld.get(c)!.length > 1) splitCodes++

  const officialResolution = PROVINCE_RESOLUTIONS_2025[province.code]
  const lines = {first: Math.min(...rows.map((r) => r.line)), last: Math.max(...rows.map((r) => r.line))}
  const domain = defaultMailDomain(province.name)
  const mapping: MappingInput = {
    format: MAPPING_FORMAT,
    decision: {
      number: officialResolution ?? REFORM_2025_RESOLUTION,
      effective: REFORM_2025_EFFECTIVE,
      source: `Official old → new commune conversion table of the 2025 reform (${opts.tableName}, lines ${lines.first}–${lines.last})`,
      official: true,
      notes: decisionNotes(province, constituents, {lines, splitCodes, domain}),
    },
    province,
    scope: 'complete',
    abolish: ['district'],
    units,
    policies: {
      accounts: {default: 'reassign', singleHolderRoles: ['chu_tich'], conflict: 'keep-default-successor'},
      mail: {domain, pattern: '{body}.{unit}', oldAddresses: 'alias', aliasMonths: 12},
      identifierCodes: {level1: 'inherit', allocation: 'sequential'},
    },
    expect: {districts: 0, communes: byNew.size},
  }
  return {
    province,
    mapping,
    comments: {'policies.mail.domain': 'assumption: the province name folded; confirm with the province'},
    lines,
    counts: {communes: byNew.size, rows: rows.length, oldCodes: oldCodes.size, splitCodes},
  }
}

/** One new commune from its rows: the old units that form it, with share, default and remarks. */
function newUnit(
  newCode: string,
  rows: ConversionRow[],
  rowsByOld: Map<string, ConversionRow[]>,
  oldCodes: Set<string>,
  opts: BuildOptions,
  notices: ImportNotice[],
): UnitInput {
  const {name, type, written} = unitName(rows, opts.tableName, notices)
  const from: SourceInput[] = []
  const areas: string[] = []
  for (const r of rows) {
    if (r.oldCode === '') {
      if (r.oldName === '' && r.oldDistrict)
        from.push({code: r.oldDistrict.code, name: r.oldDistrict.name, note: r.note})
      else areas.push(`${r.oldName} (no unit code; ${r.note})`)
      continue
    }
    oldCodes.add(r.oldCode)
    const all = rowsByOld.get(r.oldCode)!
    const split = all.length > 1
    const source: SourceInput = r.oldName === '' ? {code: r.oldCode} : {code: r.oldCode, name: r.oldName}
    if (split) {
      source.share = 'part'
      if (defaultSuccessor(r.oldCode, all) === r) source.default = true
    }
    const kind = noteKind(r.note)
    if (!PLAIN_NOTES.has(fold(r.note)) || (kind === 'whole' && split) || (kind === 'part' && !split))
      source.note = r.note
    from.push(source)
  }
  from.sort((a, b) => compareCodes(a.code, b.code))
  const unit: UnitInput = {code: newCode, name, type: type as UnitInput['type'], from}
  const notes = [
    ...(written ? [`The table writes "${written}"; the type prefix is read as "${type}".`] : []),
    ...(areas.length > 0 ? [`Also takes in: ${areas.join('; ')}`] : []),
  ]
  if (notes.length > 0) unit.note = notes.join(' ')
  return unit
}

/** What in a province's mapping is official and what sapxep set (the decision's notes). */
function decisionNotes(
  province: {code: string; name: string},
  constituents: Map<string, string>,
  facts: {lines: {first: number; last: number}; splitCodes: number; domain: string},
): string {
  const {lines, splitCodes, domain} = facts
  const merged = [...constituents.keys()].filter((c) => c !== province.code)
  return [
    `Official: the communes after the change, their names and codes, and the old communes that form each (the conversion table, lines ${lines.first}–${lines.last}).`,
    `Set by sapxep, not official: (1) the default successor of each of the ${splitCodes} split codes — the new unit that keeps the old code, else the one the table says took its whole population ("toàn bộ dân số"), else the first in table order;`,
    merged.length > 0
      ? `(2) the merger of provinces ${[...constituents.keys()].sort().join(', ')} into ${province.code}, read from the table's old-province column (the resolution deciding it is not in the source);`
      : `(2) the province unit, read from the table's old-province column;`,
    `(3) the policies, among them the mail domain ${domain} (the province name folded: an assumption to confirm).`,
    PROVINCE_RESOLUTIONS_2025[province.code]
      ? ''
      : `The province's own resolution on this arrangement is not in the source: the reform's umbrella resolution ${REFORM_2025_RESOLUTION} is cited.`,
  ]
    .filter(Boolean)
    .join(' ')
}

/**
 * The default successor of a split code is sapxep's rule, not the table's: the new unit that keeps the
 * code, else the one that took the whole population, else the first in table order.
 */
export function defaultSuccessor(oldCode: string, rows: ConversionRow[]): ConversionRow {
  return (
    rows.find((r) => r.newCode === oldCode) ??
    rows.find((r) => fold(r.note).includes('toanbodanso')) ??
    rows.reduce((a, b) => (b.line < a.line ? b : a))
  )
}

/** The new unit's name (first spelling in the table) and its type from the name's prefix. */
function unitName(
  rows: ConversionRow[],
  tableName: string,
  notices: ImportNotice[],
): {name: string; type: string; written?: string} {
  const first = rows[0]
  const spellings = [...new Set(rows.map((r) => r.newName))]
  if (spellings.length > 1)
    notices.push({
      line: first.line,
      message: `new commune ${first.newCode} is spelled ${spellings.map((s) => `"${s}"`).join(' and ')}; the first is used`,
    })
  const {type, proper} = splitUnitName(first.newName)
  if (type !== '') return {name: first.newName, type}
  // A mistyped prefix ("Xa Ea Kly"): the type whose folded spelling matches, with the name's prefix corrected.
  const [word, ...rest] = first.newName.split(' ')
  const match = UNIT_TYPES.find((t) => !t.includes(' ') && fold(t) === fold(word))
  if (match && rest.length > 0) {
    const name = `${match} ${rest.join(' ')}`
    notices.push({
      line: first.line,
      message: `new commune ${first.newCode} "${first.newName}": the type prefix is read as "${match}" (written "${name}")`,
    })
    return {name, type: match, written: first.newName}
  }
  throw new InputError(
    tableName,
    first.line,
    `cannot tell the type (Xã, Phường, Đặc khu…) of new commune ${first.newCode} "${proper}"`,
  )
}

/**
 * The old-province column has a few wrong labels. A district code is unique nationally, so a row's old
 * province is the one most rows of its district give; rows that disagree are reported.
 */
function correctOldProvinces(
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
function checkNames(
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
function majority<T>(values: T[]): T {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best = values[0]
  for (const [v, n] of counts) if (n > counts.get(best)!) best = v
  return best
}
