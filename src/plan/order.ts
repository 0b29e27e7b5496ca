import {OP_KINDS, type OpKind, type Operation} from './types.js'

const KIND_INDEX = new Map<string, number>(OP_KINDS.map((k, i) => [k, i]))

// Keys of one kind are built with their fields in one order, so their values alone order them.
const keyText = (o: Operation): string => Object.values(o.key).join('\u0000')

/** Kind order first (it is the apply order), then the key, so the plan does not depend on how it was built. */
export function sortOperations(ops: Operation[]): Operation[] {
  return sortLists([ops])
}

/** The operations of several lists in plan order: per kind, in list order, then sorted by key (stable). */
export function sortLists(lists: Operation[][]): Operation[] {
  return mergeSorted(lists.map(sortList)).operations
}

/** One list's operations in plan order, with what merging it with other lists needs. */
export interface SortedList {
  operations: Operation[]
  /** Each operation's key as text, side by side: a million comparisons touch them and nothing else. */
  keys: string[]
  /** Where each kind starts (OP_KINDS order), and the end: kind k is [kindStart[k], kindStart[k + 1]). */
  kindStart: Uint32Array
}

/** A list's operations per kind (OP_KINDS order), each kind sorted by key, stable. */
export function sortList(ops: readonly Operation[]): SortedList {
  const buckets: Operation[][] = OP_KINDS.map(() => [])
  for (const op of ops) {
    const k = KIND_INDEX.get(op.op)
    if (k === undefined) throw new Error(`unknown operation kind ${op.op}`)
    buckets[k].push(op)
  }
  const operations: Operation[] = new Array(ops.length)
  const keys: string[] = new Array(ops.length)
  const kindStart = new Uint32Array(OP_KINDS.length + 1)
  let n = 0
  buckets.forEach((bucket, k) => {
    kindStart[k] = n
    const bucketKeys = bucket.map(keyText)
    for (const j of sortedPositions(bucketKeys)) {
      operations[n] = bucket[j]
      keys[n++] = bucketKeys[j]
    }
  })
  kindStart[OP_KINDS.length] = n
  return {operations, keys, kindStart}
}

/**
 * Sorted lists merged into plan order: per kind by key, an equal key in list order (what sorting the
 * lists' operations together, stable, gives). A list is sorted while the database reads the next one.
 * Operation i is operation at[i] of lists[list[i]].
 */
export function mergeSorted(lists: readonly SortedList[]): {
  operations: Operation[]
  list: Uint32Array
  at: Uint32Array
} {
  const total = lists.reduce((n, l) => n + l.operations.length, 0)
  const operations: Operation[] = new Array(total)
  const list = new Uint32Array(total)
  const at = new Uint32Array(total)
  let n = 0
  for (let k = 0; k < OP_KINDS.length; k++) {
    const size = lists.reduce((m, l) => m + l.kindStart[k + 1] - l.kindStart[k], 0)
    const fromList = new Uint32Array(size)
    const fromAt = new Uint32Array(size)
    const keys: string[] = new Array(size)
    let m = 0
    lists.forEach((l, i) => {
      for (let j = l.kindStart[k]; j < l.kindStart[k + 1]; j++) {
        fromList[m] = i
        fromAt[m] = j
        keys[m++] = l.keys[j]
      }
    })
    // The lists' runs side by side: the (stable) sort finds them in order and only merges them.
    for (const p of sortedPositions(keys)) {
      operations[n] = lists[fromList[p]].operations[fromAt[p]]
      list[n] = fromList[p]
      at[n++] = fromAt[p]
    }
  }
  return {operations, list, at}
}

/** The positions of `keys` in key order (stable). */
function sortedPositions(keys: string[]): number[] {
  const positions = keys.map((_, j) => j)
  let sorted = true
  for (let j = 1; j < keys.length && sorted; j++) sorted = keys[j - 1] <= keys[j]
  if (!sorted) positions.sort((x, y) => (keys[x] < keys[y] ? -1 : keys[x] > keys[y] ? 1 : 0))
  return positions
}

/** Operations grouped by kind, in the order they are applied (kinds without operations left out). */
export function operationsByKind(ops: Operation[]): Map<OpKind, Operation[]> {
  const groups = new Map<OpKind, Operation[]>()
  for (const kind of OP_KINDS) groups.set(kind, [])
  for (const op of ops) groups.get(op.op)!.push(op)
  for (const kind of OP_KINDS) if (groups.get(kind)!.length === 0) groups.delete(kind)
  return groups
}
