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
import {checkNames, correctOldProvinces, majority} from './conversion-table-checks.js'
import {correctionNote} from './conversion-table-errata.js'
import {
  DEFAULT_REASONS,
  defaultSuccessor,
  type DefaultChoice,
  type DefaultReason,
  type ResolutionShares,
} from './conversion-table-successors.js'
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
  /** Rows whose old code a documented erratum corrected. */
  corrected: ConversionRow[]
}

/** How many split codes' default successors each reason decided. */
export type DefaultCounts = Record<DefaultReason, number>

export interface TableImport {
  provinces: ProvinceImport[]
  notices: ImportNotice[]
  counts: {provinces: number; communes: {new: number; old: number; split: number}}
  defaults: DefaultCounts
}

export interface BuildOptions {
  /** File name of the table, as cited in `decision.source`. */
  tableName: string
  /** Only this new province (its code after the change). */
  province?: string
  /** Each new province's own resolution, by its code (data/resolutions-2025.csv). */
  resolutions?: Map<string, ProvinceResolution>
  /** What the resolutions give the receivers of split codes (data/resolution-shares-2025.csv). */
  shares?: ResolutionShares
}

export interface ProvinceResolution {
  number: string
  /** ISO date it was adopted. */
  date: string
}

/** Umbrella resolution of the 2025 reform (domain notes), cited when a province's own is not given. */
export const REFORM_2025_RESOLUTION = '76/2025/UBTVQH15'
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
  const defaults = Object.fromEntries(DEFAULT_REASONS.map((r) => [r, 0])) as DefaultCounts
  for (const c of oldCodes) {
    const all = rowsByOld.get(c)!
    if (all.length > 1) defaults[defaultSuccessor(c, all, opts.shares).reason]++
  }
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
    defaults,
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
  const comments: Record<string, string> = {
    'policies.mail.domain': 'assumption: the province name folded; confirm with the province',
  }
  let guesses = 0
  for (const [newCode, rs] of [...byNew].sort(([a], [b]) => compareCodes(a, b))) {
    const {unit, defaults} = newUnit(newCode, rs, rowsByOld, oldCodes, opts, notices)
    // A reviewer sees on the row itself what decided a default, and which ones no source decides.
    for (const [j, choice] of defaults) {
      const comment = defaultComment(choice)
      if (comment) comments[`units.${units.length}.from.${j}`] = comment
      if (choice.reason === 'table-order') guesses++
    }
    units.push(unit)
  }
  let splitCodes = 0
  for (const c of oldCodes) if (rowsByOld.get(c)!.length > 1) splitCodes++

  const resolution = opts.resolutions?.get(province.code)
  const lines = {first: Math.min(...rows.map((r) => r.line)), last: Math.max(...rows.map((r) => r.line))}
  const domain = defaultMailDomain(province.name)
  const corrected = rows.filter((r) => r.corrected)
  const table = `the official old → new commune conversion table of the 2025 reform (${opts.tableName}, lines ${lines.first}–${lines.last})`
  const mapping: MappingInput = {
    format: MAPPING_FORMAT,
    decision: {
      number: resolution?.number ?? REFORM_2025_RESOLUTION,
      effective: REFORM_2025_EFFECTIVE,
      source: resolution
        ? `Resolution ${resolution.number} of ${resolution.date} and ${table}`
        : `${table[0].toUpperCase()}${table.slice(1)}`,
      official: true,
      notes: decisionNotes(province, constituents, {
        lines,
        splitCodes,
        guesses,
        domain,
        resolution,
        corrected,
      }),
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
    comments,
    lines,
    counts: {communes: byNew.size, rows: rows.length, oldCodes: oldCodes.size, splitCodes},
    corrected,
  }
}

/**
 * One new commune from its rows: the old units that form it, with share, default and remarks; and,
 * by position in `from`, how each default it holds was chosen.
 */
