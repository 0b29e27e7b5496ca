import {addressCandidates, bodyShort, expandAddressPattern} from '../naming/addresses.js'
import {
  formatIdentifierCode,
  LEVEL_NUMBERS,
  parseIdentifierCode,
  type IdentifierCode,
} from '../naming/identifier-codes.js'
import {unitSlug} from '../naming/text.js'
import {usernameCandidates} from '../naming/usernames.js'
import type {AccountAction, PlanMapping} from './input.js'
import type {AccountRec, AgencyRec, MailboxRec, Snapshot, UnitRec} from './snapshot.js'
import type {Operation, PlanUnitSummary, Row} from './types.js'

/** Lookups the planner wants answered before it can allocate names (phase two of the snapshot). */
export interface Candidates {
  usernames: Array<[string, string]>
  addresses: string[]
}

export interface MappingPlanPart {
  operations: Operation[]
  units: PlanUnitSummary[]
  warnings: string[]
  /** Problems that make the plan impossible (expect counts, no level-1 code…). */
  errors: string[]
  candidates: Candidates
  /** Accounts disabled (newUsername null) or recreated: their personal mailboxes follow them. */
  mailboxOwners: MailboxOwner[]
}

export interface MailboxOwner {
  system: string
  username: string
  newUsername: string | null
  unit: string
}

/**
 * The personal mailboxes of disabled accounts are suspended; those of recreated accounts pass to the
 * new account. Pure, run once phase two has read the mailboxes of `owners`.
 */
export function personalMailboxOps(owners: MailboxOwner[], mailboxes: MailboxRec[]): Operation[] {
  const byOwner = new Map(owners.map((o) => [`${o.system}/${o.username}`, o]))
  const ops: Operation[] = []
  for (const m of mailboxes) {
    const owner = byOwner.get(`${m.owner_system}/${m.owner_username}`)
    if (!owner || m.kind !== 'personal' || m.status !== 'active') continue
    if (owner.newUsername)
      ops.push({
        op: 'mailbox.update',
        key: {address: m.address},
        unit: owner.unit,
        before: {owner_username: owner.username},
        after: {owner_username: owner.newUsername},
      })
    else
      ops.push({
        op: 'mailbox.suspend',
        key: {address: m.address},
        unit: owner.unit,
        before: {status: 'active'},
        after: {status: 'suspended'},
        note: 'owner account disabled',
      })
  }
  return ops
}

/** Agency numbers of an identifier code (001…998), tried in order after the agency's own. */
const AGENCY_NUMBERS = Array.from({length: 998}, (_, i) => String(i + 1).padStart(3, '0'))

const addMonths = (isoDate: string, months: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() + months)
  return d.toISOString().slice(0, 10)
}

interface AgencyAfter {
  id: string
  unit: string
  kind: string
  name: string
  parent_id: string | null
  identifier_code: string | null
  /** The agency it is created from (for a new unit), or itself. */
  template: AgencyRec | null
  created: boolean
}

/**
 * Compute every change one mapping implies for the registry rows in `snapshot`. Pure: no I/O, and the
 * same inputs give the same operations in the same order. Run it once with `snapshot.taken*` empty to
 * collect the candidate names to look up, then again with the answers.
 */
