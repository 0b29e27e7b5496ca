/**
 * The default successor of a split code: the new unit that receives the old unit's agencies and
 * accounts. The table does not name one; this is sapxep's rule, and each choice says what decided it:
 * the table where it can, else the province's resolution (data/resolution-shares-2025.csv), else
 * table order, which is a guess and marked as one in the file.
 */
import {InputError} from '../errors.js'
import {fold} from '../naming/text.js'
import {readCsv} from '../registry/import/csv.js'
import type {ConversionRow} from './conversion-table.js'

/**
 * - `keeps-code`: the new unit keeps the old code (the table and the GSO letter say so);
 * - `whole-population`: the new unit took the whole population ("toàn bộ dân số" in the table's remark,
 *   or "toàn bộ quy mô dân số" in the resolution's item);
 * - `population-only`: every other receiver took area only ("một phần diện tích" and no population);
 * - `table-order`: nothing official decides: the first row in table order among the receivers that
 *   took people (sapxep's guess, marked in the file).
 */
export const DEFAULT_REASONS = ['keeps-code', 'whole-population', 'population-only', 'table-order'] as const
export type DefaultReason = (typeof DEFAULT_REASONS)[number]

/** What a province's resolution gives one receiver of a split code. */
export interface ResolutionShare {
  share: 'area' | 'whole-population'
  resolution: string
  item: string
}

/** Resolution shares by `old code>new code`. */
export type ResolutionShares = Map<string, ResolutionShare>

export interface DefaultChoice {
  row: ConversionRow
  reason: DefaultReason
  /** Where the reason comes from, when it is not the table alone: `1656/NQ-UBTVQH15 item 40`. */
  evidence?: string
}

const shareOf = (shares: ResolutionShares, r: ConversionRow) => shares.get(`${r.oldCode}>${r.newCode}`)
const cite = (s: ResolutionShare) => `${s.resolution} item ${s.item}`

export function defaultSuccessor(
  oldCode: string,
  rows: ConversionRow[],
  shares: ResolutionShares = new Map(),
): DefaultChoice {
  const keeps = rows.find((r) => r.newCode === oldCode)
  if (keeps) return {row: keeps, reason: 'keeps-code'}
  const whole = rows.find((r) => fold(r.note).includes('toanbodanso'))
  if (whole) return {row: whole, reason: 'whole-population'}
  const byResolution = rows.find((r) => shareOf(shares, r)?.share === 'whole-population')
  if (byResolution)
    return {row: byResolution, reason: 'whole-population', evidence: cite(shareOf(shares, byResolution)!)}
  // "Nhập một phần diện tích" in the table, or the resolution's "một phần diện tích tự nhiên của": no people.
  const areaOnly = (r: ConversionRow) =>
    fold(r.note) === 'nhapmotphandientich' || shareOf(shares, r)?.share === 'area'
  const peopled = rows.filter((r) => !areaOnly(r))
  if (peopled.length === 1) {
    const cited = rows.flatMap((r) => {
      const s = shareOf(shares, r)
      return s?.share === 'area' ? [cite(s)] : []
    })
    return {
      row: peopled[0],
      reason: 'population-only',
      evidence: cited.length > 0 ? [...new Set(cited)].join(', ') : undefined,
    }
  }
  const candidates = peopled.length > 0 ? peopled : rows
  return {row: candidates.reduce((a, b) => (b.line < a.line ? b : a)), reason: 'table-order'}
}

const COLUMNS = ['old_code', 'new_code', 'share', 'resolution', 'item']

/** data/resolution-shares-2025.csv (made by scripts/resolution-shares.js from the resolutions' texts). */
export async function readResolutionShares(file: string): Promise<ResolutionShares> {
  const {rows} = await readCsv(file, {required: COLUMNS})
  const out: ResolutionShares = new Map()
  for (const {line, values: v} of rows) {
    for (const c of ['old_code', 'new_code'])
      if (!/^[0-9]{5}$/.test(v[c]))
        throw new InputError(file, line, `column "${c}": "${v[c]}" is not a 5-digit code`)
    if (v.share !== 'area' && v.share !== 'whole-population')
      throw new InputError(file, line, `column "share": "${v.share}" is not area or whole-population`)
    if (v.resolution === '' || v.item === '')
      throw new InputError(file, line, 'columns "resolution" and "item" must not be empty')
    out.set(`${v.old_code}>${v.new_code}`, {share: v.share, resolution: v.resolution, item: v.item})
  }
  return out
}
