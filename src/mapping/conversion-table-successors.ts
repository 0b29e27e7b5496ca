/**
 * The default successor of a split code: the new unit that receives the old unit's agencies and
 * accounts. The table does not name one; this is sapxep's rule, and each choice says what decided it.
 */
import {fold} from '../naming/text.js'
import type {ConversionRow} from './conversion-table.js'

/**
 * - `keeps-code`: the new unit keeps the old code (the table and the GSO letter say so);
 * - `whole-population`: the table's remark says the new unit took the whole population ("toàn bộ dân số");
 * - `table-order`: nothing official decides: the first row in table order (sapxep's guess, marked in the file).
 */
export const DEFAULT_REASONS = ['keeps-code', 'whole-population', 'table-order'] as const
export type DefaultReason = (typeof DEFAULT_REASONS)[number]

export interface DefaultChoice {
  row: ConversionRow
  reason: DefaultReason
}

export function defaultSuccessor(oldCode: string, rows: ConversionRow[]): DefaultChoice {
  const keeps = rows.find((r) => r.newCode === oldCode)
  if (keeps) return {row: keeps, reason: 'keeps-code'}
  const whole = rows.find((r) => fold(r.note).includes('toanbodanso'))
  if (whole) return {row: whole, reason: 'whole-population'}
  return {row: rows.reduce((a, b) => (b.line < a.line ? b : a)), reason: 'table-order'}
}
