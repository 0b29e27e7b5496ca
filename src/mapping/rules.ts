import {fold, splitUnitName} from '../naming/text.js'
import type {DocPath, MappingDocument} from './document.js'
import type {Finding, RuleId} from './findings.js'
import {mailDomainOf, unitViews, type SourceView, type UnitView} from './model.js'
import {checkSchema, type SchemaResult} from './schema-check.js'
import type {RegistryUnit, RegistryUnits} from '../registry/units.js'
import {MAIL_PLACEHOLDERS, type Mapping} from './schema.js'
import {LEVEL_NAMES, levelOfCode, UNIT_TYPES_BY_LEVEL, type UnitLevel} from '../registry/vocabulary.js'

/** One mapping file as the rules see it: its document (for positions), what parsed, and its units. */
export interface FileModel {
  doc: MappingDocument
  schema: SchemaResult
  mapping: Mapping
  units: UnitView[]
  abolishDistricts: boolean
}

export function buildFileModel(doc: MappingDocument): FileModel {
  const schema = checkSchema(doc)
  return {
    doc,
    schema,
    mapping: schema.mapping,
    units: unitViews(schema.mapping, schema.unitIndex, schema.sourceIndex),
    abolishDistricts: schema.mapping.abolish.includes('district'),
  }
}

/** The registry's units, as the rules check against them (and as each earlier change leaves them). */
export type RegistryState = RegistryUnits

// ---------------------------------------------------------------------------------------------- paths

const unitPath = (u: UnitView): DocPath => ['units', u.index]
const codePath = (u: UnitView): DocPath => ['units', u.index, 'code']
const sourcePath = (u: UnitView, s: SourceView): DocPath =>
  s.index === undefined ? codePath(u) : ['units', u.index, 'from', s.index, 'code']
const parentPath = (u: UnitView): DocPath => (u.parentGiven ? ['units', u.index, 'parent'] : codePath(u))

function at(f: FileModel, path: DocPath): string {
  const {line, column} = f.doc.position(path)
  return `${f.doc.file}:${line}:${column}`
}

/** `file:line:col` when the other place is in another file, `line N` when it is in the same one. */
function ref(from: FileModel, to: FileModel, path: DocPath): string {
  return from === to ? `line ${to.doc.position(path).line}` : at(to, path)
}

const label = (code: string, name?: string): string => (name ? `${code} (${name})` : code)
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

// ---------------------------------------------------------------------------------------------- one file

/** Rules that need only the file itself. */
export function checkFile(f: FileModel): Finding[] {
  const out: Finding[] = []
  const add = (rule: RuleId, path: DocPath, message: string) => out.push(f.doc.finding(rule, path, message))
  const {mapping: m} = f
  const province = m.province

  for (const u of f.units) {
    // Types fit levels.
    const allowed: readonly string[] = UNIT_TYPES_BY_LEVEL[u.level]
    if (!allowed.includes(u.type))
      add(
        'type-level',
        [...unitPath(u), 'type'],
        `${u.code} has ${u.code.length} digits, so it is a ${LEVEL_NAMES[u.level]}, and "${u.type}" is not a ${LEVEL_NAMES[u.level]} type (${allowed.join(', ')})`,
      )
    else if (!u.name.toLowerCase().startsWith(u.type.toLowerCase() + ' '))
      add('name-type', [...unitPath(u), 'name'], `"${u.name}" does not start with its type "${u.type}"`)

    // Sources: same level (a district may become a special zone), no duplicates.
    const seen = new Set<string>()
    for (const s of u.sources) {
      const level = levelOfCode(s.code)
      if (level !== undefined && level !== u.level && !(level === 2 && u.level === 3 && u.type === 'Đặc khu'))
        add(
          'source-level',
          sourcePath(u, s),
          `${s.code} is a ${LEVEL_NAMES[level]} but ${u.code} is a ${LEVEL_NAMES[u.level]}: units merge within their level (only a district may become a special zone, Đặc khu)`,
        )
      if (seen.has(s.code))
        add('duplicate-source', sourcePath(u, s), `${s.code} is listed twice in the \`from\` of ${u.code}`)
      seen.add(s.code)
    }

    // A merged unit normally keeps the code of one of its constituents (a single source under a new code is a recode).
    const sameLevel = u.sources.filter((s) => levelOfCode(s.code) === u.level)
    if (
      u.fromGiven &&
      sameLevel.length > 1 &&
      sameLevel.length === u.sources.length &&
      !u.sources.some((s) => s.code === u.code)
    )
      add(
        'code-not-reused',
        codePath(u),
        `${u.code} is formed from ${u.sources.map((s) => s.code).join(', ')} but reuses none of their codes; a merged unit normally keeps the code of the constituent where its People's Committee sits`,
      )

    checkParent(f, u, add)
  }

  // The province unit agrees with `province`.
  if (province)
    for (const u of f.units.filter((x) => x.level === 1)) {
      if (u.code !== province.code)
        add(
          'province-mismatch',
          codePath(u),
          `this file is about province ${province.code} (province.code) but lists province ${u.code}`,
        )
      else if (fold(u.name) !== fold(province.name))
        add(
          'province-mismatch',
          [...unitPath(u), 'name'],
          `province ${u.code} is "${u.name}" here but "${province.name}" in province.name`,
        )
    }

  if (m.retire.length > 0) {
    const codes = m.retire.map((r) => r.code)
    add(
      'retired-without-successor',
      ['retire'],
      `${plural(codes.length, 'code')} stop existing with no successor given (${codes.slice(0, 6).join(', ')}${codes.length > 6 ? ', …' : ''}): their agencies and accounts will be disabled, not moved`,
    )
  }

  checkPolicies(f, add)
  checkExpectFromFile(f, add)
  return out
}

