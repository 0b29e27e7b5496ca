import {fold, splitUnitName} from '../../naming/text.js'
import type {RegistryUnit} from '../../registry/units.js'
import {LEVEL_NAMES} from '../../registry/vocabulary.js'
import type {DocPath} from '../document.js'
import {expectMismatches, provinceCounts, type CountedUnit, type LevelCounts} from '../expect.js'
import type {Finding} from '../findings.js'
import type {GroupIndex} from './group.js'
import {codePath, label, push, sourcePath, type FileModel, type RegistryState} from './model.js'

const properName = (name: string) => fold(splitUnitName(name).proper)

function provinceOf(state: RegistryState, code: string): string | undefined {
  let cur = state.get(code)
  for (let i = 0; i < 3 && cur; i++) {
    if (cur.level === 1) return cur.code
    cur = cur.parentCode ? state.get(cur.parentCode) : undefined
  }
  return undefined
}

/** The provinces a file covers: the sources of its province unit, or its province. */
function constituentProvinces(f: FileModel): string[] {
  const provinceUnits = f.units.filter((u) => u.level === 1)
  if (provinceUnits.length > 0)
    return [...new Set(provinceUnits.flatMap((u) => u.sources.map((s) => s.code)))]
  return f.mapping.province ? [f.mapping.province.code] : []
}

/** With `--registry`: codes exist and are active, new codes are free, complete files cover every unit, counts hold. */
export function checkRegistry(group: FileModel[], g: GroupIndex, state: RegistryState): Finding[] {
  const covered = new Map<string, FileModel>()
  for (const f of group)
    if (f.mapping.scope === 'complete' && !f.schema.broken.units)
      for (const p of constituentProvinces(f)) covered.set(p, f)
  const mentioned = (code: string) =>
    g.unitsByCode.has(code) || g.sourcesByCode.has(code) || g.retireByCode.has(code)
  return [
    ...group.flatMap((f) => checkCodes(f, state)),
    ...checkCoverage(group, state, covered, mentioned),
    ...checkOrphans(g, state, covered, mentioned),
    ...group.flatMap((f) => checkPartialCounts(f, g, state)),
  ]
}

/** Codes that must exist are active in the registry; codes a unit takes anew are free. */
function checkCodes(f: FileModel, state: RegistryState): Finding[] {
  const out: Finding[] = []
  const mustBeActive = (path: DocPath, code: string, what: string) => {
    const r = state.get(code)
    if (!r) out.push(f.doc.finding('registry-unknown-code', path, `${what} ${code} is not in the registry`))
    else if (r.status !== 'active')
      out.push(
        f.doc.finding(
          'registry-retired-code',
          path,
          `${what} ${label(code, r.name)} is already retired in the registry`,
        ),
      )
    return r
  }
  for (const u of f.units) {
    for (const s of u.sources) {
      const r = mustBeActive(sourcePath(u, s), s.code, u.fromGiven ? 'from code' : 'unit')
      // Compared without the type prefix: types changed between the lists, and the table sometimes omits them.
      if (r && s.name && properName(s.name) !== properName(r.name))
        out.push(
          f.doc.finding(
            'registry-name-mismatch',
            sourcePath(u, s),
            `the registry calls ${s.code} "${r.name}", not "${s.name}"`,
          ),
        )
    }
    if (!u.sources.some((s) => s.code === u.code)) {
      const r = state.get(u.code)
      if (r)
        out.push(
          f.doc.finding(
            'registry-code-taken',
            codePath(u),
            r.status === 'active'
              ? `${u.code} already belongs to ${r.name}, which is not among the units forming ${u.name}`
              : `${u.code} belonged to ${r.name}, retired: retired codes are never reused`,
          ),
        )
    }
  }
  f.mapping.retire.forEach((r, i) =>
    mustBeActive(['retire', f.schema.retireIndex[i], 'code'], r.code, 'retired code'),
  )
  return out
}

