/** A count as people read it: `1,000,000`. */
export const count = (n: number): string => n.toLocaleString('en-US')

/** The sum of a per-table count. */
export const total = (byTable: Record<string, number>): number =>
  Object.values(byTable).reduce((a, b) => a + b, 0)
