import type {ResolvedMapping} from '../../mapping/model.js'
import type {UnitRec} from '../../registry/snapshot.js'

/** The mapping's `expect` counts that the units after the plan do not meet, as messages. */
export function expectProblems(
  mapping: ResolvedMapping,
  units: Map<string, UnitRec>,
  province: string | null,
): string[] {
  const {expect} = mapping
  if (!province || (expect.communes === undefined && expect.districts === undefined)) return []
  const problems: string[] = []
  const districts = [...units.values()].filter((u) => u.level === 2 && u.parent_code === province)
  const districtCodes = new Set(districts.map((d) => d.code))
  const communes = [...units.values()].filter(
    (u) => u.level === 3 && (u.parent_code === province || districtCodes.has(u.parent_code ?? '')),
  )
  if (expect.districts !== undefined && districts.length !== expect.districts)
    problems.push(
      `expect.districts is ${expect.districts}, but province ${province} would have ${districts.length} active districts`,
    )
  if (expect.communes !== undefined && communes.length !== expect.communes)
    problems.push(
      `expect.communes is ${expect.communes}, but province ${province} would have ${communes.length} active communes`,
    )
  return problems
}
