import {OP_KINDS, type OpKind, type Operation} from '../../types.js'
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

/**
 * One change-table row: kind index, unit index, system, key, before → after, note, and the change in
 * words, where `\uE000<i>\uE001` stands for `names[i]` (private-use characters, taken out of the names).
 */
export type EmbeddedRow = [number, number, string, string, string, string, string]

/** What the page's script reads (`#plan-data`): kinds, their names and classes, units, rows, words. */
export interface PageData {
  kinds: string[]
  /** The kinds' names in the page's language. */
  kindNames: string[]
  classes: string[]
  units: Array<[string, string]>
  /** The names the sentences quote, each once. */
  names: string[]
  rows: EmbeddedRow[]
  total: number
  /** Thousands separator of the page's language. */
  sep: string
  /** The script's words, `{0}`… standing for its values. */
  t: Record<string, string>
}

export interface EmbeddedRows {
  data: PageData
  /** Operations embedded for each unit, in the order of the groups. */
  perUnit: number[]
  /** The fair quota: at most this many per unit and kind (one more for a few when the budget allows). */
  quota: number
}

export interface RowWords {
  kindName(kind: string): string
  describe(op: Operation, ref: (name: string) => string): string
  sep: string
  t: Record<string, string>
  /** After the code of a unit the plan's unit list does not describe. */
  notInUnitList: string
}

/** Which operations to embed: the same share of every (unit, kind), as many as `maxRows` allows. */
export function embeddedRows(
  groups: UnitGroup[],
  total: number,
  maxRows: number,
  words: RowWords,
): EmbeddedRows {
  const sizes: number[] = []
  for (const g of groups) for (const [, ops] of g.byKind) sizes.push(ops.length)
  const shares = fairShares(sizes, maxRows)
  const quota = Math.max(0, ...new Set(shares))
  const kinds: string[] = [...OP_KINDS]
  const kindIndex = new Map(kinds.map((k, i) => [k, i]))
  const units: Array<[string, string]> = []
  const rows: EmbeddedRow[] = []
  const perUnit: number[] = []
  const names: string[] = []
  const nameIndex = new Map<string, string>()
  const ref = (name: string): string => {
    let r = nameIndex.get(name)
    if (r === undefined)
      nameIndex.set(name, (r = `\uE000${names.push(name.replace(/[\uE000\uE001]/g, '')) - 1}\uE001`))
    return r
  }
  let share = 0
  groups.forEach((g, u) => {
    units.push([
      clean(g.unit.code),
      g.described ? unitTitle(g) : `${clean(g.unit.code)} ${words.notInUnitList}`,
    ])
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
          words.describe(op, ref),
        ])
      }
      n += take
    }
    perUnit.push(n)
  })
  const data: PageData = {
    kinds,
    kindNames: kinds.map((k) => words.kindName(k)),
    classes: kinds.map((k) => KIND_CLASS[k as OpKind] ?? 'change'),
    units,
    names,
    rows,
    total,
    sep: words.sep,
    t: words.t,
  }
  return {data, perUnit, quota}
}
