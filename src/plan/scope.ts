import type {ResolvedMapping} from '../mapping/model.js'
import type {SnapshotScope} from '../registry/snapshot.js'

/** The units a mapping's snapshot reads: its units, their sources, its retired codes and its province. */
export function snapshotScope(mapping: ResolvedMapping): SnapshotScope {
  const codes = new Set<string>()
  for (const u of mapping.units) {
    codes.add(u.code)
    for (const s of u.sources) codes.add(s.code)
  }
  for (const r of mapping.retired) codes.add(r.code)
  if (mapping.province) codes.add(mapping.province.code)
  const provinceCodes = [...codes].filter((c) => c.length === 2)
  return {
    unitCodes: [...codes].sort(),
    provinceCodes: provinceCodes.sort(),
  }
}