function checkParent(
  f: FileModel,
  u: UnitView,
  add: (rule: RuleId, path: DocPath, message: string) => void,
): void {
  const province = f.mapping.province?.code
  const parentLevel = u.parentCode === null ? undefined : levelOfCode(u.parentCode)
  if (u.level === 1) {
    if (u.parentGiven) add('parent-level', parentPath(u), `${u.code} is a province: a province has no parent`)
    return
  }
  if (u.level === 2 && f.abolishDistricts) {
    add(
      'abolished-level',
      codePath(u),
      `${u.code} is a district, but this file abolishes districts (abolish: [district])`,
    )
    return
  }
  if (u.parentCode === null) {
    if (f.schema.broken.province) return // reported where `province` is wrong
    if (u.level === 2 || f.abolishDistricts)
      add(
        'parent-required',
        unitPath(u),
        `${u.code} needs a parent: give \`parent\` or the file's \`province\``,
      )
    else
      add(
        'parent-required',
        unitPath(u),
        `${u.code} is a commune and districts still exist here: give \`parent\` (its district's code)`,
      )
    return
  }
  const wanted = expectedParentLevel(f, u)
  if (parentLevel !== wanted)
    add(
      'parent-level',
      parentPath(u),
      u.level === 3 && f.abolishDistricts
        ? `districts are abolished here, so commune ${u.code} sits directly under the province, not under ${u.parentCode}`
        : `the parent of ${LEVEL_NAMES[u.level]} ${u.code} must be a ${LEVEL_NAMES[wanted]} (${wanted === 1 ? 2 : 3} digits), not ${u.parentCode}`,
    )
  else if (wanted === 1 && province && u.parentCode !== province)
    add(
      'province-mismatch',
      parentPath(u),
      `${u.code} is placed under province ${u.parentCode}, but this file is about province ${province}`,
    )
}

function expectedParentLevel(f: FileModel, u: UnitView): UnitLevel {
  return u.level === 3 && !f.abolishDistricts ? 2 : 1
}

