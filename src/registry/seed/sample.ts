import {
  AddressBook,
  DEPARTMENTS,
  LOCAL_KINDS,
  PREFIXED_MAIL_KINDS,
  agencyId,
  agencyName,
  allocateCodeSlots,
  councilLevel1,
  identifierCode,
  provinceDomain,
  uniqueSlugs,
  type CodeSlot,
  type LocalKind,
} from './conventions.js'
import {LOCAL_BODIES} from '../vocabulary.js'
import {randomName} from './names.js'
import {Rng} from './prng.js'

/**
 * The sample registry of one province, generated deterministically from the seed and the unit codes.
 * Pure: rows go to a sink, and the generator pauses after each unit so the caller can write them out.
 */

export interface SampleUnit {
  code: string
  name: string
}

export interface SampleProvince {
  province: SampleUnit
  /** In code order, each with its communes in code order. */
  districts: {unit: SampleUnit; communes: SampleUnit[]}[]
  /** Communes directly under the province (the layout after the 2025 reform), in code order. */
  communes: SampleUnit[]
}

/** Where generated rows go, one call per row, in an order that respects the foreign keys. */
export interface SampleSink {
  agency(
    id: string,
    unitCode: string,
    kind: string,
    name: string,
    code: string | null,
    parentId: string | null,
  ): void
  identifierCode(code: string, agencyId: string): void
  account(system: string, username: string, holder: string, agencyId: string, role: Role): void
  mailbox(
    address: string,
    displayName: string,
    kind: 'official' | 'personal',
    ownerAgencyId: string | null,
    ownerSystem: string | null,
    ownerUsername: string | null,
  ): void
  endpoint(
    axis: 'provincial' | 'national',
    code: string,
    parentCode: string | null,
    agencyId: string,
    name: string,
    mail: string,
  ): void
}

export type Role = 'chu_tich' | 'pho_chu_tich' | 'van_thu' | 'quan_tri' | 'can_bo'

/** Staff per commune; a district has about three times as many. Ranges are inclusive. */
const LOCAL_STAFF = {
  commune: {sso: [45, 55], dvc: [10, 13], qlvb: [18, 23], perSingleSystem: 1, vice: 2},
  district: {sso: [135, 165], dvc: [30, 39], qlvb: [55, 69], perSingleSystem: 3, vice: 3},
} as const
/** Where staff other than the leaders work (weights). */
const LOCAL_STAFF_KINDS: readonly (readonly [LocalKind, number])[] = [
  ['ubnd', 70],
  ['dang_uy', 12],
  ['mttq', 8],
  ['hdnd', 6],
  ['cong_an', 4],
]
/** Systems with a handful of accounts per unit (e-certification, reporting, citizen feedback). */
const SINGLE_SYSTEMS = ['ecert', 'reporting', 'feedback'] as const
/** Share of ordinary staff with a personal mailbox (leaders, clerks and administrators always have one). */
const PERSONAL_MAILBOX_SHARE = 0.6

/**
 * A staff count drawn for scale 1, multiplied by the sample's scale but never below `min` (the leaders
 * every unit keeps). At scale 1 the count is the one drawn, so the rows are exactly the unscaled sample's.
 */
export function scaleCount(n: number, scale: number, min: number): number {
  if (scale === 1 || n === 0) return n
  return Math.max(min, Math.round(n * scale))
}

interface Official {
  id: string
  code: string | null
}

/**
 * `scale` multiplies the staff of every unit (their accounts and personal mailboxes); agencies, codes,
 * endpoints and official mailboxes do not depend on it, and every unit keeps its leaders.
 */
export function* generateProvince(
  p: SampleProvince,
  level1: string,
  seed: number,
  sink: SampleSink,
  scale = 1,
): Generator<void> {
  const out: Output = {sink, book: new AddressBook(provinceDomain(p.province.name))}
  const mailSlug = officialBodies(out, p, level1)
  yield

  // Pass 2: staff, their accounts and personal mailboxes, unit by unit.
  for (const g of provinceGroups(p.province.code)) {
    provinceGroupStaff(out, p.province.code, g, Rng.for(seed, p.province.code, g.key), scale)
    yield
  }
  const local = (unit: SampleUnit, level: keyof typeof LOCAL_STAFF) =>
    localStaff(out, unit, level, mailSlug.get(unit.code)!, Rng.for(seed, unit.code), scale)
  for (const d of p.districts) {
    local(d.unit, 'district')
    yield
    for (const c of d.communes) {
      local(c, 'commune')
      yield
    }
  }
  for (const c of p.communes) {
    local(c, 'commune')
    yield
  }
}

/** Where a province's rows go, and the addresses handed out so far. */
interface Output {
  sink: SampleSink
  book: AddressBook
}

/**
 * Pass 1: agencies, identifier codes, official mailboxes and endpoints. Addresses are handed out in this
 * order (province, then each district followed by its communes, then communes under the province) so
 * that a collision gets its suffix deterministically. Returns the mail slug of each district and commune.
 */