export function buildMappingPlan(
  mapping: PlanMapping,
  snapshot: Snapshot,
  opts: {ignoreExpect?: boolean} = {},
): MappingPlanPart {
  const ops: Operation[] = []
  const warnings: string[] = []
  const errors: string[] = []
  const candidates: Candidates = {usernames: [], addresses: []}
  const effective = mapping.decision.effective
  const reason = `${mapping.decision.number} (in force ${effective})`

  // ---------------------------------------------------------------- units
  const unitsBefore = new Map(snapshot.units.map((u) => [u.code, u]))
  const activeBefore = (code: string) => unitsBefore.get(code)?.status === 'active'
  const unitsAfter = new Map<string, UnitRec>()
  for (const u of snapshot.units) if (u.status === 'active') unitsAfter.set(u.code, {...u})
  const T = mapping.province?.code ?? null
  const ownerOf = new Map<string, string>() // op grouping: old or new code → new unit it belongs to
  const successorUnit = new Map<string, {code: string; isDefault: boolean}[]>()
  const formed = new Set<string>() // level-2/3 units whose agencies, codes and mail are recomputed

  const entries = [...mapping.units].sort((a, b) => a.code.localeCompare(b.code))
  const entryCodes = new Set(entries.map((e) => e.code))
  for (const e of entries) {
    const before = unitsBefore.get(e.code)
    const parent =
      e.parentCode ?? (mapping.abolishDistricts && e.level === 3 ? T : (before?.parent_code ?? null))
    ownerOf.set(e.code, e.code)
    for (const s of e.sources)
      if (s.share === 'whole' || s.isDefault) ownerOf.set(s.code, ownerOf.get(s.code) ?? e.code)
    if (e.level > 1) formed.add(e.code)
    if (before && before.status === 'retired') {
      errors.push(`unit ${e.code} (${e.name}) was retired; a retired code is never used again`)
      continue
    }
    const after: UnitRec = {
      code: e.code,
      name: e.name,
      type: e.type,
      level: e.level,
      parent_code: parent,
      status: 'active',
    }
    unitsAfter.set(e.code, after)
    if (!before) {
      ops.push({
        op: 'unit.create',
        key: {code: e.code},
        unit: e.code,
        after: {name: e.name, type: e.type, level: e.level, parent_code: parent, valid_from: effective},
      })
      continue
    }
    const changed = diff(before as unknown as Row, after as unknown as Row, ['name', 'type', 'parent_code'])
    if (changed)
      ops.push({
        op: 'unit.update',
        key: {code: e.code},
        unit: e.code,
        before: changed.before,
        after: {...changed.after, history_valid_to: effective},
      })
  }

  const retire = (code: string, successors: {code: string; isDefault: boolean}[], note?: string) => {
    if (!activeBefore(code) || entryCodes.has(code) || successorUnit.has(code)) return
    successorUnit.set(code, successors)
    unitsAfter.delete(code)
    const def = successors.find((s) => s.isDefault) ?? successors[0]
    const owner = ownerOf.get(code) ?? def?.code ?? code
    ownerOf.set(code, owner)
    ops.push({
      op: 'unit.retire',
      key: {code},
      unit: owner,
      before: {status: 'active', valid_to: null},
      after: {
        status: 'retired',
        valid_to: effective,
        successors: successors.map((s) => s.code).join(' '),
        default_successor: def?.code ?? null,
      },
      ...(note ? {note} : {}),
    })
  }
  const mentioned = new Set<string>()
  for (const e of entries) for (const s of e.sources) mentioned.add(s.code)
  for (const r of mapping.retired) {
    mentioned.add(r.code)
    if (!unitsBefore.has(r.code))
      warnings.push(`retired code ${r.code} is not in the registry; nothing to retire`)
    const succ = [...r.successors].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    if (succ.length === 0)
      warnings.push(`unit ${r.code} is retired without a successor: its agencies and accounts are disabled`)
    retire(r.code, succ)
  }
  for (const code of mentioned)
    if (!unitsBefore.has(code) && !entryCodes.has(code))
      warnings.push(`the mapping names ${code}, which is not in the registry`)
  if (mapping.abolishDistricts && T) {
    const provinces = new Set(
      snapshot.units
        .filter((u) => u.level === 1 && (u.code === T || ownerOf.get(u.code) === T))
        .map((u) => u.code),
    )
    for (const u of snapshot.units)
      if (u.level === 2 && u.parent_code && provinces.has(u.parent_code))
        retire(u.code, [{code: T, isDefault: true}], 'the district level is abolished')
  }
  // Units the mapping does not name but whose parent goes away move to the parent's successor.
  for (const u of [...unitsAfter.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    if (!u.parent_code || unitsAfter.has(u.parent_code)) continue
    const succ = successorUnit.get(u.parent_code)
    const to = mapping.abolishDistricts && u.level === 3 && T ? T : succ?.[0]?.code
    if (!to) {
      errors.push(`unit ${u.code} (${u.name}) would be left under retired ${u.parent_code}`)
      continue
    }
    warnings.push(
      `${u.code} ${u.name} is not in the mapping; it stays and moves from ${u.parent_code} to ${to}`,
    )
    const before = u.parent_code
    u.parent_code = to
    formed.add(u.code)
    ownerOf.set(u.code, u.code)
    ops.push({
      op: 'unit.update',
      key: {code: u.code},
      unit: u.code,
      before: {parent_code: before},
      after: {parent_code: to, history_valid_to: effective},
      note: 'not in the mapping; parent retired',
    })
  }
  const expectProblems: string[] = []
  checkExpect(mapping, unitsAfter, T, expectProblems)
  if (opts.ignoreExpect) warnings.push(...expectProblems)
  // Say which units make the counts differ: usually units the registry has and the mapping does not name.
  else if (expectProblems.length > 0)
    errors.push(...expectProblems, ...warnings.filter((w) => w.includes('is not in the mapping')))

  // ---------------------------------------------------------------- agencies
  const agenciesBefore = new Map(snapshot.agencies.map((a) => [a.id, a]))
  const activeAgencies = snapshot.agencies.filter((a) => a.status === 'active')
  const byUnit = groupBy(activeAgencies, (a) => a.unit_code)
  const agencyAfter = new Map<string, AgencyAfter>() // active after the plan, in formed units and T
  const agencySuccessor = new Map<string, string | null>() // retiring agency → where its accounts go
  const renameAgency = (name: string, oldUnit: UnitRec | undefined, newUnit: UnitRec) =>
    oldUnit && name.endsWith(oldUnit.name)
      ? name.slice(0, name.length - oldUnit.name.length) + newUnit.name
      : name

  for (const code of [...formed].sort()) {
    const unit = unitsAfter.get(code)
    if (!unit) continue
    const entry = entries.find((e) => e.code === code)
    const sources = entry
      ? [...entry.sources].filter((s) => s.share === 'whole' || s.isDefault)
      : [{code, share: 'whole' as const, isDefault: true}]
    // The constituent the new unit is made from: itself when it keeps its code, else the default source.
    const order = [
      code,
      ...sources.filter((s) => s.isDefault).map((s) => s.code),
      ...sources.map((s) => s.code).sort(),
    ]
    const kinds = new Set<string>()
    for (const s of order) for (const a of byUnit.get(s) ?? []) kinds.add(a.kind)
    for (const kind of [...kinds].sort()) {
      const id = `${code}.${kind}`
      const existing = agenciesBefore.get(id)
      if (existing && existing.status !== 'active') {
        errors.push(`agency ${id} was retired and cannot come back`)
        continue
      }
      const template =
        existing ??
        order.map((s) => agenciesBefore.get(`${s}.${kind}`)).find((a) => a && a.status === 'active') ??
        null
      const oldUnit = template ? unitsBefore.get(template.unit_code) : undefined
      agencyAfter.set(id, {
        id,
        unit: code,
        kind,
        name: template ? renameAgency(template.name, oldUnit, unit) : `${kind} ${unit.name}`,
        parent_id: existing?.parent_id ?? template?.parent_id ?? null,
        identifier_code: existing?.identifier_code ?? null,
        template,
        created: !existing,
      })
    }
  }
  // Province agencies stay (T) or retire into T's agency of the same kind.
  if (T)
    for (const a of byUnit.get(T) ?? [])
      agencyAfter.set(a.id, {
        id: a.id,
        unit: T,
        kind: a.kind,
        name: a.name,
        parent_id: a.parent_id,
        identifier_code: a.identifier_code,
        template: a,
        created: false,
      })
  for (const a of activeAgencies) {
    if (agencyAfter.has(a.id) || unitsAfter.has(a.unit_code)) continue
    const target = unitTarget(a.unit_code, successorUnit)
    let to: string | null = null
    if (target)
      to = agencyAfter.has(`${target}.${a.kind}`)
        ? `${target}.${a.kind}`
        : agencyAfter.has(`${target}.ubnd`)
          ? `${target}.ubnd`
          : null
    agencySuccessor.set(a.id, to)
  }
  // Parents: an agency whose parent retires points at the parent's successor.
  const resolveAgency = (id: string | null): string | null => {
    let cur = id
    for (let i = 0; cur && agencySuccessor.has(cur) && i < 10; i++) cur = agencySuccessor.get(cur) ?? null
    return cur
  }
  for (const a of agencyAfter.values()) {
    const unit = unitsAfter.get(a.unit)
    if (a.kind === 'ubnd' && unit?.parent_code) {
      const parentUbnd = `${unit.parent_code}.ubnd`
      if (
        agencyAfter.has(parentUbnd) ||
        (agenciesBefore.get(parentUbnd)?.status === 'active' && !agencySuccessor.has(parentUbnd))
      )
        a.parent_id = parentUbnd
      else a.parent_id = resolveAgency(a.parent_id)
    } else if (a.created && a.kind !== 'ubnd')
      a.parent_id = agencyAfter.has(`${a.unit}.ubnd`) ? `${a.unit}.ubnd` : resolveAgency(a.parent_id)
    else a.parent_id = resolveAgency(a.parent_id)
  }

  // ---------------------------------------------------------------- identifier codes
  const level1 = level1Code(mapping, snapshot, T)
  const everIssued = new Set(snapshot.codes.map((c) => c.code))
  const allocated = new Set<string>()
  const usedTail = new Set<string>() // `.Z.Y.L` pairs taken by any code ever issued or allocated
  for (const c of everIssued) usedTail.add(c.slice(3))
  const usedBlocks = new Set<string>() // level-2 numbers with a level-2 code under L (departments, districts)
  for (const c of everIssued) {
    const p = parseIdentifierCode(c)
    if (p && p.m === level1) usedBlocks.add(p.y)
  }
  const wantsCodes = [...agencyAfter.values()].some(
    (a) => a.unit !== T && (a.template?.identifier_code ?? a.identifier_code),
  )
  if (!level1 && wantsCodes)
    errors.push(
      `no level-1 identifier code for province ${T ?? '?'}: the registry has no People's Committee ${T}.ubnd with a code to inherit; set policies.identifierCodes.level1 (e.g. H40) in the mapping`,
    )
  if (level1) {
    const codeOf = (id: string) => agencyAfter.get(id)?.identifier_code ?? null
    const needsCode = (a: AgencyAfter) => !!(a.template?.identifier_code ?? a.identifier_code)
    const formedAgencies = [...agencyAfter.values()]
      .filter((a) => a.unit !== T)
      .sort(
        (x, y) =>
          cmp(x.unit, y.unit) || cmp(x.kind === 'ubnd' ? '' : x.kind, y.kind === 'ubnd' ? '' : y.kind),
      )
    let blockCursor = 0
    let zCursor = 0
    const nextFreshPair = (): {y: string; z: string} | null => {
      // Communes directly under the province: fresh level-2 blocks never used under L, filled 01..99.
      for (; blockCursor < LEVEL_NUMBERS.length; blockCursor++, zCursor = 0) {
        const y = LEVEL_NUMBERS[blockCursor]
        if (usedBlocks.has(y)) continue
        for (; zCursor < LEVEL_NUMBERS.length; zCursor++) {
          const z = LEVEL_NUMBERS[zCursor]
          if (!usedTail.has(`.${z}.${y}.${level1}`)) {
            zCursor++
            return {y, z}
          }
        }
      }
      return null
    }
    for (const a of formedAgencies) {
      if (!needsCode(a)) continue
      const unit = unitsAfter.get(a.unit)!
      const current = parseIdentifierCode(a.identifier_code)
      let wanted: IdentifierCode
      if (a.kind === 'ubnd') {
        if (unit.level === 3) {
          const parentCode =
            unit.parent_code && unit.parent_code.length === 3
              ? parseIdentifierCode(codeOf(`${unit.parent_code}.ubnd`))
              : null
          const valid =
            current &&
            current.m === level1 &&
            current.v === '000' &&
            current.z !== '00' &&
            (!parentCode || current.y === parentCode.y)
          if (valid) continue
          // Under a district: the next number never used under it; under the province: a fresh block.
          const z = parentCode && LEVEL_NUMBERS.find((n) => !usedTail.has(`.${n}.${parentCode.y}.${level1}`))
          const pair = parentCode ? (z ? {y: parentCode.y, z} : null) : nextFreshPair()
          if (!pair) {
            errors.push(`no free identifier code left for ${a.id} under ${level1}`)
            continue
          }
          wanted = {v: '000', z: pair.z, y: pair.y, m: level1}
        } else {
          if (current && current.m === level1) continue
          errors.push(
            `${a.id}: a district agency needs a new identifier code under ${level1}; give it in the registry first`,
          )
          continue
        }
      } else {
        const ubnd = parseIdentifierCode(codeOf(`${a.unit}.ubnd`))
        if (!ubnd) continue
        if (current && current.z === ubnd.z && current.y === ubnd.y && current.m === ubnd.m) continue
        const v0 = current?.v ?? parseIdentifierCode(a.template?.identifier_code)?.v ?? '001'
        const free = (cand: string) => {
          const code = formatIdentifierCode({v: cand, z: ubnd.z, y: ubnd.y, m: ubnd.m})
          return !everIssued.has(code) && !allocated.has(code)
        }
        const v = free(v0) ? v0 : AGENCY_NUMBERS.find(free)
        if (!v) continue
        wanted = {v, z: ubnd.z, y: ubnd.y, m: ubnd.m}
      }
      const code = formatIdentifierCode(wanted)
      allocated.add(code)
      usedTail.add(code.slice(3))
      a.identifier_code = code
    }
  }

  // ---------------------------------------------------------------- mail addresses of agencies
  const mailboxesBefore = new Map(snapshot.mailboxes.map((m) => [m.address, m]))
  const officialOf = new Map<string, MailboxRec>()
  for (const m of snapshot.mailboxes)
    if (
      m.kind === 'official' &&
      m.status === 'active' &&
      m.owner_agency_id &&
      !officialOf.has(m.owner_agency_id)
    )
      officialOf.set(m.owner_agency_id, m)
  const taken = new Set(snapshot.takenAddresses)
  const addressAfter = new Map<string, string>() // agency → official address after
  const newMailboxes: Array<{agency: AgencyAfter; address: string; replaces: MailboxRec | null}> = []
  const {pattern, domain} = mapping.policies.mail
  const province = T ? unitsAfter.get(T) : undefined
  for (const a of [...agencyAfter.values()].sort((x, y) => cmp(x.unit, y.unit) || cmp(x.kind, y.kind))) {
    const current = officialOf.get(a.id) ?? null
    const template = a.template ? officialOf.get(a.template.id) : undefined
    if (a.unit === T || (!current && !template)) {
      if (current) addressAfter.set(a.id, current.address)
      continue
    }
    const unit = unitsAfter.get(a.unit)!
    const district =
      unit.parent_code && unit.parent_code.length === 3 ? unitsAfter.get(unit.parent_code) : undefined
    const local = expandAddressPattern(pattern, {
      body: bodyShort(a.kind),
      unit: unitSlug(unit.name),
      district: district ? unitSlug(district.name) : undefined,
      province: province ? unitSlug(province.name) : '',
    })
    // An address already made by this pattern (with or without a collision number) stays.
    const cands = addressCandidates(local, domain)
    if (current && cands.includes(current.address)) {
      addressAfter.set(a.id, current.address)
      continue
    }
    candidates.addresses.push(...cands)
    const address = cands.find((c) => !taken.has(c) && !mailboxesBefore.has(c))
    if (!address) {
      errors.push(`no free address for ${a.id} among ${cands[0]}…${cands.at(-1)}`)
      continue
    }
    taken.add(address)
    addressAfter.set(a.id, address)
    newMailboxes.push({agency: a, address, replaces: current})
  }

  // ---------------------------------------------------------------- agency operations
  const unitOf = (id: string) =>
    ownerOf.get(agencyAfter.get(id)?.unit ?? agenciesBefore.get(id)?.unit_code ?? '') ??
    agencyAfter.get(id)?.unit ??
    '-'
  for (const a of [...agencyAfter.values()].sort((x, y) => cmp(x.id, y.id))) {
    if (a.created) {
      ops.push({
        op: 'agency.create',
        key: {id: a.id},
        unit: a.unit,
        after: {
          unit_code: a.unit,
          kind: a.kind,
          name: a.name,
          identifier_code: a.identifier_code,
          parent_id: a.parent_id,
          status: 'active',
        },
        note: a.template ? `from ${a.template.id}` : undefined,
      })
      continue
    }
    const before = agenciesBefore.get(a.id)!
    const changed = diff(before as unknown as Row, a as unknown as Row, [
      'name',
      'identifier_code',
      'parent_id',
    ])
    if (changed) ops.push({op: 'agency.update', key: {id: a.id}, unit: unitOf(a.id), ...changed})
  }
  for (const [id, to] of [...agencySuccessor].sort((x, y) => cmp(x[0], y[0]))) {
    ops.push({
      op: 'agency.retire',
      key: {id},
      unit: unitOf(to ?? id),
      before: {status: 'active', successor_id: null},
      after: {status: 'retired', successor_id: to},
    })
  }

  // ---------------------------------------------------------------- identifier codes and endpoints
  const codeRecs = new Map(snapshot.codes.map((c) => [c.code, c]))
  const endpointsByAgency = groupBy(
    snapshot.endpoints.filter((e) => e.status === 'registered'),
    (e) => e.agency_id,
  )
  const agencyCodeAfter = (id: string | null) => (id ? (agencyAfter.get(id)?.identifier_code ?? null) : null)
  const stopCode = (code: string | null, agencyId: string) => {
    if (!code || codeRecs.get(code)?.status !== 'issued') return
    ops.push({
      op: 'code.stop',
      key: {code},
      unit: unitOf(agencyId),
      before: {status: 'issued', stopped_on: null},
      after: {status: 'stopped', stopped_on: effective},
    })
  }
  for (const [id] of [...agencySuccessor].sort((x, y) => cmp(x[0], y[0]))) {
    stopCode(agenciesBefore.get(id)!.identifier_code, id)
    for (const e of endpointsByAgency.get(id) ?? [])
      ops.push({
        op: 'endpoint.unregister',
        key: {axis: e.axis, agency_code: e.agency_code},
        unit: unitOf(id),
        before: {status: 'registered'},
        after: {status: 'unregistered'},
      })
  }
  for (const a of [...agencyAfter.values()].sort((x, y) => cmp(x.id, y.id))) {
    const before = agenciesBefore.get(a.id)
    const oldCode = a.created ? null : (before?.identifier_code ?? null)
    const registered = endpointsByAgency.get(a.id) ?? []
    const axes =
      registered.length > 0
        ? registered.map((e) => e.axis)
        : a.template
          ? (endpointsByAgency.get(a.template.id) ?? []).map((e) => e.axis)
          : []
    const endpointAfter: Row = {
      parent_code: agencyCodeAfter(a.parent_id),
      agency_id: a.id,
      name: a.name,
      mail: addressAfter.get(a.id) ?? null,
    }
    if (a.identifier_code !== oldCode) {
      stopCode(oldCode, a.id)
      for (const e of registered)
        ops.push({
          op: 'endpoint.unregister',
          key: {axis: e.axis, agency_code: e.agency_code},
          unit: unitOf(a.id),
          before: {status: 'registered'},
          after: {status: 'unregistered'},
        })
      if (a.identifier_code) {
        ops.push({
          op: 'code.issue',
          key: {code: a.identifier_code},
          unit: unitOf(a.id),
          after: {agency_id: a.id, status: 'issued', issued_on: effective},
        })
        for (const axis of [...new Set(axes.length > 0 ? axes : ['provincial', 'national'])].sort())
          ops.push({
            op: 'endpoint.register',
            key: {axis, agency_code: a.identifier_code},
            unit: unitOf(a.id),
            after: {...endpointAfter, status: 'registered'},
          })
      }
      continue
    }
    for (const e of registered) {
      const changed = diff(e as unknown as Row, endpointAfter, ['parent_code', 'name', 'mail'])
      if (changed)
        ops.push({
          op: 'endpoint.update',
          key: {axis: e.axis, agency_code: e.agency_code},
          unit: unitOf(a.id),
          ...changed,
        })
    }
  }

  // ---------------------------------------------------------------- accounts
  const policy = mapping.policies.accounts
  const overrides = new Map((policy.overrides ?? []).map((o) => [`${o.system}/${o.username}`, o.action]))
  const actionFor = (acc: AccountRec): AccountAction =>
    (overrides.size > 0 ? overrides.get(`${acc.system}/${acc.username}`) : undefined) ??
    policy.systems?.[acc.system]?.roles?.[acc.role] ??
    policy.systems?.[acc.system]?.default ??
    policy.default
  const takenUsernames = new Set(snapshot.takenUsernames)
  // Usernames in the snapshot by system (only a recreate asks), without a key string per account.
  let usernamesBefore: Map<string, Set<string>> | null = null
  const existedBefore = (system: string, username: string): boolean => {
    if (!usernamesBefore) {
      usernamesBefore = new Map()
      for (const a of snapshot.accounts) {
        let names = usernamesBefore.get(a.system)
        if (!names) usernamesBefore.set(a.system, (names = new Set()))
        names.add(a.username)
      }
    }
    return usernamesBefore.get(system)?.has(username) ?? false
  }
  const single = new Set(policy.singleHolderRoles)
  // Who holds each single-holder role at each agency after the plan, with the rule deciding ties.
  interface Holder {
    acc: AccountRec
    action: AccountAction | 'keep'
    target: string
  }
  // Where each agency's accounts go: decided once per agency rather than once per account.
  const accountTargets = new Map<string, {retiring: boolean; target: string | null}>()
  const accountTarget = (agencyId: string) => {
    let t = accountTargets.get(agencyId)
    if (!t) {
      const retiring = agencySuccessor.has(agencyId)
      accountTargets.set(agencyId, (t = {retiring, target: retiring ? resolveAgency(agencyId) : agencyId}))
    }
    return t
  }
  const unitsOf = new Map<string, string>()
  const cachedUnitOf = (agencyId: string) => {
    let unit = unitsOf.get(agencyId)
    if (unit === undefined) unitsOf.set(agencyId, (unit = unitOf(agencyId)))
    return unit
  }
  const holders = new Map<string, Holder[]>()
  const moves: Holder[] = []
  for (const acc of snapshot.accounts) {
    const {retiring, target} = accountTarget(acc.agency_id)
    const action: AccountAction | 'keep' = retiring ? (target ? actionFor(acc) : 'disable') : 'keep'
    if (action === 'keep' && !single.has(acc.role)) continue
    const h: Holder = {acc, action, target: target ?? acc.agency_id}
    if (action !== 'keep') moves.push(h)
    if (single.has(acc.role) && action !== 'disable') {
      const k = `${h.target}|${acc.system}|${acc.role}`
      const list = holders.get(k)
      if (list) list.push(h)
      else holders.set(k, [h])
    }
  }
  const losers = new Map<AccountRec, string>() // account → who keeps the role
  for (const [k, hs] of [...holders].sort((x, y) => cmp(x[0], y[0]))) {
    if (hs.length < 2) continue
    const [target] = k.split('|')
    const targetUnit = agencyAfter.get(target)?.unit ?? ''
    const rank = (h: Holder) =>
      policy.conflict === 'keep-first-username'
        ? h.acc.username
        : `${h.acc.agency_id === target ? 0 : agenciesBefore.get(h.acc.agency_id)?.unit_code === targetUnit ? 1 : 2}|${agenciesBefore.get(h.acc.agency_id)?.unit_code}|${h.acc.username}`
    const sorted = [...hs].sort((x, y) => cmp(rank(x), rank(y)))
    const explicit = sorted.filter(
      (h) => overrides.has(`${h.acc.system}/${h.acc.username}`) && h.action !== 'disable',
    )
    const keeper = explicit[0] ?? sorted[0]
    for (const h of sorted) if (h !== keeper) losers.set(h.acc, keeper.acc.username)
  }
  const recreatedAs = new Map<string, string>()
  const disabledAccounts = new Map<string, AccountRec>()
  const accountOps: Operation[] = []
  const disable = (acc: AccountRec, unit: string, why: string, successor: string | null, note?: string) => {
    disabledAccounts.set(`${acc.system}/${acc.username}`, acc)
    accountOps.push({
      op: 'account.disable',
      key: {system: acc.system, username: acc.username},
      unit,
      before: {status: 'active', reason: acc.reason, successor_username: null},
      after: {status: 'disabled', reason: why, successor_username: successor},
      ...(note ? {note} : {}),
    })
  }
  // A million accounts move to a few thousand agencies: their before/after values are shared.
  const agencyValues = new Map<string, Row>()
  const agencyValue = (id: string): Row => {
    let v = agencyValues.get(id)
    if (!v) agencyValues.set(id, (v = {agency_id: id}))
    return v
  }
  const stay: Holder[] = []
  // Losers whose agency stays (in no particular order: sorted with the moves below).
  for (const acc of losers.keys())
    if (!agencySuccessor.has(acc.agency_id)) stay.push({acc, action: 'keep', target: acc.agency_id})
  for (const h of [...moves, ...stay].sort(
    (x, y) => cmp(x.acc.system, y.acc.system) || cmp(x.acc.username, y.acc.username),
  )) {
    const {acc} = h
    const unit = cachedUnitOf(h.target)
    const loser = losers.get(acc)
    if (loser !== undefined || h.action === 'disable' || h.action === 'keep') {
      disable(
        acc,
        unit,
        loser !== undefined
          ? `${reason}: role ${acc.role} at ${h.target} kept by ${loser}`
          : `${reason}: ${acc.agency_id} retired`,
        null,
        loser !== undefined ? `single-holder role ${acc.role}` : undefined,
      )
      continue
    }
    if (h.action === 'reassign') {
      accountOps.push({
        op: 'account.reassign',
        key: {system: acc.system, username: acc.username},
        unit,
        before: agencyValue(acc.agency_id),
        after: agencyValue(h.target),
      })
      continue
    }
    // recreate: a new account in the successor, the old one disabled and linked to it
    const newUnit = agencyAfter.get(h.target)?.unit ?? h.target.split('.')[0]
    const cands = usernameCandidates(acc.username, newUnit)
    for (const c of cands) candidates.usernames.push([acc.system, c])
    const username = cands.find(
      (c) => !takenUsernames.has(`${acc.system}/${c}`) && !existedBefore(acc.system, c),
    )
    const k = `${acc.system}/${acc.username}`
    if (!username) {
      errors.push(`no free username for ${k} in ${newUnit}`)
      continue
    }
    takenUsernames.add(`${acc.system}/${username}`)
    recreatedAs.set(k, username)
    accountOps.push({
      op: 'account.create',
      key: {system: acc.system, username},
      unit,
      after: {
        holder: acc.holder,
        agency_id: h.target,
        role: acc.role,
        status: 'active',
        reason: null,
        successor_username: null,
      },
      note: `recreated from ${acc.username}`,
    })
    disable(acc, unit, `${reason}: recreated as ${username}`, username)
  }
  for (const op of accountOps) ops.push(op)

  // ---------------------------------------------------------------- mailboxes
  const aliasMonths = mapping.policies.mail.aliasMonths
  const aliasUntil = addMonths(effective, aliasMonths)
  const aliases: Array<{alias: string; to: string; unit: string}> = []
  for (const {agency, address, replaces} of newMailboxes) {
    ops.push({
      op: 'mailbox.create',
      key: {address},
      unit: unitOf(agency.id),
      after: {
        display_name: agency.name,
        kind: 'official',
        owner_agency_id: agency.id,
        owner_system: null,
        owner_username: null,
        status: 'active',
      },
    })
    if (replaces) {
      ops.push({
        op: 'mailbox.suspend',
        key: {address: replaces.address},
        unit: unitOf(agency.id),
        before: {status: 'active'},
        after: {status: 'suspended'},
      })
      if (mapping.policies.mail.oldAddresses === 'alias')
        aliases.push({alias: replaces.address, to: address, unit: unitOf(agency.id)})
    }
  }
  for (const [id, to] of [...agencySuccessor].sort((x, y) => cmp(x[0], y[0]))) {
    const box = officialOf.get(id)
    if (!box) continue
    ops.push({
      op: 'mailbox.suspend',
      key: {address: box.address},
      unit: unitOf(to ?? id),
      before: {status: 'active'},
      after: {status: 'suspended'},
    })
    const successorAddress = to ? (addressAfter.get(to) ?? officialOf.get(to)?.address) : undefined
    if (successorAddress && mapping.policies.mail.oldAddresses === 'alias')
      aliases.push({alias: box.address, to: successorAddress, unit: unitOf(to!)})
  }
  const existingAliases = new Set(snapshot.aliases.map((a) => a.alias))
  for (const a of aliases.sort((x, y) => cmp(x.alias, y.alias))) {
    if (existingAliases.has(a.alias)) continue
    ops.push({
      op: 'alias.create',
      key: {alias: a.alias},
      unit: a.unit,
      after: {mailbox_address: a.to, valid_until: aliasUntil},
    })
  }
  // Personal mailboxes of the accounts disabled or recreated follow them (read in phase two).
  const mailboxOwners: MailboxOwner[] = [...disabledAccounts.keys()].sort().map((k) => {
    const [system, username] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)]
    const acc = disabledAccounts.get(k)!
    return {
      system,
      username,
      newUsername: recreatedAs.get(k) ?? null,
      unit: unitOf(resolveAgency(acc.agency_id) ?? acc.agency_id),
    }
  })

  return {
    operations: ops,
    units: unitSummaries(entries, unitsBefore, ops),
    warnings,
    errors,
    candidates,
    mailboxOwners,
  }
}

