import {expectMismatches, provinceCounts, type CountedUnit} from '../../mapping/expect.js'
import type {ResolvedMapping} from '../../mapping/model.js'
import type {UnitRec} from '../../registry/snapshot.js'

/**
 * The mapping's `expect` counts that the province's units after the plan do not meet, as messages. The
 * snapshot holds every unit of the provinces in scope, so the whole province is counted, whether the
 * mapping lists all its units or only the changed ones.
 */
export function expectProblems(
  mapping: ResolvedMapping,
  units: Map<string, UnitRec>,
  province: string | null,
): string[] {
  if (!province) return []
  const counted = new Map<string, CountedUnit>()
  for (const [code, u] of units) counted.set(code, {level: u.level, parentCode: u.parent_code})
  return expectMismatches(mapping.expect, provinceCounts(counted, province), province).map((m) => m.message)
}