function officialBodies(out: Output, p: SampleProvince, level1: string): Map<string, string> {
  const pc = p.province.code
  const slots = allocateCodeSlots(pc, {
    districts: p.districts.map((d) => ({code: d.unit.code, communes: d.communes.map((c) => c.code)})),
    communes: p.communes.map((c) => c.code),
  })
  const provinceName = p.province.name
  const provinceUbnd = official(out, pc, 'ubnd', provinceName, identifierCode(0, 0, 0, level1), null, [
    'ubnd',
  ])
  official(out, pc, 'hdnd', provinceName, identifierCode(0, 0, 0, councilLevel1(level1)), provinceUbnd, [
    'hdnd',
  ])
  DEPARTMENTS.forEach((d, i) =>
    official(out, pc, d.kind, provinceName, identifierCode(0, 0, i + 1, level1), provinceUbnd, [
      d.abbreviation,
    ]),
  )
  const topSlugs = uniqueSlugs([...p.districts.map((d) => d.unit), ...p.communes])
  const mailSlug = new Map<string, string>()
  for (const d of p.districts) {
    const dslug = topSlugs.get(d.unit.code)!
    mailSlug.set(d.unit.code, dslug)
    const districtUbnd = localBodies(out, level1, d.unit, slots.get(d.unit.code)!, provinceUbnd, dslug)
    const communeSlugs = uniqueSlugs(d.communes)
    for (const c of d.communes) {
      const cslug = communeSlugs.get(c.code)!
      mailSlug.set(c.code, cslug)
      localBodies(out, level1, c, slots.get(c.code)!, districtUbnd, cslug, dslug)
    }
  }
  for (const c of p.communes) {
    const cslug = topSlugs.get(c.code)!
    mailSlug.set(c.code, cslug)
    localBodies(out, level1, c, slots.get(c.code)!, provinceUbnd, cslug)
  }
  return mailSlug
}

/** One agency with its official mailbox (`mail`: the address's head and tail) and, when coded, its endpoints. */
function official(
  out: Output,
  unitCode: string,
  kind: string,
  unitName: string,
  code: string | null,
  parent: Official | null,
  mail: [head: string, tail?: string] | null,
): Official {
  const id = agencyId(unitCode, kind)
  const name = agencyName(kind, unitName)
  out.sink.agency(id, unitCode, kind, name, code, parent?.id ?? null)
  const address = mail ? out.book.take(mail[0], mail[1]) : null
  if (address) out.sink.mailbox(address, name, 'official', id, null, null)
  if (code) {
    out.sink.identifierCode(code, id)
    for (const axis of ['provincial', 'national'] as const)
      out.sink.endpoint(axis, code, parent?.code ?? null, id, name, address!)
  }
  return {id, code}
}

/** A district's or commune's People's Committee and the bodies under it; returns the committee. */
function localBodies(
  out: Output,
  level1: string,
  unit: SampleUnit,
  slot: CodeSlot,
  parent: Official,
  head: string,
  tail?: string,
): Official {
  const ubnd = official(
    out,
    unit.code,
    'ubnd',
    unit.name,
    identifierCode(0, slot.z, slot.y, level1),
    parent,
    [head, tail],
  )
  for (const kind of LOCAL_KINDS.slice(1)) {
    const code = kind === 'hdnd' ? identifierCode(1, slot.z, slot.y, level1) : null
    const prefix = PREFIXED_MAIL_KINDS.includes(kind) ? LOCAL_BODIES[kind].mail : undefined
    official(out, unit.code, kind, unit.name, code, ubnd, prefix ? [`${prefix}.${head}`, tail] : null)
  }
  return ubnd
}

/** The province's own agencies with staff: its People's Committee office, its Council, each department. */
function provinceGroups(pc: string): ProvinceGroup[] {
  return [
    {
      key: 'ubnd',
      agency: agencyId(pc, 'ubnd'),
      size: [18, 22],
      dvc: [2, 4],
      singles: 1,
      leaders: ['chu_tich', 'pho_chu_tich', 'pho_chu_tich', 'pho_chu_tich', 'van_thu', 'quan_tri'],
    },
    {key: 'hdnd', agency: agencyId(pc, 'hdnd'), size: [8, 12], dvc: [0, 0], singles: 0, leaders: ['van_thu']},
    ...DEPARTMENTS.map((d): ProvinceGroup => ({
      key: d.abbreviation,
      agency: agencyId(pc, d.kind),
      size: [18, 22],
      dvc: [2, 5],
      singles: 0,
      leaders: ['van_thu', 'quan_tri'],
    })),
  ]
}

