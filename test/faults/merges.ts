import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type {MappingInput} from '../../src/mapping/schema.js'
import type {Registry} from '../../src/registry/db.js'
import {query} from '../../src/registry/sql.js'

/** An active commune of the registry, as a generated merger reads it. */
export interface Commune {
  code: string
  name: string
  type: string
  district: string
  province: string
}

/** The provinces of the `nam-dinh` sample (the ones with agencies, accounts and mailboxes). */
export const SAMPLE_PROVINCES = ['35', '36', '37']

const PROVINCE_NAMES: Record<string, string> = {
  '35': 'Tỉnh Hà Nam',
  '36': 'Tỉnh Nam Định',
  '37': 'Tỉnh Ninh Bình',
}

/** The active communes of `provinces`, by province, from the registry's own unit list. */
export async function communesByProvince(
  registry: Registry,
  provinces: string[] = SAMPLE_PROVINCES,
): Promise<Map<string, Commune[]>> {
  const rows = await query<{code: string; name: string; type: string; district: string; province: string}>(
    registry.db,
    `select c.code, c.name, c.type, d.code as district, d.parent_code as province
       from units c join units d on d.code = c.parent_code
      where c.level = 3 and c.status = 'active' and d.parent_code = any(?)
      order by c.code`,
    [provinces],
  )
  const out = new Map<string, Commune[]>()
  for (const r of rows) out.set(r.province, [...(out.get(r.province) ?? []), r])
  return out
}

/**
 * A partial mapping of random mergers within one province: groups of 2–4 of its communes, each forming
 * a new commune that keeps the code of one of them (under that one's district), with a new name.
 * Deterministic for a given fast-check seed.
 */
export function mergeMappingArb(
  communesOf: Map<string, Commune[]>,
  maxGroups = 8,
): fc.Arbitrary<MappingInput> {
  const provinces = [...communesOf.keys()].sort()
  return fc
    .record({
      province: fc.constantFrom(...provinces),
      picks: fc.uniqueArray(fc.nat(), {minLength: 2, maxLength: maxGroups * 4}),
      sizes: fc.array(fc.integer({min: 2, max: 4}), {minLength: 1, maxLength: maxGroups}),
      keep: fc.array(fc.nat(3), {minLength: maxGroups, maxLength: maxGroups}),
      type: fc.array(fc.constantFrom('Xã', 'Phường'), {minLength: maxGroups, maxLength: maxGroups}),
      accounts: fc.constantFrom('reassign', 'disable', 'recreate'),
      oldAddresses: fc.constantFrom('alias', 'suspend'),
    })
    .map(({province, picks, sizes, keep, type, accounts, oldAddresses}) => {
      const communes = communesOf.get(province)!
      // Distinct communes in random order: indices taken modulo the list, duplicates dropped.
      const chosen = [...new Set(picks.map((i) => i % communes.length))].map((i) => communes[i])
      const units: NonNullable<MappingInput['units']> = []
      let at = 0
      sizes.forEach((size, g) => {
        const group = chosen.slice(at, at + size)
        at += size
        if (group.length < 2) return
        const kept = group[keep[g] % group.length]
        units.push({
          code: kept.code,
          name: `${type[g]} Hợp Nhất ${kept.code}`,
          type: type[g] as 'Xã',
          parent: kept.district,
          from: group.map((c) => ({code: c.code, name: c.name})),
        })
      })
      return {
        format: 'sapxep/mapping@1',
        decision: {number: 'FAULTS/2025', effective: '2025-07-01', official: false},
        province: {code: province, name: PROVINCE_NAMES[province] ?? `Tỉnh ${province}`},
        scope: 'partial',
        units,
        policies: {accounts: {default: accounts}, mail: {oldAddresses}},
      } satisfies MappingInput
    })
    .filter((m) => (m.units?.length ?? 0) > 0)
}

/** Write a mapping where the planner reads it (JSON is YAML). */
export function writeMapping(dir: string, name: string, mapping: MappingInput): string {
  const file = path.join(dir, `${name}.yaml`)
  fs.writeFileSync(file, JSON.stringify(mapping, null, 1))
  return file
}
