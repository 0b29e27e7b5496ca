import type {UnitLevel} from '../registry/vocabulary.js'

/** A unit as counting needs it: its level and its parent (after the change). */
export interface CountedUnit {
  level: UnitLevel
  parentCode: string | null
}

export interface LevelCounts {
  provinces: number
  districts: number
  communes: number
}

export const COUNT_KEYS = ['provinces', 'districts', 'communes'] as const

/**
 * The active units of a province by level: those whose chain of parents leads to it (the province
 * itself counts as one province). The one definition of the counts `expect` states, used by
 * `mapping validate --registry`, `plan` and `verify`.
 */
export function provinceCounts(units: ReadonlyMap<string, CountedUnit>, province: string): LevelCounts {
  const counts: LevelCounts = {provinces: 0, districts: 0, communes: 0}
  const inProvince = new Map<string, boolean>()
  const belongs = (code: string): boolean => {
    const known = inProvince.get(code)
    if (known !== undefined) return known
    const u = units.get(code)
    // A province is its own; three levels at most, so the walk is short.
    const answer = !u
      ? false
      : u.level === 1
        ? code === province
        : u.parentCode
          ? belongs(u.parentCode)
          : false
    inProvince.set(code, answer)
    return answer
  }
  for (const [code, u] of units) {
    if (!belongs(code)) continue
    if (u.level === 1) counts.provinces++
    else if (u.level === 2) counts.districts++
    else counts.communes++
  }
  return counts
}

/** The counts of `expect` that `counts` does not meet, each with the message a user reads. */
export function expectMismatches(
  expect: Partial<LevelCounts>,
  counts: LevelCounts,
  province: string,
): Array<{key: keyof LevelCounts; message: string}> {
  const out: Array<{key: keyof LevelCounts; message: string}> = []
  for (const key of COUNT_KEYS) {
    const want = expect[key]
    if (want === undefined || want === counts[key]) continue
    const have = counts[key]
    out.push({
      key,
      message: `expect.${key} is ${want}, but after this change province ${province} has ${have} ${have === 1 ? key.slice(0, -1) : key}`,
    })
  }
  return out
}
