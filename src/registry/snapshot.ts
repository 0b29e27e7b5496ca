import type {Knex} from 'knex'
import {byCodePoint} from '../collections.js'
import {readTransaction, useBulkMemory} from './db.js'
import {
  TABLES,
  type AccountRow,
  type AgencyRow,
  type AliasRow,
  type EndpointRow,
  type IdentifierCodeRow,
  type MailboxRow,
  type UnitRow,
} from './schema.js'
import {query, queryOne} from './sql.js'

/**
 * The registry rows a plan reads, and how they are read: everything in the units a mapping touches, and
 * nothing else, in one read-only transaction. The fingerprint (./fingerprint.ts) hashes the same columns.
 */

/** The columns the planner reads of each table, in table order: all of them but the units' dates. */
export const SNAPSHOT_COLUMNS = {
  units: ['code', 'name', 'type', 'level', 'parent_code', 'status'],
  agencies: Object.keys(TABLES.agencies.columns) as (keyof AgencyRow)[],
  accounts: Object.keys(TABLES.accounts.columns) as (keyof AccountRow)[],
  mailboxes: Object.keys(TABLES.mailboxes.columns) as (keyof MailboxRow)[],
  mailbox_aliases: Object.keys(TABLES.mailbox_aliases.columns) as (keyof AliasRow)[],
  endpoints: Object.keys(TABLES.endpoints.columns) as (keyof EndpointRow)[],
  identifier_codes: Object.keys(TABLES.identifier_codes.columns) as (keyof IdentifierCodeRow)[],
} as const

export type UnitRec = Pick<UnitRow, (typeof SNAPSHOT_COLUMNS.units)[number]>
export type AgencyRec = AgencyRow
export type AccountRec = AccountRow
export type MailboxRec = MailboxRow
export type AliasRec = AliasRow
export type EndpointRec = EndpointRow
export type CodeRec = IdentifierCodeRow

/** The registry rows a plan reads: everything in the units the mapping touches, and nothing else. */
export interface Snapshot {
  units: UnitRec[]
  agencies: AgencyRec[]
  /** In no particular order (normalizeSnapshot leaves them as read). */
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

/**
 * Which units a snapshot covers (the planner derives it from a mapping; the plan keeps it to re-read
 * them): the units named, their children, and every unit of the provinces named, so that the planner
 * can count a province whole even when the mapping lists only what changes.
 */
export interface SnapshotScope {
  unitCodes: string[]
  provinceCodes: string[]
}

// Dates are read as text (YYYY-MM-DD), the way the planner compares and writes them.
const DATE_COLUMNS = new Set(['valid_until', 'issued_on', 'stopped_on'])

/**
 * Rows read as one JSON text (an array of arrays, one per row, values in column order) that JS parses:
 * for the hundreds of thousands of accounts and mailboxes a national plan reads, this is several times
 * faster than a result row per row (on the embedded engine above all), and JSON.parse makes compact
 * strings that compare fast. The SQL expression for the rows of `from` (aliased `t`), in `order` if given.
 */
function packed(columns: readonly string[], from: string, order: string | null): string {
  const fields = columns.map((c) => (DATE_COLUMNS.has(c) ? `t.${c}::text` : `t.${c}`)).join(', ')
  const by = order ? ` order by ${order}` : ''
  return `(select '[' || string_agg(json_build_array(${fields})::text, ','${by}) || ']' from ${from})`
}

type Values = Array<string | number | null>

/**
 * The rows of a packed text (null: none) as objects, properties in column order: built by `make` (an
 * object literal, for the tables of a million rows) or else one column after the other.
 */
function unpack<T>(text: string | null, columns: readonly string[], make?: (v: Values) => T): T[] {
  if (!text) return []
  const arrays = JSON.parse(text) as Values[]
  const out: T[] = new Array(arrays.length)
  for (let r = 0; r < arrays.length; r++) {
    const values = arrays[r]
    if (make) {
      out[r] = make(values)
      continue
    }
    const row: Record<string, string | number | null> = {}
    for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i]
    out[r] = row as T
  }
  return out
}

// In the order of SNAPSHOT_COLUMNS.accounts and SNAPSHOT_COLUMNS.mailboxes (the tables' order).
const accountRow = (v: Values) =>
  ({
    system: v[0],
    username: v[1],
    holder: v[2],
    agency_id: v[3],
    role: v[4],
    status: v[5],
    reason: v[6],
    successor_username: v[7],
  }) as AccountRec
const mailboxRow = (v: Values) =>
  ({
    address: v[0],
    display_name: v[1],
    kind: v[2],
    owner_agency_id: v[3],
    owner_system: v[4],
    owner_username: v[5],
    status: v[6],
  }) as MailboxRec

