import {OP_KINDS, type OpKind} from '../../types.js'
import {
  KIND_CLASS,
  type UnitGroup,
  clean,
  fairShares,
  formatChange,
  formatKey,
  systemOf,
  unitTitle,
} from '../common.js'

/** One change-table row: kind index, unit index, system, key, before → after, note. */
export type EmbeddedRow = [number, number, string, string, string, string]

/** What the page's script reads (`#plan-data`): kinds and their classes, units, rows, and the plan's count. */
export interface PageData {
  kinds: string[]
  classes: string[]
  units: Array<[string, string]>
  rows: EmbeddedRow[]
  total: number
}

export interface EmbeddedRows {
  data: PageData
  /** Operations embedded for each unit, in the order of the groups. */
  perUnit: number[]
  /** The fair quota: at most this many per unit and kind (one more for a few when the budget allows). */
  quota: number
}

/** Which operations to embed: the same share of every (unit, kind), as many as `maxRows` allows. */
export function embeddedRows(groups: UnitGroup[], total: number, maxRows: number): EmbeddedRows {
  const sizes: number[] = []
  for (const g of groups) for (const [, ops] of g.byKind) sizes.push(ops.length)
  const shares = fairShares(sizes, maxRows)
  const quota = Math.max(0, ...new Set(shares))
  const kinds: string[] = [...OP_KINDS]
  const kindIndex = new Map(kinds.map((k, i) => [k, i]))
  const units: Array<[string, string]> = []
  const rows: EmbeddedRow[] = []
  const perUnit: number[] = []
  let share = 0
  groups.forEach((g, u) => {
    units.push([clean(g.unit.code), unitTitle(g)])
    let n = 0
    for (const [kind, ops] of g.byKind) {
      if (!kindIndex.has(kind)) kindIndex.set(kind, kinds.push(clean(kind)) - 1)
      const take = shares[share++]
      for (let i = 0; i < take; i++) {
        const op = ops[i]
        rows.push([
          kindIndex.get(kind)!,
          u,
          systemOf(op),
          formatKey(op.key),
          formatChange(op, 80, 400),
          clean(op.note ?? ''),
        ])
      }
      n += take
    }
    perUnit.push(n)
  })
  const data = {
    kinds,
    classes: kinds.map((k) => KIND_CLASS[k as OpKind] ?? 'change'),
    units,
    rows,
    total,
  }
  return {data, perUnit, quota}
}
