import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import type {PlanMapping} from './input.js'

export interface UnitRec {
  code: string
  name: string
  type: string
  level: 1 | 2 | 3
  parent_code: string | null
  status: 'active' | 'retired'
}
export interface AgencyRec {
  id: string
  unit_code: string
  kind: string
  name: string
  identifier_code: string | null
  parent_id: string | null
  status: 'active' | 'retired'
  successor_id: string | null
}
export interface AccountRec {
  system: string
  username: string
  holder: string
  agency_id: string
  role: string
  status: 'active' | 'disabled'
  reason: string | null
  successor_username: string | null
}
export interface MailboxRec {
  address: string
  display_name: string
  kind: 'official' | 'personal'
  owner_agency_id: string | null
  owner_system: string | null
  owner_username: string | null
  status: 'active' | 'suspended'
}
export interface AliasRec {
  alias: string
  mailbox_address: string
  valid_until: string | null
}
export interface EndpointRec {
  axis: 'provincial' | 'national'
  agency_code: string
  parent_code: string | null
  agency_id: string
  name: string
  mail: string | null
  status: 'registered' | 'unregistered'
}
export interface CodeRec {
  code: string
  agency_id: string
  status: 'issued' | 'stopped'
  issued_on: string | null
  stopped_on: string | null
}

/** The registry rows a plan reads: everything in the units the mapping touches, and nothing else. */
export interface Snapshot {
  units: UnitRec[]
  agencies: AgencyRec[]
  accounts: AccountRec[]
  mailboxes: MailboxRec[]
  aliases: AliasRec[]
  endpoints: EndpointRec[]
  /** Identifier codes of the agencies read, and every code ever issued under the level-1 codes in play. */
  codes: CodeRec[]
  /** Personal mailboxes of the accounts the plan disables or recreates (phase two). */
  personalMailboxes: MailboxRec[]
  /** Usernames (`system/username`) and addresses among the planner's candidates that already exist. */
  takenUsernames: string[]
  takenAddresses: string[]
}

/** What the snapshot looks up, derived from the mapping alone (and stored in the plan to re-read it). */
export interface SnapshotScope {
  unitCodes: string[]
  provinceCodes: string[]
  abolishDistricts: boolean
}

export function snapshotScope(mapping: PlanMapping): SnapshotScope {
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
    abolishDistricts: mapping.abolishDistricts,
  }
}

const rows = async <T>(db: Knex, sql: string, bindings: unknown[]): Promise<T[]> =>
  (await db.raw(sql, bindings as any)).rows as T[]

// Separators that cannot occur in registry text (imports clean whitespace and control characters).
const FIELD = '\x1f'
const RECORD = '\x1e'
const NULL = '\x1d'

/**
 * Read many rows of text columns as one packed string and split it here: for the hundreds of thousands
 * of accounts a national plan reads, this is several times faster than a result row per account.
 */
async function packedRows<T>(
  db: Knex,
  table: string,
  columns: string[],
  where: string,
  bindings: unknown[],
): Promise<T[]> {
  const fields = columns.map((c) => `coalesce(${c}, E'\\x1d')`).join(', ')
  const {rows: result} = await db.raw(
    `select string_agg(concat_ws(E'\\x1f', ${fields}), E'\\x1e') as packed from ${table} where ${where}`,
    bindings as any,
  )
  const packed: string | null = result[0]?.packed ?? null
  if (!packed) return []
  return packed.split(RECORD).map((line) => {
    const values = line.split(FIELD)
    const row: Record<string, string | null> = {}
    for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i] === NULL ? null : values[i]
    return row as T
  })
}