function provinceGroupStaff(out: Output, pc: string, g: ProvinceGroup, rng: Rng, scale: number): void {
  const size = scaleCount(rng.int(g.size[0], g.size[1]), scale, g.leaders.length)
  staff(out.sink, out.book, rng, {
    tag: `${pc}.${g.key}`,
    mailTail: g.key,
    size,
    role: (i) => g.leaders[i] ?? 'can_bo',
    agencyOf: () => g.agency,
    dvcAgency: g.agency,
    dvc: scaleCount(rng.int(g.dvc[0], g.dvc[1]), scale, 1),
    qlvb: size,
    perSingleSystem: g.singles,
  })
}

/** The staff of a district or commune: leaders in its People's Committee, the others spread over its bodies. */
function localStaff(
  out: Output,
  unit: SampleUnit,
  level: keyof typeof LOCAL_STAFF,
  mailTail: string,
  rng: Rng,
  scale: number,
): void {
  const s = LOCAL_STAFF[level]
  const ubnd = agencyId(unit.code, 'ubnd')
  // Chairman, vice-chairmen, clerk and administrator.
  const leaders = s.vice + 3
  staff(out.sink, out.book, rng, {
    tag: unit.code,
    mailTail,
    size: scaleCount(rng.int(s.sso[0], s.sso[1]), scale, leaders),
    role: (i) =>
      i === 0
        ? 'chu_tich'
        : i <= s.vice
          ? 'pho_chu_tich'
          : i === s.vice + 1
            ? 'van_thu'
            : i === s.vice + 2
              ? 'quan_tri'
              : 'can_bo',
    agencyOf: (role) => agencyId(unit.code, role === 'can_bo' ? rng.weighted(LOCAL_STAFF_KINDS) : 'ubnd'),
    dvcAgency: ubnd,
    dvc: scaleCount(rng.int(s.dvc[0], s.dvc[1]), scale, 1),
    qlvb: scaleCount(rng.int(s.qlvb[0], s.qlvb[1]), scale, leaders),
    perSingleSystem: scaleCount(s.perSingleSystem, scale, 1),
  })
}

/** The staff of a province-level agency (its People's Committee office, its Council, a department). */
interface ProvinceGroup {
  /** Username tag `<province>.<key>` and personal addresses `<name>.<key>@`. */
  key: string
  agency: string
  size: [number, number]
  dvc: [number, number]
  singles: number
  /** Roles of the first staff; the others are `can_bo`. */
  leaders: Role[]
}

interface StaffSpec {
  /** Username suffix, unique per unit: `13669`, `36.stttt`. */
  tag: string
  /** What follows the name in a personal address: `<name>.<mailTail>@domain`. */
  mailTail: string
  size: number
  role: (index: number) => Role
  agencyOf: (role: Role) => string
  /** Public-service portal accounts go to the first `dvc` staff of this agency. */
  dvcAgency: string
  dvc: number
  /** Document-management accounts: the first `qlvb` staff. */
  qlvb: number
  /** Accounts on each of ecert, reporting, feedback, held by ordinary staff of `dvcAgency`. */
  perSingleSystem: number
}

/**
 * One unit's staff: everyone has single sign-on; the first ones have the document-management system;
 * People's Committee staff have the public-service portal. The chairman holds `chu_tich` on every system
 * he is on. Usernames are `<folded name>.<tag>` (a second namesake gets `<folded name>2.<tag>`).
 */
function staff(sink: SampleSink, book: AddressBook, rng: Rng, spec: StaffSpec): void {
  const names = new Set<string>()
  const people: {full: string; folded: string; username: string; role: Role; agency: string}[] = []
  for (let i = 0; i < spec.size; i++) {
    const role = spec.role(i)
    const agency = spec.agencyOf(role)
    const name = randomName(rng)
    let base = name.folded
    for (let n = 2; names.has(base); n++) base = `${name.folded}${n}`
    names.add(base)
    people.push({full: name.full, folded: name.folded, username: `${base}.${spec.tag}`, role, agency})
  }
  let dvc = spec.dvc
  people.forEach((person, i) => {
    sink.account('sso', person.username, person.full, person.agency, person.role)
    if (i < spec.qlvb) sink.account('qlvb', person.username, person.full, person.agency, person.role)
    if (dvc > 0 && person.agency === spec.dvcAgency) {
      sink.account('dvc', person.username, person.full, person.agency, person.role)
      dvc--
    }
  })
  const candidates = people.filter((person) => person.role === 'can_bo' && person.agency === spec.dvcAgency)
  for (const system of SINGLE_SYSTEMS) {
    if (spec.perSingleSystem === 0 || candidates.length === 0) continue
    const start = rng.int(0, candidates.length - 1)
    for (let j = 0; j < Math.min(spec.perSingleSystem, candidates.length); j++) {
      const person = candidates[(start + j) % candidates.length]
      sink.account(system, person.username, person.full, person.agency, person.role)
    }
  }
  for (const person of people) {
    if (person.role !== 'can_bo' || rng.next() < PERSONAL_MAILBOX_SHARE) {
      const address = book.take(person.folded, spec.mailTail)
      sink.mailbox(address, person.full, 'personal', null, 'sso', person.username)
    }
  }
}
