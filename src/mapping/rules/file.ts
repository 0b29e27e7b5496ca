import {fold} from '../../naming/text.js'
import {LEVEL_NAMES, levelOfCode, UNIT_TYPES_BY_LEVEL} from '../../registry/vocabulary.js'
import type {DocPath} from '../document.js'
import type {Finding, RuleId} from '../findings.js'
import {mailDomainOf, type UnitView} from '../model.js'
import {MAIL_PLACEHOLDERS} from '../schema.js'
import {
  codePath,
  countLevels,
  expectedParentLevel,
  parentPath,
  plural,
  sourcePath,
  unitPath,
  type FileModel,
} from './model.js'

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
