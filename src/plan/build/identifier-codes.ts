import type {ResolvedMapping} from '../../mapping/model.js'
import {
  formatIdentifierCode,
  LEVEL_NUMBERS,
  parseIdentifierCode,
  type IdentifierCode,
} from '../../naming/identifier-codes.js'
import type {AgencyRec, Snapshot} from '../../registry/snapshot.js'
import {cmp, type AgencyPlan, type PlanContext, type UnitPlan} from './context.js'

/** Agency numbers of an identifier code (001…998), tried in order after the agency's own. */
const AGENCY_NUMBERS = Array.from({length: 998}, (_, i) => String(i + 1).padStart(3, '0'))

/**
 * Identifier codes (QCVN 102) for the agencies of formed units: a commune's People's Committee keeps a
 * valid code under its district, or gets the next number never used there; directly under the province
 * it gets a fresh level-2 block. Other bodies take their People's Committee's levels 2–3 and keep their
 * level-4 number where free. A code ever issued is never given again. Sets `identifier_code` on the
 * agencies it allocates for.
 */
export function allocateIdentifierCodes(ctx: PlanContext, units: UnitPlan, agencies: AgencyPlan): void {
  const {snapshot, province} = ctx
  const level1 = level1Code(ctx.mapping, snapshot, province)
  const wantsCodes = [...agencies.after.values()].some(
    (a) => a.unit !== province && (a.template?.identifier_code ?? a.identifier_code),
  )
  if (!level1) {
    if (wantsCodes) ctx.errors.push(noLevel1(province))
    return
  }
  const pool = new CodePool(
    snapshot.codes.map((c) => c.code),
    level1,
  )
  const codeOf = (id: string) => agencies.after.get(id)?.identifier_code ?? null
  const formed = [...agencies.after.values()]
    .filter((a) => a.unit !== province)
    .sort(
      (x, y) => cmp(x.unit, y.unit) || cmp(x.kind === 'ubnd' ? '' : x.kind, y.kind === 'ubnd' ? '' : y.kind),
    )
  for (const a of formed) {
    if (!(a.template?.identifier_code ?? a.identifier_code)) continue
    const unit = units.after.get(a.unit)!
    const current = parseIdentifierCode(a.identifier_code)
    let wanted: IdentifierCode
    if (a.kind === 'ubnd') {
      if (unit.level !== 3) {
        if (current && current.m === level1) continue
        ctx.errors.push(
          `${a.id}: a district agency needs a new identifier code under ${level1}; give it in the registry first`,
        )
        continue
      }
      const district =
        unit.parent_code && unit.parent_code.length === 3
          ? parseIdentifierCode(codeOf(`${unit.parent_code}.ubnd`))
          : null
      const valid =
        current &&
        current.m === level1 &&
        current.v === '000' &&
        current.z !== '00' &&
        (!district || current.y === district.y)
      if (valid) continue
      // Under a district: the next number never used under it; under the province: a fresh block.
      const pair = district ? pool.nextUnder(district.y) : pool.nextFreshPair()
      if (!pair) {
        ctx.errors.push(`no free identifier code left for ${a.id} under ${level1}`)
        continue
      }
      wanted = {v: '000', z: pair.z, y: pair.y, m: level1}
    } else {
      const ubnd = parseIdentifierCode(codeOf(`${a.unit}.ubnd`))
      if (!ubnd) continue
      if (current && current.z === ubnd.z && current.y === ubnd.y && current.m === ubnd.m) continue
      const v0 = current?.v ?? parseIdentifierCode(a.template?.identifier_code)?.v ?? '001'
      const v = pool.agencyNumber(ubnd, v0)
      if (!v) continue
      wanted = {v, z: ubnd.z, y: ubnd.y, m: ubnd.m}
    }
    a.identifier_code = pool.take(wanted)
  }
}

/**
 * The codes ever issued or allocated under one level-1 code, and the order new ones are handed out in.
 * Pure bookkeeping, tested on its own (including running out of codes).
 */
