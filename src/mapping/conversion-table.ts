/**
 * Reading the government's official old → new commune conversion table of the 2025 reform: its rows,
 * each checked and with its line, and the meaning of its remarks. Building mappings from the rows is
 * conversion-table-mappings.ts.
 */
import {parse} from 'csv-parse/sync'
import {InputError} from '../errors.js'
import {cleanText, fold, splitUnitName} from '../naming/text.js'
import type {RowCorrection} from './conversion-table-errata.js'

/**
 * The government's official old → new commune conversion table of the 2025 reform (as published:
 * two header lines, a heading row per new province, then one row per old commune and new commune).
 */
export interface ConversionRow {
  /** Line of the row in the file (a quoted name can span lines: the row's first line). */
  line: number
  newProvince: {code: string; name: string}
  newCode: string
  newName: string
  /** Empty for the rows with no old commune (island districts that became special zones, an unnumbered area). */
  oldCode: string
  oldName: string
  /** The table's remark (`Nhập toàn bộ`, `Nhập một phần`, …), cleaned of stray spaces. */
  note: string
  oldDistrict?: {code: string; name: string}
  oldProvince?: {code: string; name: string}
  /** Set when a documented erratum corrected the old code (conversion-table-errata.ts). */
  corrected?: RowCorrection
}

export interface ImportNotice {
  line: number
  message: string
}

const HEADER = [
  'Tỉnh, thành phố',
  'Tên Xã mới',
  'Mã Xã mới',
  'Tên Xã cũ',
  'Mã Xã cũ',
  'Ghi chú',
  'Quận/huyện',
  'Tỉnh cũ',
]

/** Parse the table; a row that cannot be read stops the import with `file:line`. */
export function parseConversionTable(
  text: string,
  file: string,
): {rows: ConversionRow[]; notices: ImportNotice[]} {
  let records: Array<{record: string[]; info: {lines: number; raw?: string}; raw: string}>
  try {
    records = parse(text, {
      bom: true,
      relax_column_count: true,
      info: true,
      raw: true,
      skip_empty_lines: false,
    }) as unknown as typeof records
  } catch (err) {
    const e = err as Error & {lines?: number}
    throw new InputError(file, e.lines ?? 1, `not a readable CSV file: ${e.message}`)
  }
  const firstLine = (r: (typeof records)[number]) => r.info.lines - (r.raw.match(/\n/g)?.length ?? 1) + 1
  const header = records[1]?.record.map((c) => cleanText(c))
  if (!header || HEADER.some((h, i) => header[i] !== h))
    throw new InputError(
      file,
      2,
      `not the official conversion table: expected the columns ${HEADER.join(' | ')}`,
    )

  const rows: ConversionRow[] = []
  const notices: ImportNotice[] = []
  let heading: {line: number; text: string} | undefined
  for (const rec of records.slice(2)) {
    const line = firstLine(rec)
    const cells = rec.record.map((c) => cleanText(c))
    if (cells.every((c) => c === '')) continue
    if (cells.slice(1).every((c) => c === '')) {
      heading = {line, text: cells[0]}
      continue
    }
    const fail = (message: string): never => {
      throw new InputError(file, line, message)
    }
    const [provinceLabel, newName, newCode, oldName, oldCode, note, districtLabel, oldProvinceLabel] = cells
    const newProvince =
      labelled(provinceLabel, 2) ?? fail(`new province "${provinceLabel}" should read "Name (NN)"`)
    if (!/^[0-9]{5}$/.test(newCode)) fail(`new commune code "${newCode}" is not 5 digits`)
    if (newName === '') fail(`new commune ${newCode} has no name`)
    if (oldCode !== '' && !/^[0-9]{5}$/.test(oldCode)) fail(`old commune code "${oldCode}" is not 5 digits`)
    const oldDistrict =
      districtLabel === ''
        ? undefined
        : (labelled(districtLabel, 3) ?? fail(`old district "${districtLabel}" should read "Name (NNN)"`))
    const oldProvince =
      oldProvinceLabel === ''
        ? undefined
        : (labelled(oldProvinceLabel, 2) ??
          fail(`old province "${oldProvinceLabel}" should read "Name (NN)"`))
    if (oldCode === '' && oldName === '' && !oldDistrict)
      fail(`new commune ${newCode} has neither an old commune nor an old district`)
    if (
      heading &&
      fold(heading.text) !== fold(newProvince.name) &&
      fold(heading.text) !== fold(splitUnitName(newProvince.name).proper)
    )
      notices.push({
        line: heading.line,
        message: `the heading "${heading.text}" stands above rows of ${newProvince.name} (${newProvince.code}); headings are ignored, each row's own province column counts`,
      })
    heading = undefined
    rows.push({line, newProvince, newCode, newName, oldCode, oldName, note, oldDistrict, oldProvince})
  }
  return {rows, notices}
}

/** `Tỉnh Ninh Bình (37)` → {code: '37', name: 'Tỉnh Ninh Bình'} */
function labelled(label: string, digits: number): {code: string; name: string} | undefined {
  const m = /^(.*\S)\s*\(([0-9]+)\)$/.exec(label)
  return m && m[2].length === digits ? {code: m[2], name: m[1]} : undefined
}

type NoteKind = 'whole' | 'part' | 'unknown'

/** The table's ~25 spellings of its remarks, by meaning. */
export function noteKind(note: string): NoteKind {
  const f = fold(note)
  if (f.includes('motphan')) return 'part'
  if (/toanbo|giunguyen|doiten|doiloaihinh/.test(f)) return 'whole'
  return 'unknown'
}
