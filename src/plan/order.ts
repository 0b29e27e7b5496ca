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
  const all: Operation[] = []
  const buckets: number[][] = OP_KINDS.map(() => [])
  for (const list of lists)
    for (const op of list) {
      const k = KIND_INDEX.get(op.op)
      if (k === undefined) throw new Error(`unknown operation kind ${op.op}`)
      buckets[k].push(all.length)
      all.push(op)
    }
  const operations: Operation[] = new Array(all.length)
  let n = 0
  for (let bucket of buckets) {
    // The keys as text, side by side: a million comparisons touch them and nothing else.
    const keys = bucket.map((i) => keyText(all[i]))
    let sorted = true
    for (let j = 1; j < keys.length && sorted; j++) sorted = keys[j - 1] <= keys[j]
    if (!sorted) {
      const positions = keys.map((_, j) => j)
      positions.sort((x, y) => (keys[x] < keys[y] ? -1 : keys[x] > keys[y] ? 1 : 0))
      bucket = positions.map((j) => bucket[j])
    }
    for (const i of bucket) operations[n++] = all[i]
  }
  return operations
}

/** Operations grouped by kind, in the order they are applied (kinds without operations left out). */
export function operationsByKind(ops: Operation[]): Map<OpKind, Operation[]> {
  const groups = new Map<OpKind, Operation[]>()
  for (const kind of OP_KINDS) groups.set(kind, [])
  for (const op of ops) groups.get(op.op)!.push(op)
  for (const kind of OP_KINDS) if (groups.get(kind)!.length === 0) groups.delete(kind)
  return groups
}
