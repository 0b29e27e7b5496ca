/**
 * The registry's vocabulary: systems, unit levels and types, code and address formats, statuses, the
 * bodies that serve a unit. Mapping files, imports, the planner, the seed and the database checks all
 * take these from here.
 */

/** The systems whose accounts the registry holds. */
export const SYSTEMS = ['dvc', 'qlvb', 'ecert', 'reporting', 'feedback', 'sso'] as const
export type System = (typeof SYSTEMS)[number]

export const isSystem = (s: string): s is System => (SYSTEMS as readonly string[]).includes(s)

/** 1 province, 2 district, 3 commune (GSO, Decision 124/2004/QĐ-TTg). */
export type UnitLevel = 1 | 2 | 3

export const LEVEL_NAMES: Record<UnitLevel, string> = {1: 'province', 2: 'district', 3: 'commune'}

/** Codes are strings of 2, 3 or 5 digits by level, leading zeros kept. */
export const CODE_LENGTH: Record<UnitLevel, number> = {1: 2, 2: 3, 3: 5}

/** Level from code length; undefined for a malformed code. */
export function levelOfCode(code: string): UnitLevel | undefined {
  return code.length === 2 ? 1 : code.length === 3 ? 2 : code.length === 5 ? 3 : undefined
}

/** Unit types by level. `Thành phố` exists at levels 1 and 2; `Đặc khu` (special zone) since 2025. */
export const UNIT_TYPES_BY_LEVEL = {
  1: ['Tỉnh', 'Thành phố'],
  2: ['Huyện', 'Quận', 'Thị xã', 'Thành phố'],
  3: ['Xã', 'Phường', 'Thị trấn', 'Đặc khu'],
} as const satisfies Record<UnitLevel, readonly string[]>

export const UNIT_TYPES = [
  'Tỉnh',
  'Thành phố',
  'Huyện',
  'Quận',
  'Thị xã',
  'Xã',
  'Phường',
  'Thị trấn',
  'Đặc khu',
] as const
export type UnitType = (typeof UNIT_TYPES)[number]

/** A GSO unit code of any level. */
export const UNIT_CODE_PATTERN = /^(?:[0-9]{2}|[0-9]{3}|[0-9]{5})$/
/** An electronic identifier code (QCVN 102): `V1V2V3.Z1Z2.Y1Y2.MX1X2`, e.g. 000.00.00.H40. */
export const IDENTIFIER_CODE_PATTERN = /^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$/
/** The level-1 part of an identifier code: a group letter and two digits (H40). */
export const LEVEL1_IDENTIFIER_PATTERN = /^[A-Z][0-9]{2}$/
/** A mail address as the registry stores it: lower case, no diacritics, a domain with at least one dot. */
export const ADDRESS_PATTERN = /^[a-z0-9._-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+$/
/** An agency id: `<unit code>.<kind>` by convention; letters, digits, '.', '_', '-'. */
export const AGENCY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

export const UNIT_STATUSES = ['active', 'retired'] as const
export const AGENCY_STATUSES = ['active', 'retired'] as const
export const CODE_STATUSES = ['issued', 'stopped'] as const
export const ACCOUNT_STATUSES = ['active', 'disabled'] as const
export const MAILBOX_STATUSES = ['active', 'suspended'] as const
export const MAILBOX_KINDS = ['official', 'personal'] as const
export const AXES = ['provincial', 'national'] as const
export const ENDPOINT_STATUSES = ['registered', 'unregistered'] as const
export const RUN_STATUSES = ['applied', 'rolled_back'] as const

/**
 * The bodies every commune and district has: their name before the unit's name (`Ủy ban nhân dân xã
 * Trà Lũ`), and the short form used in official addresses (`ubnd.tralu@…`).
 */
export const LOCAL_BODIES = {
  ubnd: {name: 'Ủy ban nhân dân', mail: 'ubnd'},
  hdnd: {name: 'Hội đồng nhân dân', mail: 'hdnd'},
  dang_uy: {name: 'Đảng ủy', mail: 'danguy'},
  mttq: {name: 'Ủy ban Mặt trận Tổ quốc Việt Nam', mail: 'mttq'},
  cong_an: {name: 'Công an', mail: 'congan'},
} as const
export type LocalKind = keyof typeof LOCAL_BODIES
/** In the order the sample generates them. */
export const LOCAL_KINDS = Object.keys(LOCAL_BODIES) as LocalKind[]
/** The People's Committee: the body that holds a unit's identifier code, endpoint and official mailbox. */
export const PEOPLES_COMMITTEE: LocalKind = 'ubnd'