function newUnit(
  newCode: string,
  rows: ConversionRow[],
  rowsByOld: Map<string, ConversionRow[]>,
  oldCodes: Set<string>,
  opts: BuildOptions,
  notices: ImportNotice[],
): {unit: UnitInput; defaults: Map<number, DefaultChoice>} {
  const {name, type, written} = unitName(rows, opts.tableName, notices)
  const from: SourceInput[] = []
  const choices = new Map<SourceInput, DefaultChoice>()
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
      const choice = defaultSuccessor(r.oldCode, all, opts.shares)
      if (choice.row === r) {
        source.default = true
        choices.set(source, choice)
      }
    }
    const kind = noteKind(r.note)
    const remarks = [
      ...(!PLAIN_NOTES.has(fold(r.note)) || (kind === 'whole' && split) || (kind === 'part' && !split)
        ? [r.note]
        : []),
      ...(r.corrected ? [correctionNote(r.corrected)] : []),
    ]
    if (remarks.length > 0) source.note = remarks.join('. ')
    from.push(source)
  }
  from.sort((a, b) => compareCodes(a.code, b.code))
  const unit: UnitInput = {code: newCode, name, type: type as UnitInput['type'], from}
  const notes = [
    ...(written ? [`The table writes "${written}"; the type prefix is read as "${type}".`] : []),
    ...(areas.length > 0 ? [`Also takes in: ${areas.join('; ')}`] : []),
  ]
  if (notes.length > 0) unit.note = notes.join(' ')
  const defaults = new Map(from.flatMap((s, j) => (choices.has(s) ? [[j, choices.get(s)!] as const] : [])))
  return {unit, defaults}
}

/** The comment on a default row, where the table's own wording does not already show the reason. */
function defaultComment(choice: DefaultChoice): string | undefined {
  switch (choice.reason) {
    case 'keeps-code':
      return undefined
    case 'whole-population':
      return choice.evidence ? `default: the whole population went here (${choice.evidence})` : undefined
    case 'population-only':
      return `default: the only part that took people, the others area only (${choice.evidence ?? "the table's remarks"})`
    case 'table-order':
      return "default by table order: sapxep's guess, no source decides"
  }
}

/** What in a province's mapping is official and what sapxep set (the decision's notes). */
function decisionNotes(
  province: {code: string; name: string},
  constituents: Map<string, string>,
  facts: {
    lines: {first: number; last: number}
    splitCodes: number
    guesses: number
    domain: string
    resolution?: ProvinceResolution
    corrected: ConversionRow[]
  },
): string {
  const {lines, splitCodes, guesses, domain, resolution, corrected} = facts
  const merged = [...constituents.keys()].filter((c) => c !== province.code)
  const decided = resolution ? `resolution ${resolution.number}` : 'the resolution deciding it'
  return [
    `Official: the communes after the change, their names and codes, and the old communes that form each (the conversion table, lines ${lines.first}–${lines.last}${resolution ? `, summarising resolution ${resolution.number}` : ''}).`,
    ...corrected.map(
      (r) =>
        `Corrected (documented erratum): line ${r.line} prints ${r.corrected!.printedCode} for ${r.oldName}, which is ${r.oldCode} (${r.corrected!.resolution}${r.corrected!.items ? ` items ${r.corrected!.items}` : ''}).`,
    ),
    `Set by sapxep, not official: (1) the default successor of each of the ${splitCodes} split codes — the new unit that keeps the old code, else the one that took its whole population ("toàn bộ dân số", in the table's remark or the resolution's item), else the only one that took people (the others area only), else the first in table order (${guesses} such guesses, each marked on its row);`,
    merged.length > 0
      ? `(2) the merger of provinces ${[...constituents.keys()].sort().join(', ')} into ${province.code}, read from the table's old-province column (${decided});`
      : `(2) the province unit, read from the table's old-province column;`,
    `(3) the policies, among them the mail domain ${domain} (the province name folded: an assumption to confirm).`,
    resolution
      ? ''
      : `The province's own resolution on this arrangement is not in the source: the reform's umbrella resolution ${REFORM_2025_RESOLUTION} is cited.`,
  ]
    .filter(Boolean)
    .join(' ')
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