/** Phase one: the rows of the units in scope and everything attached to them. */
export async function readSnapshot(
  db: Knex,
  scope: SnapshotScope,
  level1Codes: (agencies: AgencyRec[]) => string[],
): Promise<Omit<Snapshot, 'takenUsernames' | 'takenAddresses' | 'personalMailboxes'>> {
  const units = await rows<UnitRec>(
    db,
    `select code, name, type, level, parent_code, status from units
     where code = any(?::text[]) or parent_code = any(?::text[])
        or (? and parent_code in (select code from units where parent_code = any(?::text[])))
     order by code collate "C"`,
    [scope.unitCodes, scope.unitCodes, scope.abolishDistricts, scope.provinceCodes],
  )
  const unitCodes = units.map((u) => u.code)
  const agencies = await rows<AgencyRec>(
    db,
    `select id, unit_code, kind, name, identifier_code, parent_id, status, successor_id
     from agencies where unit_code = any(?::text[]) order by id collate "C"`,
    [unitCodes],
  )
  const agencyIds = agencies.map((a) => a.id)
  const accounts = await packedRows<AccountRec>(
    db,
    'accounts',
    ['system', 'username', 'holder', 'agency_id', 'role', 'status', 'reason', 'successor_username'],
    `agency_id = any(?::text[]) and status = 'active'`,
    [agencyIds],
  )
  const mailboxes = await rows<MailboxRec>(
    db,
    `select address, display_name, kind, owner_agency_id, owner_system, owner_username, status
     from mailboxes where owner_agency_id = any(?::text[]) order by address collate "C"`,
    [agencyIds],
  )
  const aliases = await rows<AliasRec>(
    db,
    `select alias, mailbox_address, valid_until::text as valid_until from mailbox_aliases
     where mailbox_address = any(?::text[]) order by alias collate "C"`,
    [mailboxes.map((m) => m.address)],
  )
  const endpoints = await rows<EndpointRec>(
    db,
    `select axis, agency_code, parent_code, agency_id, name, mail, status from endpoints
     where agency_id = any(?::text[]) order by axis collate "C", agency_code collate "C"`,
    [agencyIds],
  )
  const level1 = level1Codes(agencies)
  const codes = await rows<CodeRec>(
    db,
    `select code, agency_id, status, issued_on::text as issued_on, stopped_on::text as stopped_on
     from identifier_codes where agency_id = any(?::text[]) or right(code, 3) = any(?::text[]) order by code collate "C"`,
    [agencyIds, level1],
  )
  return {units, agencies, accounts, mailboxes, aliases, endpoints, codes}
}

/**
 * Phase two: which of the usernames and addresses the planner may want already exist (ever), and the
 * personal mailboxes of the accounts it disables or recreates.
 */
export async function readPhaseTwo(
  db: Knex,
  candidates: {usernames: Array<[string, string]>; addresses: string[]},
  owners: Array<{system: string; username: string}>,
): Promise<{takenUsernames: string[]; takenAddresses: string[]; personalMailboxes: MailboxRec[]}> {
  const takenUsernames =
    candidates.usernames.length === 0
      ? []
      : (
          await rows<{k: string}>(
            db,
            `select a.system || '/' || a.username as k from accounts a
             join unnest(?::text[], ?::text[]) c(system, username) on a.system = c.system and a.username = c.username
             order by k collate "C"`,
            [candidates.usernames.map((c) => c[0]), candidates.usernames.map((c) => c[1])],
          )
        ).map((r) => r.k)
  const takenAddresses =
    candidates.addresses.length === 0
      ? []
      : (
          await rows<{a: string}>(
            db,
            `select a from (select address as a from mailboxes where address = any(?::text[])
             union select alias from mailbox_aliases where alias = any(?::text[])) t order by a collate "C"`,
            [candidates.addresses, candidates.addresses],
          )
        ).map((r) => r.a)
  const personalMailboxes =
    owners.length === 0
      ? []
      : await rows<MailboxRec>(
          db,
          `select m.address, m.display_name, m.kind, m.owner_agency_id, m.owner_system, m.owner_username, m.status
           from mailboxes m join unnest(?::text[], ?::text[]) o(system, username)
             on m.owner_system = o.system and m.owner_username = o.username
           order by m.address collate "C"`,
          [owners.map((o) => o.system), owners.map((o) => o.username)],
        )
  return {takenUsernames, takenAddresses, personalMailboxes}
}

/** A row's values in column order (fixed by the SELECT), nulls distinct from empty strings. */
function rowText(row: unknown): string {
  if (typeof row === 'string') return row + '\n'
  let text = ''
  for (const v of Object.values(row as Record<string, unknown>))
    text += (v === null ? '\u0000' : String(v)) + '\u0001'
  return text + '\n'
}