export class CodePool {
  private readonly everIssued: Set<string>
  private readonly allocated = new Set<string>()
  /** `.Z.Y.L` tails taken by any code ever issued or allocated. */
  private readonly usedTail = new Set<string>()
  /** Level-2 numbers that already have a code under L (departments, districts). */
  private readonly usedBlocks = new Set<string>()
  private blockCursor = 0
  private zCursor = 0

  constructor(
    issued: Iterable<string>,
    readonly level1: string,
  ) {
    this.everIssued = new Set(issued)
    for (const c of this.everIssued) {
      this.usedTail.add(c.slice(3))
      const p = parseIdentifierCode(c)
      if (p && p.m === level1) this.usedBlocks.add(p.y)
    }
  }

  /** A commune directly under the province: level-2 blocks never used under L, filled 01..99. */
  nextFreshPair(): {y: string; z: string} | null {
    for (; this.blockCursor < LEVEL_NUMBERS.length; this.blockCursor++, this.zCursor = 0) {
      const y = LEVEL_NUMBERS[this.blockCursor]
      if (this.usedBlocks.has(y)) continue
      for (; this.zCursor < LEVEL_NUMBERS.length; this.zCursor++) {
        const z = LEVEL_NUMBERS[this.zCursor]
        if (!this.usedTail.has(`.${z}.${y}.${this.level1}`)) {
          this.zCursor++
          return {y, z}
        }
      }
    }
    return null
  }

  /** A commune under a district with level-2 number `y`: the first level-3 number never used there. */
  nextUnder(y: string): {y: string; z: string} | null {
    const z = LEVEL_NUMBERS.find((n) => !this.usedTail.has(`.${n}.${y}.${this.level1}`))
    return z ? {y, z} : null
  }

  /** A body of a People's Committee coded `ubnd`: its own level-4 number if free, else the first free one. */
  agencyNumber(ubnd: IdentifierCode, wanted: string): string | undefined {
    const free = (v: string) => {
      const code = formatIdentifierCode({v, z: ubnd.z, y: ubnd.y, m: ubnd.m})
      return !this.everIssued.has(code) && !this.allocated.has(code)
    }
    return free(wanted) ? wanted : AGENCY_NUMBERS.find(free)
  }

  take(code: IdentifierCode): string {
    const text = formatIdentifierCode(code)
    this.allocated.add(text)
    this.usedTail.add(text.slice(3))
    return text
  }
}

function noLevel1(province: string | null): string {
  return province
    ? `no level-1 identifier code for province ${province}: the registry has no People's Committee ${province}.ubnd with a code to inherit; set policies.identifierCodes.level1 (e.g. H40) in the mapping`
    : `no level-1 identifier code: the mapping names no province whose People's Committee's code to inherit; set policies.identifierCodes.level1 (e.g. H40) in the mapping`
}

/** The level-1 code new identifier codes go under: the policy's, or the one the province already has. */
function level1Code(mapping: ResolvedMapping, snapshot: Snapshot, province: string | null): string | null {
  const wanted = mapping.policies.identifierCodes.level1
  if (wanted && wanted !== 'inherit') return wanted
  const ubnd = province
    ? snapshot.agencies.find((a) => a.id === `${province}.ubnd` && a.status === 'active')
    : undefined
  return parseIdentifierCode(ubnd?.identifier_code)?.m ?? null
}

/** Level-1 codes whose issued codes the snapshot must read (for allocation without reuse). */
export function level1CodesFor(mapping: ResolvedMapping): (agencies: AgencyRec[]) => string[] {
  return (agencies) => {
    const province = mapping.province?.code ?? null
    const codes = new Set<string>()
    const explicit = mapping.policies.identifierCodes.level1
    if (explicit && explicit !== 'inherit') codes.add(explicit)
    const ubnd = province ? agencies.find((a) => a.id === `${province}.ubnd`) : undefined
    const m = parseIdentifierCode(ubnd?.identifier_code)?.m
    if (m) codes.add(m)
    return [...codes].sort()
  }
}
