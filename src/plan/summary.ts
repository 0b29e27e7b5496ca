import {OP_TABLE, type Operation, type PlanSummary} from './types.js'

/** Counts by kind and system, and the rows each table will see written (what a dry run must report). */
export function summarize(ops: Operation[]): PlanSummary {
  const byKind: PlanSummary['byKind'] = {}
  const accountsBySystem: PlanSummary['accountsBySystem'] = {}
  const rowsByTable: Record<string, number> = {}
  const units = {created: 0, renamed: 0, retyped: 0, reparented: 0, retired: 0}
  const bump = (table: string, n = 1) => (rowsByTable[table] = (rowsByTable[table] ?? 0) + n)
  for (const op of ops) {
    byKind[op.op] = (byKind[op.op] ?? 0) + 1
    bump(OP_TABLE[op.op])
    if (op.op.startsWith('account.')) {
      const s = (accountsBySystem[op.key.system] ??= {})
      s[op.op] = (s[op.op] ?? 0) + 1
    }
    if (op.op === 'unit.create') units.created++
    if (op.op === 'unit.retire') {
      units.retired++
      bump(
        'unit_successors',
        String(op.after.successors ?? '')
          .split(' ')
          .filter(Boolean).length,
      )
    }
    if (op.op === 'unit.update') {
      bump('unit_history')
      if (op.before && 'name' in op.before) units.renamed++
      if (op.before && 'type' in op.before) units.retyped++
      if (op.before && 'parent_code' in op.before) units.reparented++
    }
  }
  const sortedTables = Object.fromEntries(Object.entries(rowsByTable).sort(([a], [b]) => (a < b ? -1 : 1)))
  return {operations: ops.length, byKind, accountsBySystem, rowsByTable: sortedTables, units}
}