/** Where a retired unit's rows go: its default successor, followed through chains (district → province). */
function unitTarget(
  code: string,
  successors: Map<string, {code: string; isDefault: boolean}[]>,
): string | null {
  let cur: string | null = code
  for (let i = 0; cur && successors.has(cur) && i < 5; i++) {
    const s: {code: string; isDefault: boolean}[] = successors.get(cur)!
    cur = (s.find((x) => x.isDefault) ?? s[0])?.code ?? null
  }
  return cur
}

/** The level-1 code new identifier codes go under: the policy's, or the one the province already has. */
function level1Code(mapping: PlanMapping, snapshot: Snapshot, T: string | null): string | null {
  const wanted = mapping.policies.identifierCodes.level1
  if (wanted && wanted !== 'inherit') return wanted
  const ubnd = T ? snapshot.agencies.find((a) => a.id === `${T}.ubnd` && a.status === 'active') : undefined
  return parseIdentifierCode(ubnd?.identifier_code)?.m ?? null
}

/** Level-1 codes whose issued codes the snapshot must read (for allocation without reuse). */
export function level1CodesFor(mapping: PlanMapping): (agencies: AgencyRec[]) => string[] {
  return (agencies) => {
    const T = mapping.province?.code ?? null
    const codes = new Set<string>()
    const explicit = mapping.policies.identifierCodes.level1
    if (explicit && explicit !== 'inherit') codes.add(explicit)
    const ubnd = T ? agencies.find((a) => a.id === `${T}.ubnd`) : undefined
    const m = parseIdentifierCode(ubnd?.identifier_code)?.m
    if (m) codes.add(m)
    return [...codes].sort()
  }
}