function checkPolicies(f: FileModel, add: (rule: RuleId, path: DocPath, message: string) => void): void {
  const {mail, accounts} = f.mapping.policies
  const patternPath = ['policies', 'mail', 'pattern']
  const placeholders = [...mail.pattern.matchAll(/\{([^}]*)\}/g)].map((x) => x[1])
  const unknown = placeholders.filter((p) => !(MAIL_PLACEHOLDERS as readonly string[]).includes(p))
  if (unknown.length > 0)
    add(
      'mail-pattern',
      patternPath,
      `unknown placeholder ${unknown.map((p) => `{${p}}`).join(', ')} in "${mail.pattern}": use ${MAIL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
    )
  else if (!placeholders.includes('unit'))
    add('mail-pattern', patternPath, `"${mail.pattern}" has no {unit}: every unit would get the same address`)
  if (placeholders.includes('district') && f.abolishDistricts)
    add('mail-district', patternPath, `"${mail.pattern}" uses {district}, but this file abolishes districts`)

  if (!mailDomainOf(f.mapping) && !f.schema.broken.province)
    add(
      'mail-domain',
      ['policies', 'mail'],
      'no mail domain: give policies.mail.domain (e.g. ninhbinh.gov.vn) or the province the file is about, whose domain is the default',
    )

  const seen = new Map<string, number>()
  accounts.overrides.forEach((o, i) => {
    const key = `${o.system}\0${o.username}`
    const first = seen.get(key)
    if (first !== undefined)
      add(
        'duplicate-override',
        ['policies', 'accounts', 'overrides', i],
        `${o.system} account "${o.username}" already has an override (overrides[${first}])`,
      )
    else seen.set(key, i)
  })
}

/** A complete file lists every unit after the change, so its own counts must match `expect`. */
function checkExpectFromFile(
  f: FileModel,
  add: (rule: RuleId, path: DocPath, message: string) => void,
): void {
  const {expect, scope} = f.mapping
  if (scope !== 'complete' || f.schema.broken.units || f.schema.broken.expect) return
  const counts = countLevels(f.units.map((u) => u.level))
  for (const key of ['provinces', 'districts', 'communes'] as const) {
    const want = expect[key]
    if (want !== undefined && want !== counts[key])
      add(
        'expect',
        ['expect', key],
        `expect.${key} is ${want} but the file lists ${plural(counts[key], key.slice(0, -1))}`,
      )
  }
}

function countLevels(levels: Iterable<number>): {provinces: number; districts: number; communes: number} {
  const c = {provinces: 0, districts: 0, communes: 0}
  for (const l of levels) {
    if (l === 1) c.provinces++
    else if (l === 2) c.districts++
    else if (l === 3) c.communes++
  }
  return c
}

// ---------------------------------------------------------------------------------------------- a set of files

interface UnitRef {
  f: FileModel
  u: UnitView
}
interface SourceRef extends UnitRef {
  s: SourceView
}

/** What a group of files taking effect on the same date does, across all its files. */
interface GroupIndex {
  unitsByCode: Map<string, UnitRef[]>
  sourcesByCode: Map<string, SourceRef[]>
  retireByCode: Map<string, {f: FileModel; index: number}>
  /** Codes that stop existing: a `from` code that is not a unit after the change, or a `retire` code. */
  retired: Set<string>
}

/** Why a code stops existing, for messages (computed only when a finding needs it). */
function whyRetired(g: GroupIndex, code: string, from: FileModel): string {
  const refs = g.sourcesByCode.get(code)
  if (refs && !g.unitsByCode.has(code))
    return `it is merged into ${refs.map((r) => r.u.code).join(', ')} (${ref(from, refs[0].f, sourcePath(refs[0].u, refs[0].s))})`
  const r = g.retireByCode.get(code)!
  return `it is retired (${ref(from, r.f, ['retire', r.index, 'code'])})`
}

function indexGroup(files: FileModel[]): GroupIndex {
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

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
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

  for (const [code, refs] of g.sourcesByCode) out.push(...checkSourceCode(code, refs, g, tainted(code)))

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

// ---------------------------------------------------------------------------------------------- sequence

/**
 * Validate files as a set: they are taken in order of effective date; files of the same date form one
 * change. Codes retired by an earlier decision are never used again. With a registry, each change is
 * checked against the registry as it would be after the earlier ones.
 */
export function checkSet(files: FileModel[], registry?: RegistryState): Finding[] {
  const out: Finding[] = []
  const dated = files.filter((f) => !f.schema.broken.decision)
  const undated = files.filter((f) => f.schema.broken.decision)

  const decisions = new Map<string, FileModel>()
  for (const f of dated) {
    const d = f.mapping.decision
    const key = `${d.number}\0${f.mapping.province?.code ?? ''}\0${d.effective}`
    const other = decisions.get(key)
    if (other)
      out.push(
        f.doc.finding(
          'duplicate-decision',
          ['decision', 'number'],
          `decision ${d.number} for this province is already stated in ${other.doc.file}`,
        ),
      )
    else decisions.set(key, f)
  }

  const groups = new Map<string, FileModel[]>()
  for (const f of [...dated].sort((a, b) =>
    a.mapping.decision.effective < b.mapping.decision.effective
      ? -1
      : a.mapping.decision.effective > b.mapping.decision.effective
        ? 1
        : 0,
  ))
    push(groups, f.mapping.decision.effective, f)

  const earlier = new Map<string, {f: FileModel; path: DocPath}>()
  const state = registry ? new Map(registry) : undefined
  for (const group of groups.values()) {
    const g = indexGroup(group)
    out.push(...checkGroup(group, state, g))
    out.push(...checkReuse(group, earlier))
    if (state) {
      out.push(...checkRegistry(group, g, state))
      applyGroup(group, g, state)
    }
    for (const code of g.retired) {
      const src = g.sourcesByCode.get(code)?.[0]
      const r = g.retireByCode.get(code)
      if (src) earlier.set(code, {f: src.f, path: sourcePath(src.u, src.s)})
      else if (r) earlier.set(code, {f: r.f, path: ['retire', r.index, 'code']})
    }
  }
  // Files without a valid decision still get the rules that need no date.
  for (const f of undated) out.push(...checkGroup([f], registry))
  return out
}

function checkReuse(group: FileModel[], earlier: Map<string, {f: FileModel; path: DocPath}>): Finding[] {
  const out: Finding[] = []
  for (const f of group)
    for (const u of f.units)
      for (const [code, path] of [
        [u.code, codePath(u)] as const,
        ...u.sources.filter((s) => s.code !== u.code).map((s) => [s.code, sourcePath(u, s)] as const),
      ]) {
        const e = earlier.get(code)
        if (e)
          out.push(
            f.doc.finding(
              'retired-code-reused',
              path,
              `${code} was retired by ${e.f.mapping.decision.number}, effective ${e.f.mapping.decision.effective} (${at(e.f, e.path)}); a retired code is never used again`,
            ),
          )
      }
  return out
}

// ---------------------------------------------------------------------------------------------- registry

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
function checkRegistry(group: FileModel[], g: GroupIndex, state: RegistryState): Finding[] {
  const out: Finding[] = []
  const tainted = (code: string) => group.some((f) => f.schema.taintedCodes.has(code))

  const mustBeActive = (f: FileModel, path: DocPath, code: string, what: string) => {
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

  for (const f of group) {
    for (const u of f.units) {
      for (const s of u.sources) {
        const r = mustBeActive(f, sourcePath(u, s), s.code, u.fromGiven ? 'from code' : 'unit')
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
      mustBeActive(f, ['retire', f.schema.retireIndex[i], 'code'], r.code, 'retired code'),
    )
  }

  // Every active unit of the provinces a complete file covers is said something about.
  const mentioned = (code: string) =>
    g.unitsByCode.has(code) || g.sourcesByCode.has(code) || g.retireByCode.has(code)
  const covered = new Map<string, FileModel>()
  for (const f of group)
    if (f.mapping.scope === 'complete' && !f.schema.broken.units)
      for (const p of constituentProvinces(f)) covered.set(p, f)
  const children = new Map<string, RegistryUnit[]>()
  for (const r of state.values()) if (r.status === 'active' && r.parentCode) push(children, r.parentCode, r)

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
        `active ${LEVEL_NAMES[r.level as UnitLevel]} ${label(r.code, r.name)}${parent ? ` in ${parent.name}` : ''} of province ${province} is not in this complete mapping: say what becomes of it`,
      ),
    )
  }

  // No active unit left under a parent that stops existing.
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

  // A partial file's counts need the registry: the province after the change.
  for (const f of group) {
    const {expect, province} = f.mapping
    if (
      f.mapping.scope !== 'partial' ||
      !province ||
      f.schema.broken.units ||
      f.schema.broken.expect ||
      Object.keys(expect).length === 0
    )
      continue
    const counts = countsAfter(f, g, state)
    for (const key of ['provinces', 'districts', 'communes'] as const) {
      const want = expect[key]
      if (want !== undefined && want !== counts[key])
        out.push(
          f.doc.finding(
            'expect',
            ['expect', key],
            `expect.${key} is ${want} but after this change province ${province.code} has ${plural(counts[key], key.slice(0, -1))} (registry and mapping)`,
          ),
        )
    }
  }
  return out
}

function provincePath(f: FileModel): DocPath {
  const p = f.units.find((u) => u.level === 1)
  return p ? codePath(p) : f.mapping.province ? ['province', 'code'] : []
}

/** Units of the file's province after the change: the registry's, minus what stops existing, plus the file's units. */
function countsAfter(
  f: FileModel,
  g: GroupIndex,
  state: RegistryState,
): {provinces: number; districts: number; communes: number} {
  const target = f.mapping.province!.code
  const provinces = new Set([...constituentProvinces(f), target])
  const after = new Map<string, {level: number; parentCode: string | null}>()
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
  const provinceAfter = (code: string): string | undefined => {
    let cur = after.get(code)
    let c = code
    for (let i = 0; i < 3 && cur; i++) {
      if (cur.level === 1) return c
      c = cur.parentCode ?? ''
      cur = after.get(c)
    }
    return undefined
  }
  return countLevels(
    [...after.keys()].filter((c) => provinceAfter(c) === target).map((c) => after.get(c)!.level),
  )
}

/** The registry as it would be after the group: what later groups are checked against. */
function applyGroup(group: FileModel[], g: GroupIndex, state: RegistryState): void {
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
