/** Small helpers over lists that several layers share. */

/** Code-point order of two strings, whatever the locale or the database's collation. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Items grouped by a key, groups and items in the order first seen. */
export function groupBy<T, K>(items: Iterable<T>, key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list) list.push(item)
    else out.set(k, [item])
  }
  return out
}

/**
 * Append every item of each list to `target`. `target.push(...list)` passes the items as arguments, and a
 * list of ~100,000 (the findings of a hostile file) overflows the call stack.
 */
export function pushAll<T>(target: T[], ...lists: Iterable<T>[]): void {
  for (const list of lists) for (const item of list) target.push(item)
}
