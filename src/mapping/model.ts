import {provinceDomain} from '../naming/addresses.js'
import {SapxepError} from '../errors.js'
import {levelOfCode, SYSTEMS, type System, type UnitLevel} from '../registry/vocabulary.js'
import type {AccountAction, Mapping} from './schema.js'

/**
 * A mapping with every default applied and the relations spelled out: the one type the validator
 * produces and the planner (and the plan file's `resolved`) reads.
 */
export interface ResolvedMapping {
  decision: {number: string; effective: string; title?: string; source?: string; official: boolean}
  province?: {code: string; name: string}
  scope: 'complete' | 'partial'
  abolishDistricts: boolean
  /** Units after the change, sorted by code. */
  units: ResolvedUnit[]
  /**
   * Codes that stop existing, sorted by code, each with its successors (default first). A whole merge has
   * one successor, which is its default. Codes from `retire` have none. Districts abolished as a level are
   * not listed unless a unit names them (a district that became a special zone).
   */
  retired: Array<{code: string; successors: Array<{code: string; isDefault: boolean}>}>
  /** Policies with every default filled in, per system too; `mail.domain` defaults to the province name folded + `.gov.vn`. */
  policies: ResolvedPolicies
  expect: {provinces?: number; districts?: number; communes?: number}
}

export interface ResolvedPolicies {
  accounts: {
    default: AccountAction
    /** Every system, with its default action and per-role actions. */
    systems: Record<System, {default: AccountAction; roles: Record<string, AccountAction>}>
    singleHolderRoles: string[]
    conflict: 'keep-default-successor' | 'keep-first-username'
    overrides: Array<{system: System; username: string; action: AccountAction}>
  }
  mail: {domain: string; pattern: string; oldAddresses: 'alias' | 'suspend'; aliasMonths: number}
  identifierCodes: {level1: string; allocation: 'sequential'}
}

export interface ResolvedUnit {
  code: string
  name: string
  type: string
  level: UnitLevel
  /** null for a province; otherwise the parent after the change (given, or the default: the province). */
  parentCode: string | null
  /** The units it is formed from; a unit without `from` continues under its own code (one whole source). */
  sources: Array<{code: string; share: 'whole' | 'part'; isDefault: boolean}>
}

/** A unit entry with its document index, for rules that must point back into the file. */
export interface UnitView extends ResolvedUnit {
  index: number
  parentGiven: boolean
  fromGiven: boolean
  sources: SourceView[]
}

export interface SourceView {
  code: string
  name?: string
  share: 'whole' | 'part'
  /** A whole share is the default successor by definition; a part share when marked `default: true`. */
  isDefault: boolean
  /** Index in `from`; undefined when `from` is omitted (the unit's own code). */
  index?: number
}

export function unitViews(
  m: Mapping,
  unitIndex?: readonly number[],
  sourceIndex?: readonly (readonly number[])[],
): UnitView[] {
  const abolish = m.abolish.includes('district')
  return m.units.map((u, i) => {
    const level = levelOfCode(u.code) ?? 3
    const sources: SourceView[] = u.from
      ? u.from.map((s, j) => ({
          code: s.code,
          name: s.name,
          share: s.share,
          isDefault: s.share === 'whole' || s.default === true,
          index: sourceIndex?.[i]?.[j] ?? j,
        }))
      : [{code: u.code, share: 'whole', isDefault: true}]
    return {
      index: unitIndex?.[i] ?? i,
      code: u.code,
      name: u.name,
      type: u.type,
      level,
      parentCode: u.parent ?? defaultParent(level, abolish, m.province?.code),
      parentGiven: u.parent !== undefined,
      fromGiven: u.from !== undefined,
      sources,
    }
  })
}

function defaultParent(
  level: UnitLevel,
  abolishDistricts: boolean,
  province: string | undefined,
): string | null {
  if (level === 1) return null
  if (level === 2 || abolishDistricts) return province ?? null
  return null
}

/** Pure: the mapping as the plan engine needs it. Assumes a mapping that validated. */
export function resolveMapping(m: Mapping): ResolvedMapping {
  const views = unitViews(m)
  const units: ResolvedUnit[] = views
    .map((v) => ({
      code: v.code,
      name: v.name,
      type: v.type,
      level: v.level,
      parentCode: v.parentCode,
      sources: v.sources.map((s) => ({code: s.code, share: s.share, isDefault: s.isDefault})),
    }))
    .sort((a, b) => compareCodes(a.code, b.code))
  const unitCodes = new Set(units.map((u) => u.code))
  const successors = new Map<string, Array<{code: string; isDefault: boolean}>>()
  for (const u of units)
    for (const s of u.sources) {
      if (unitCodes.has(s.code)) continue
      const list = successors.get(s.code) ?? []
      list.push({code: u.code, isDefault: s.isDefault})
      successors.set(s.code, list)
    }
  for (const r of m.retire) if (!successors.has(r.code)) successors.set(r.code, [])
  const retired = [...successors.entries()]
    .sort(([a], [b]) => compareCodes(a, b))
    .map(([code, list]) => ({
      code,
      successors: list.sort(
        (a, b) => Number(b.isDefault) - Number(a.isDefault) || compareCodes(a.code, b.code),
      ),
    }))
  return {
    decision: {
      number: m.decision.number,
      effective: m.decision.effective,
      ...(m.decision.title === undefined ? {} : {title: m.decision.title}),
      ...(m.decision.source === undefined ? {} : {source: m.decision.source}),
      official: m.decision.official,
    },
    ...(m.province ? {province: {code: m.province.code, name: m.province.name}} : {}),
    scope: m.scope,
    abolishDistricts: m.abolish.includes('district'),
    units,
    retired,
    policies: resolvePolicies(m),
    expect: {...m.expect},
  }
}

function resolvePolicies(m: Mapping): ResolvedPolicies {
  const {accounts, mail, identifierCodes} = m.policies
  const systems = Object.fromEntries(
    SYSTEMS.map((s) => [
      s,
      {default: accounts.systems[s]?.default ?? accounts.default, roles: {...accounts.systems[s]?.roles}},
    ]),
  ) as ResolvedPolicies['accounts']['systems']
  const domain = mailDomainOf(m)
  // The validator refuses such a mapping (rule mail-domain): addresses would end in `@undefined`.
  if (!domain) throw new SapxepError('the mapping gives no mail domain and no province to derive it from')
  return {
    accounts: {
      ...accounts,
      systems,
      singleHolderRoles: [...accounts.singleHolderRoles],
      overrides: accounts.overrides.map((o) => ({...o})),
    },
    mail: {...mail, domain},
    identifierCodes: {...identifierCodes},
  }
}

/** The mapping's mail domain: the one it gives, or its province's by default; undefined when neither is known. */
export function mailDomainOf(m: Pick<Mapping, 'policies' | 'province'>): string | undefined {
  return m.policies.mail.domain ?? (m.province ? defaultMailDomain(m.province.name) : undefined)
}

/** `Tỉnh Ninh Bình` → `ninhbinh.gov.vn`: the usual form of a province's domain, an assumption to confirm. */
export function defaultMailDomain(provinceName: string): string {
  return provinceDomain(provinceName)
}

/** Codes are fixed-width per level: order by level, then by code. */
export function compareCodes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)
}
