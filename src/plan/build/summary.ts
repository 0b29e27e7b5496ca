import type {ResolvedUnit} from '../../mapping/model.js'
import type {UnitRec} from '../../registry/snapshot.js'
import type {Operation, PlanUnitSummary} from '../types.js'
import {cmp} from './context.js'

/**
 * The units a reviewer reads the plan by: each of the mapping's units with the old units forming it and
 * whether it is created, changed or kept, then every other unit an operation is grouped under.
 */
export function unitSummaries(
  entries: ResolvedUnit[],
  before: Map<string, UnitRec>,
  ops: Operation[],
): PlanUnitSummary[] {
  const touched = new Set<string>()
  const created = new Set<string>()
  const updated = new Set<string>()
  for (const o of ops) {
    touched.add(o.unit)
    if (o.op === 'unit.create') created.add(o.key.code)
    else if (o.op === 'unit.update') updated.add(o.key.code)
  }
  const list: PlanUnitSummary[] = entries.map((e) => ({
    code: e.code,
    name: e.name,
    type: e.type,
    level: e.level,
    sources: e.sources.map((s) => ({
      code: s.code,
      name: before.get(s.code)?.name ?? '(not in registry)',
      share: s.share,
      isDefault: s.isDefault,
    })),
    change: created.has(e.code) ? 'create' : updated.has(e.code) || touched.has(e.code) ? 'update' : 'keep',
  }))
  const listed = new Set(list.map((u) => u.code))
  for (const code of [...touched].sort()) {
    const u = before.get(code)
    if (listed.has(code) || !u) continue
    list.push({code, name: u.name, type: u.type, level: u.level, sources: [], change: 'update'})
  }
  return list.sort((a, b) => cmp(a.code, b.code))
}