/**
 * A `from` clause: the rows of `table` for each row of `outer` whose `key` its `column` equals, looked up
 * through the index on that column. Written so that the database cannot turn it into a scan of the
 * whole table, which it would do without statistics (a registry on the embedded engine is never analyzed)
 * once per mapping: a million accounts each time.
 */
const lookup = (outer: string, key: string, table: string, column: string, filter = 'true'): string =>
  `${outer}, lateral (select * from ${table} x where x.${column} = ${outer}.${key} and ${filter} offset 0) t`

/**
 * Phase one: the rows of the units in scope and everything attached to them, in one statement (and one
 * for the identifier codes, which depend on the agencies read).
 */
export async function readSnapshot(
  db: Knex,
  scope: SnapshotScope,
  level1Codes: (agencies: AgencyRec[]) => string[],
): Promise<Omit<Snapshot, 'takenUsernames' | 'takenAddresses' | 'personalMailboxes'>> {
  type Packed = Record<
    'units' | 'agencies' | 'accounts' | 'mailboxes' | 'aliases' | 'endpoints',
    string | null
  >
  const r = (await queryOne<Packed>(
    db,
    `with u as (
       select * from units
       where code = any(?::text[]) or parent_code = any(?::text[])
          or parent_code in (select code from units where parent_code = any(?::text[]))),
     g as (select t.* from ${lookup('u', 'code', 'agencies', 'unit_code')}),
     m as (select t.* from ${lookup('g', 'id', 'mailboxes', 'owner_agency_id')})
     select ${packed(SNAPSHOT_COLUMNS.units, 'u t', 't.code collate "C"')} as units,
       ${packed(SNAPSHOT_COLUMNS.agencies, 'g t', 't.id collate "C"')} as agencies,
       ${packed(SNAPSHOT_COLUMNS.accounts, lookup('g', 'id', 'accounts', 'agency_id', `x.status = 'active'`), null)} as accounts,
       ${packed(SNAPSHOT_COLUMNS.mailboxes, 'm t', 't.address collate "C"')} as mailboxes,
       ${packed(SNAPSHOT_COLUMNS.mailbox_aliases, lookup('m', 'address', 'mailbox_aliases', 'mailbox_address'), 't.alias collate "C"')} as aliases,
       ${packed(SNAPSHOT_COLUMNS.endpoints, lookup('g', 'id', 'endpoints', 'agency_id'), 't.axis collate "C", t.agency_code collate "C"')} as endpoints`,
    [scope.unitCodes, scope.unitCodes, scope.provinceCodes],
  ))!
  const agencies = unpack<AgencyRec>(r.agencies, SNAPSHOT_COLUMNS.agencies)
  const codes = await queryOne<{codes: string | null}>(
    db,
    `select ${packed(
      SNAPSHOT_COLUMNS.identifier_codes,
      'identifier_codes t where t.agency_id = any(?::text[]) or right(t.code, 3) = any(?::text[])',
      't.code collate "C"',
    )} as codes`,
    [agencies.map((a) => a.id), level1Codes(agencies)],
  )
  return {
    units: unpack<UnitRec>(r.units, SNAPSHOT_COLUMNS.units),
    agencies,
    accounts: unpack(r.accounts, SNAPSHOT_COLUMNS.accounts, accountRow),
    mailboxes: unpack(r.mailboxes, SNAPSHOT_COLUMNS.mailboxes, mailboxRow),
    aliases: unpack<AliasRec>(r.aliases, SNAPSHOT_COLUMNS.mailbox_aliases),
    endpoints: unpack<EndpointRec>(r.endpoints, SNAPSHOT_COLUMNS.endpoints),
    codes: unpack<CodeRec>(codes?.codes ?? null, SNAPSHOT_COLUMNS.identifier_codes),
  }
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
          await query<{k: string}>(
            db,
            `select x.k from unnest(?::text[], ?::text[]) c(system, username),
               lateral (select a.system || '/' || a.username as k from accounts a
                        where a.system = c.system and a.username = c.username offset 0) x
             order by x.k collate "C"`,
            [candidates.usernames.map((c) => c[0]), candidates.usernames.map((c) => c[1])],
          )
        ).map((r) => r.k)
  const takenAddresses =
    candidates.addresses.length === 0
      ? []
      : (
          await query<{a: string}>(
            db,
            `select a from (
               select m.a from unnest(?::text[]) k(v),
                 lateral (select address as a from mailboxes where address = k.v offset 0) m
               union
               select l.a from unnest(?::text[]) k(v),
                 lateral (select alias as a from mailbox_aliases where alias = k.v offset 0) l
             ) t order by a collate "C"`,
            [candidates.addresses, candidates.addresses],
          )
        ).map((r) => r.a)
  const personalMailboxes =
    owners.length === 0
      ? []
      : unpack<MailboxRec>(
          (
            await queryOne<{mailboxes: string | null}>(
              db,
              `select ${packed(
                SNAPSHOT_COLUMNS.mailboxes,
                `unnest(?::text[], ?::text[]) o(system, username), lateral (select * from mailboxes x
                   where x.owner_system = o.system and x.owner_username = o.username offset 0) t`,
                't.address collate "C"',
              )} as mailboxes`,
              [owners.map((o) => o.system), owners.map((o) => o.username)],
            )
          )?.mailboxes ?? null,
          SNAPSHOT_COLUMNS.mailboxes,
          mailboxRow,
        )
  return {takenUsernames, takenAddresses, personalMailboxes}
}