/** Every active unit of the provinces a complete file covers is said something about. */
function checkCoverage(
  group: FileModel[],
  state: RegistryState,
  covered: Map<string, FileModel>,
  mentioned: (code: string) => boolean,
): Finding[] {
  const out: Finding[] = []
  const tainted = (code: string) => group.some((f) => f.schema.taintedCodes.has(code))
  for (const r of state.values()) {
    if (r.status !== 'active' || r.level === 1) continue
    const province = provinceOf(state, r.code)
    const f = province ? covered.get(province) : undefined
    if (!f || mentioned(r.code) || tainted(r.code) || (r.level === 2 && f.abolishDistricts)) continue
    const parent = r.parentCode ? state.get(r.parentCode) : undefined
    out.push(
      f.doc.finding(
        'registry-uncovered',
        provincePath(f),
        `active ${LEVEL_NAMES[r.level]} ${label(r.code, r.name)}${parent ? ` in ${parent.name}` : ''} of province ${province} is not in this complete mapping: say what becomes of it`,
      ),
    )
  }
  return out
}

/** No active unit left under a parent that stops existing. */
function checkOrphans(
  g: GroupIndex,
  state: RegistryState,
  covered: Map<string, FileModel>,
  mentioned: (code: string) => boolean,
): Finding[] {
  const out: Finding[] = []
  const children = new Map<string, RegistryUnit[]>()
  for (const r of state.values()) if (r.status === 'active' && r.parentCode) push(children, r.parentCode, r)
  for (const code of g.retired) {
    const src = g.sourcesByCode.get(code)?.[0]
    const ret = g.retireByCode.get(code)
    const [f, path] = src
      ? [src.f, sourcePath(src.u, src.s)]
      : [ret!.f, ['retire', ret!.index, 'code'] as DocPath]
    for (const child of children.get(code) ?? []) {
      const province = provinceOf(state, child.code)
      if (mentioned(child.code) || (province && covered.has(province))) continue
      out.push(
        f.doc.finding(
          'registry-orphan',
          path,
          `${label(child.code, child.name)} sits under ${code}, which stops existing here: list it with a new parent or say where it goes`,
        ),
      )
    }
  }
  return out
}

/** A partial file's counts need the registry: the province after the change. */
function checkPartialCounts(f: FileModel, g: GroupIndex, state: RegistryState): Finding[] {
  const {expect, province} = f.mapping
  if (
    f.mapping.scope !== 'partial' ||
    !province ||
    f.schema.broken.units ||
    f.schema.broken.expect ||
    Object.keys(expect).length === 0
  )
    return []
  return expectMismatches(expect, countsAfter(f, g, state), province.code).map((m) =>
    f.doc.finding('expect', ['expect', m.key], `${m.message} (registry and mapping)`),
  )
}

function provincePath(f: FileModel): DocPath {
  const p = f.units.find((u) => u.level === 1)
  return p ? codePath(p) : f.mapping.province ? ['province', 'code'] : []
}

/** Units of the file's province after the change: the registry's, minus what stops existing, plus the file's units. */
function countsAfter(f: FileModel, g: GroupIndex, state: RegistryState): LevelCounts {
  const target = f.mapping.province!.code
  const provinces = new Set([...constituentProvinces(f), target])
  const after = new Map<string, CountedUnit>()
  for (const r of state.values())
    if (
      r.status === 'active' &&
      provinces.has(provinceOf(state, r.code) ?? '') &&
      !g.retired.has(r.code) &&
      !(r.level === 2 && f.abolishDistricts)
    )
      after.set(r.code, {level: r.level, parentCode: r.parentCode})
  for (const u of f.units)
    after.set(u.code, {level: u.level, parentCode: u.parentCode ?? after.get(u.code)?.parentCode ?? null})
  return provinceCounts(after, target)
}

/** The registry as it would be after the group: what later groups are checked against. */
export function applyGroup(group: FileModel[], g: GroupIndex, state: RegistryState): void {
  for (const code of g.retired) {
    const r = state.get(code)
    if (r) state.set(code, {...r, status: 'retired'})
  }
  for (const f of group) {
    if (f.abolishDistricts) {
      const provinces = new Set(constituentProvinces(f))
      for (const r of state.values())
        if (r.level === 2 && r.status === 'active' && r.parentCode && provinces.has(r.parentCode))
          state.set(r.code, {...r, status: 'retired'})
    }
    for (const u of f.units)
      state.set(u.code, {
        code: u.code,
        name: u.name,
        type: u.type,
        level: u.level,
        parentCode: u.parentCode ?? state.get(u.code)?.parentCode ?? null,
        status: 'active',
      })
  }
}
