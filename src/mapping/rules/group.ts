import {fold} from '../../naming/text.js'
import {levelOfCode} from '../../registry/vocabulary.js'
import type {Finding} from '../findings.js'
import type {SourceView, UnitView} from '../model.js'
import {
  codePath,
  expectedParentLevel,
  label,
  parentPath,
  push,
  ref,
  sourcePath,
  type FileModel,
  type RegistryState,
} from './model.js'
import {pushAll} from '../../collections.js'

export interface UnitRef {
  f: FileModel
  u: UnitView
}
export interface SourceRef extends UnitRef {
  s: SourceView
}

/** What a group of files taking effect on the same date does, across all its files. */
export interface GroupIndex {
  unitsByCode: Map<string, UnitRef[]>
  sourcesByCode: Map<string, SourceRef[]>
  retireByCode: Map<string, {f: FileModel; index: number}>
  /** Codes that stop existing: a `from` code that is not a unit after the change, or a `retire` code. */
  retired: Set<string>
}

/** Why a code stops existing, for messages (computed only when a finding needs it). */
export function whyRetired(g: GroupIndex, code: string, from: FileModel): string {
  const refs = g.sourcesByCode.get(code)
  if (refs && !g.unitsByCode.has(code))
    return `it is merged into ${refs.map((r) => r.u.code).join(', ')} (${ref(from, refs[0].f, sourcePath(refs[0].u, refs[0].s))})`
  const r = g.retireByCode.get(code)!
  return `it is retired (${ref(from, r.f, ['retire', r.index, 'code'])})`
}

export function indexGroup(files: FileModel[]): GroupIndex {
  const unitsByCode = new Map<string, UnitRef[]>()
  const sourcesByCode = new Map<string, SourceRef[]>()
  const retireByCode = new Map<string, {f: FileModel; index: number}>()
  for (const f of files) {
    for (const u of f.units) {
      push(unitsByCode, u.code, {f, u})
      for (const s of u.sources) push(sourcesByCode, s.code, {f, u, s})
    }
    f.mapping.retire.forEach((r, i) => {
      if (!retireByCode.has(r.code)) retireByCode.set(r.code, {f, index: f.schema.retireIndex[i]})
    })
  }
  const retired = new Set<string>()
  for (const code of sourcesByCode.keys()) if (!unitsByCode.has(code)) retired.add(code)
  for (const code of retireByCode.keys()) retired.add(code)
  return {unitsByCode, sourcesByCode, retireByCode, retired}
}

/**
 * Rules across the files that take effect together (one file is a group of one): unique codes, each old
 * code merged once, splits with one default successor, parents that exist after the change.
 */
export function checkGroup(
  files: FileModel[],
  registry?: RegistryState,
  g: GroupIndex = indexGroup(files),
): Finding[] {
  const out: Finding[] = []
  const tainted = (code: string) => files.some((f) => f.schema.taintedCodes.has(code))

  for (const [code, refs] of g.unitsByCode)
    for (const r of refs.slice(1))
      out.push(
        r.f.doc.finding(
          'duplicate-unit',
          codePath(r.u),
          `${code} is already listed as a unit (${ref(r.f, refs[0].f, codePath(refs[0].u))}); codes after the change are unique`,
        ),
      )

  for (const [code, refs] of g.sourcesByCode) pushAll(out, checkSourceCode(code, refs, g, tainted(code)))

  for (const [code, r] of g.retireByCode) {
    const unit = g.unitsByCode.get(code)?.[0]
    const source = g.sourcesByCode.get(code)?.[0]
    const where = unit
      ? `a unit (${ref(r.f, unit.f, codePath(unit.u))})`
      : source
        ? `a \`from\` code (${ref(r.f, source.f, sourcePath(source.u, source.s))})`
        : undefined
    if (where)
      out.push(
        r.f.doc.finding(
          'retire-conflict',
          ['retire', r.index, 'code'],
          `${code} is in \`retire\` but also ${where}`,
        ),
      )
  }

  // Parents exist after the change.
  for (const f of files)
    for (const u of f.units) {
      const p = u.parentCode
      // A parent of the wrong level is reported by checkFile already.
      if (p === null || g.unitsByCode.has(p) || tainted(p) || levelOfCode(p) !== expectedParentLevel(f, u))
        continue
      if (g.retired.has(p)) {
        out.push(
          f.doc.finding(
            'parent-missing',
            parentPath(u),
            `parent ${p} does not exist after the change: ${whyRetired(g, p, f)}`,
          ),
        )
        continue
      }
      if (registry) {
        const r = registry.get(p)
        if (!r)
          out.push(
            f.doc.finding(
              'parent-missing',
              parentPath(u),
              `parent ${p} is neither a unit of this change nor in the registry`,
            ),
          )
        else if (r.status !== 'active')
          out.push(
            f.doc.finding(
              'parent-missing',
              parentPath(u),
              `parent ${label(p, r.name)} is retired in the registry`,
            ),
          )
      } else if (f.mapping.scope === 'complete')
        out.push(
          f.doc.finding(
            'parent-missing',
            parentPath(u),
            `parent ${p} is not listed in this complete mapping (list the province unit ${p})`,
          ),
        )
    }
  return out
}