/**
 * A fingerprint of every row read: a hash per table and per (table, unit) group, so that apply can say
 * which tables and units changed since the plan was made.
 */
export function fingerprintSnapshot(snapshot: Snapshot): {
  tables: Record<string, string>
  groups: Record<string, string>
  rows: number
} {
  const agencyUnit = new Map(snapshot.agencies.map((a) => [a.id, a.unit_code]))
  const accountUnit = new Map(
    snapshot.accounts.map((a) => [`${a.system}/${a.username}`, agencyUnit.get(a.agency_id)]),
  )
  const mailboxUnit = new Map(
    snapshot.mailboxes.map((m) => [
      m.address,
      m.owner_agency_id
        ? agencyUnit.get(m.owner_agency_id)
        : accountUnit.get(`${m.owner_system}/${m.owner_username}`),
    ]),
  )
  const tables: Record<string, Array<{unit: string; row: unknown}>> = {
    units: snapshot.units.map((u) => ({unit: u.code, row: u})),
    agencies: snapshot.agencies.map((a) => ({unit: a.unit_code, row: a})),
    accounts: snapshot.accounts.map((a) => ({unit: agencyUnit.get(a.agency_id) ?? '-', row: a})),
    mailboxes: snapshot.mailboxes.map((m) => ({unit: mailboxUnit.get(m.address) ?? '-', row: m})),
    personal_mailboxes: snapshot.personalMailboxes.map((m) => ({
      unit: accountUnit.get(`${m.owner_system}/${m.owner_username}`) ?? '-',
      row: m,
    })),
    mailbox_aliases: snapshot.aliases.map((a) => ({unit: mailboxUnit.get(a.mailbox_address) ?? '-', row: a})),
    endpoints: snapshot.endpoints.map((e) => ({unit: agencyUnit.get(e.agency_id) ?? '-', row: e})),
    identifier_codes: snapshot.codes.map((c) => ({unit: agencyUnit.get(c.agency_id) ?? '-', row: c})),
    taken: [...snapshot.takenUsernames, ...snapshot.takenAddresses].map((t) => ({unit: '-', row: t})),
  }
  const tableHashes: Record<string, string> = {}
  const groupHashes = new Map<string, ReturnType<typeof createHash>>()
  let count = 0
  for (const [table, entries] of Object.entries(tables)) {
    const whole = createHash('sha256')
    for (const {unit, row} of entries) {
      const text = rowText(row)
      whole.update(text)
      const key = `${table}/${unit}`
      let g = groupHashes.get(key)
      if (!g) groupHashes.set(key, (g = createHash('sha256')))
      g.update(text)
      count++
    }
    tableHashes[table] = `sha256:${whole.digest('hex')}`
  }
  const groups: Record<string, string> = {}
  for (const key of [...groupHashes.keys()].sort())
    groups[key] = `sha256:${groupHashes.get(key)!.digest('hex').slice(0, 16)}`
  return {tables: tableHashes, groups, rows: count}
}

const byText =
  <T>(key: (row: T) => string) =>
  (a: T, b: T): number => {
    const x = key(a)
    const y = key(b)
    return x < y ? -1 : x > y ? 1 : 0
  }

/** The snapshot in key order (code-point order, whatever the engine's collation), so planning never depends on row order. */
export function normalizeSnapshot(s: Snapshot): Snapshot {
  return {
    units: [...s.units].sort(byText((u) => u.code)),
    agencies: [...s.agencies].sort(byText((a) => a.id)),
    accounts: [...s.accounts].sort(byText((a) => `${a.system}\u0000${a.username}`)),
    mailboxes: [...s.mailboxes].sort(byText((m) => m.address)),
    aliases: [...s.aliases].sort(byText((a) => a.alias)),
    endpoints: [...s.endpoints].sort(byText((e) => `${e.axis}\u0000${e.agency_code}`)),
    codes: [...s.codes].sort(byText((c) => c.code)),
    personalMailboxes: [...s.personalMailboxes].sort(byText((m) => m.address)),
    takenUsernames: [...s.takenUsernames].sort(),
    takenAddresses: [...s.takenAddresses].sort(),
  }
}