function checkExpect(
  mapping: PlanMapping,
  units: Map<string, UnitRec>,
  T: string | null,
  errors: string[],
): void {
  const {expect} = mapping
  if (!T || (expect.communes === undefined && expect.districts === undefined)) return
  const districts = [...units.values()].filter((u) => u.level === 2 && u.parent_code === T)
  const districtCodes = new Set(districts.map((d) => d.code))
  const communes = [...units.values()].filter(
    (u) => u.level === 3 && (u.parent_code === T || districtCodes.has(u.parent_code ?? '')),
  )
  if (expect.districts !== undefined && districts.length !== expect.districts)
    errors.push(
      `expect.districts is ${expect.districts}, but province ${T} would have ${districts.length} active districts`,
    )
  if (expect.communes !== undefined && communes.length !== expect.communes)
    errors.push(
      `expect.communes is ${expect.communes}, but province ${T} would have ${communes.length} active communes`,
    )
}

function unitSummaries(
  entries: PlanMapping['units'],
  before: Map<string, UnitRec>,
  ops: Operation[],
): PlanUnitSummary[] {
  const touched = new Set<string>()
  const created = new Set<string>()
  const updated = new Set<string>()
  for (const o of ops) {
    touched.add(o.unit)
    if (o.op === 'unit.create') created.add(o.key.code)
    else if (o.op === 'unit.update') updated.add(o.key.code)
  }
  const list: PlanUnitSummary[] = entries.map((e) => ({
    code: e.code,
    name: e.name,
    type: e.type,
    level: e.level,
    sources: e.sources.map((s) => ({
      code: s.code,
      name: before.get(s.code)?.name ?? '(not in registry)',
      share: s.share,
      isDefault: s.isDefault,
    })),
    change: created.has(e.code) ? 'create' : updated.has(e.code) || touched.has(e.code) ? 'update' : 'keep',
  }))
  const listed = new Set(list.map((u) => u.code))
  for (const code of [...touched].sort()) {
    const u = before.get(code)
    if (listed.has(code) || !u) continue
    list.push({code, name: u.name, type: u.type, level: u.level, sources: [], change: 'update'})
  }
  return list.sort((a, b) => cmp(a.code, b.code))
}

function diff(before: Row, after: Row, fields: string[]): {before: Row; after: Row} | null {
  const b: Row = {}
  const a: Row = {}
  for (const f of fields)
    if ((before[f] ?? null) !== (after[f] ?? null)) {
      b[f] = before[f] ?? null
      a[f] = after[f] ?? null
    }
  return Object.keys(a).length > 0 ? {before: b, after: a} : null
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = m.get(k)
    if (list) list.push(item)
    else m.set(k, [item])
  }
  return m
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