function checkSourceCode(code: string, refs: SourceRef[], g: GroupIndex, tainted: boolean): Finding[] {
  const out: Finding[] = []
  const own = g.unitsByCode.get(code)?.[0]
  const whole = refs.filter((r) => r.s.share === 'whole')
  const parts = refs.filter((r) => r.s.share === 'part')
  const pos = (r: SourceRef) => sourcePath(r.u, r.s)

  if (whole.length > 0) {
    const owner = whole[0]
    for (const r of refs) {
      if (r === owner || r.u === owner.u) continue
      const where = ref(r.f, owner.f, pos(owner))
      const ownerText =
        owner.u.code === code
          ? `${code} continues as a unit (${where})`
          : `${code} is already merged whole into ${owner.u.code} (${where})`
      out.push(
        r.f.doc.finding(
          'merged-twice',
          pos(r),
          r.s.share === 'whole'
            ? `${ownerText}; it cannot also be merged whole into ${r.u.code}`
            : `${ownerText}; it cannot also be split into ${r.u.code} — if it is split, mark it share: part everywhere`,
        ),
      )
    }
    if (own && owner.u.code !== code)
      out.push(
        own.f.doc.finding(
          'merged-twice',
          codePath(own.u),
          `${code} is listed as a unit but is also merged whole into ${owner.u.code} (${ref(own.f, owner.f, pos(owner))}), which ends it`,
        ),
      )
  } else {
    const defaults = parts.filter((r) => r.s.isDefault)
    const into = parts.map((r) => r.u.code).join(', ')
    if (defaults.length === 0 && !tainted)
      out.push(
        parts[0].f.doc.finding(
          'split-default',
          pos(parts[0]),
          `${code} is split over ${into} but none is its default successor: mark one with default: true`,
        ),
      )
    for (const r of defaults.slice(1))
      out.push(
        r.f.doc.finding(
          'split-default',
          pos(r),
          `${code} already has a default successor, ${defaults[0].u.code} (${ref(r.f, defaults[0].f, pos(defaults[0]))}): keep default: true on one unit only`,
        ),
      )
    if (parts.length === 1 && !tainted)
      out.push(
        parts[0].f.doc.finding(
          'split-single',
          pos(parts[0]),
          `${code} is marked share: part but no other unit receives a part of it`,
        ),
      )
    if (own && defaults.length > 0 && defaults[0].u.code !== code)
      out.push(
        defaults[0].f.doc.finding(
          'split-survivor',
          pos(defaults[0]),
          `${code} survives as a unit (${ref(defaults[0].f, own.f, codePath(own.u))}), so it stays the default successor of its own agencies: move default: true to unit ${code}`,
        ),
      )
  }

  // The same code under two names is usually a typo in one of them.
  const named = refs.filter((r) => r.s.name)
  const first = named[0]
  for (const r of named.slice(1))
    if (fold(r.s.name!) !== fold(first.s.name!))
      out.push(
        r.f.doc.finding(
          'source-name-conflict',
          pos(r),
          `${code} is "${r.s.name}" here but "${first.s.name}" at ${ref(r.f, first.f, pos(first))}: one of the two is likely a wrong code`,
        ),
      )
  return out
}