/**
 * `list` in key order: as it is when already sorted (the reads ask the database for code-point order),
 * else sorted, stable. `compare` must order as the key text would (code-unit order, whatever the
 * engine's collation).
 */
function ordered<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return [...list].sort(compare)
  return list
}

const by =
  <T>(key: (row: T) => string) =>
  (a: T, b: T): number =>
    byCodePoint(key(a), key(b))
// Two-part keys `x\0y` order as (x, y), registry text having no NUL.
const byEndpoint = (a: EndpointRec, b: EndpointRec): number =>
  byCodePoint(a.axis, b.axis) || byCodePoint(a.agency_code, b.agency_code)
const byAddress = by<MailboxRec>((m) => m.address)

/**
 * The snapshot in key order (code-point order, whatever the engine's collation), so planning never
 * depends on row order; the accounts excepted (see below).
 */
export function normalizeSnapshot(s: Snapshot): Snapshot {
  return {
    units: ordered(
      s.units,
      by((u) => u.code),
    ),
    agencies: ordered(
      s.agencies,
      by((a) => a.id),
    ),
    // In no particular order: sorting a million of them (here or in the database) costs seconds, and
    // planAccounts does not depend on their order (it sorts what it emits; every tie is broken by username).
    accounts: s.accounts,
    mailboxes: ordered(s.mailboxes, byAddress),
    aliases: ordered(
      s.aliases,
      by((a) => a.alias),
    ),
    endpoints: ordered(s.endpoints, byEndpoint),
    codes: ordered(
      s.codes,
      by((c) => c.code),
    ),
    personalMailboxes: ordered(s.personalMailboxes, byAddress),
    takenUsernames: ordered(s.takenUsernames, byCodePoint),
    takenAddresses: ordered(s.takenAddresses, byCodePoint),
  }
}

/**
 * A read-only transaction for planning, with the server's JIT compilation off: the reads are a few
 * statements per mapping whose estimated cost (lookups per agency) is high enough for the server to
 * compile them, which takes longer (half a second each) than running them.
 */
export function planReadTransaction<T>(db: Knex, read: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return readTransaction(db, async (trx) => {
    await query(trx, `select set_config('jit', 'off', true)`)
    return read(trx)
  })
}

/**
 * On a server, run `work` in a second read-only transaction that sees exactly what `trx` sees (its
 * snapshot exported and imported), on another connection: the server then works on two cores. Null on
 * the embedded engine (one connection), where the caller does the work in `trx` itself. Returns once
 * the snapshot is imported, with the work still running.
 */
export async function onSharedSnapshot<T>(
  db: Knex,
  trx: Knex.Transaction,
  work: (other: Knex.Transaction) => Promise<T>,
): Promise<{result: Promise<T>} | null> {
  const config = (db.client as {config?: {client?: unknown; pool?: {max?: number}}}).config
  // A pool of one connection (a library user's knex) would wait for the connection trx holds.
  if (config?.client !== 'pg' || (config.pool?.max ?? 2) < 2) return null
  const exported = await queryOne<{id: string}>(trx, `select pg_export_snapshot() as id`)
  // Imported before its first query, while trx (which keeps the snapshot alive) waits for it.
  let imported!: () => void
  const ready = new Promise<void>((resolve) => (imported = resolve))
  const result = db.transaction(
    async (other) => {
      try {
        await other.raw(`set transaction snapshot '${exported!.id}'`)
      } finally {
        imported()
      }
      await useBulkMemory(other)
      await query(other, `select set_config('jit', 'off', true)`)
      return work(other)
    },
    {isolationLevel: 'repeatable read', readOnly: true},
  )
  result.catch(() => {})
  await Promise.race([ready, result])
  return {result}
}
