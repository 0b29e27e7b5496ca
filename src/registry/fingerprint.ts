import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import {byCodePoint} from '../collections.js'
import {SNAPSHOT_COLUMNS, type SnapshotScope} from './snapshot.js'
import {query} from './sql.js'

export interface Fingerprint {
  /** sha256 per table over the rows read, and a short hash per `table/unit` group, to name what changed. */
  tables: Record<string, string>
  groups: Record<string, string>
  rows: number
}

/**
 * What a planner looked up beyond the units of its mappings: the level-1 codes whose identifier codes it
 * read, the usernames (`system/username`) and addresses it might have chosen, and the accounts whose
 * personal mailboxes it read (`system/username`). Each list sorted.
 */
export interface ExtraReads {
  level1: string[]
  usernames: string[]
  addresses: string[]
  owners: string[]
}

/**
 * The fingerprint of every registry row a plan read, computed by the database: per table and per
 * `table/unit` group, the row count and two sums of 60-bit slices of each row's md5, so that apply can
 * check the registry has not changed since the plan without reading a million rows into memory or planning
 * again. Sums do not depend on row order. The rows are those the planner reads (src/plan/snapshot.ts):
 * the units in the mappings' scope and what hangs on them, the identifier codes under the level-1 codes in
 * play, and the names and personal mailboxes phase two looked up (`reads`). The columns hashed are the
 * snapshot's (SNAPSHOT_COLUMNS), so that a change the planner could see is a change the fingerprint sees.
 */
export async function readFingerprint(
  db: Knex,
  scopes: SnapshotScope[],
  reads: ExtraReads,
): Promise<Fingerprint> {
  return fingerprintOf([...(await scopeSums(db, scopes)), ...(await readSums(db, scopes, reads))])
}

/**
 * The fingerprint in two statements that may run on two connections sharing one snapshot: the rows of
 * the units in scope (the bulk: a million accounts; known before planning starts, so a plan computes it
 * while it reads and plans) and the rows the planner's extra reads name. Their groups are disjoint.
 */
export async function splitFingerprint(
  scopeSums: Promise<GroupSum[]>,
  readSums: Promise<GroupSum[]>,
): Promise<Fingerprint> {
  const [scope, extra] = await Promise.all([scopeSums, readSums])
  return fingerprintOf([...scope, ...extra])
}

const scopeCodes = (scopes: SnapshotScope[]) => [
  [...new Set(scopes.flatMap((s) => s.unitCodes))].sort(),
  [...new Set(scopes.flatMap((s) => s.provinceCodes))].sort(),
]

// The units in scope (u) and their agencies (g).
const SCOPE_CTES = `u as (
       select ${SNAPSHOT_COLUMNS.units.join(', ')} from units
       where code in (select unnest(?::text[])) or parent_code in (select unnest(?::text[]))
          or parent_code in (select code from units where parent_code = any(?::text[]))),
     g as (
       select ${SNAPSHOT_COLUMNS.agencies.join(', ')} from agencies
       where unit_code in (select code from u))`

/** Per `table/unit` of the units in scope: their rows and everything hanging on their agencies. */
export function scopeSums(db: Knex, scopes: SnapshotScope[]): Promise<GroupSum[]> {
  const [unitCodes, provinceCodes] = scopeCodes(scopes)
  return query<GroupSum>(
    db,
    `with ${SCOPE_CTES},
     m as (
       select ${columns('mailboxes', 'm')}, g.unit_code as unit
       from mailboxes m join g on g.id = m.owner_agency_id),
     rows as (
       select 'units' as t, code as unit, ${rowHash('units')} as h from u
       union all
       select 'agencies', unit_code, ${rowHash('agencies')} from g
       union all
       select 'accounts', g.unit_code, ${rowHash('accounts', 'a')}
       from accounts a join g on g.id = a.agency_id where a.status = 'active'
       union all
       select 'mailboxes', unit, ${rowHash('mailboxes')} from m
       union all
       select 'mailbox_aliases', m.unit, ${rowHash('mailbox_aliases', 'al')}
       from mailbox_aliases al join m on m.address = al.mailbox_address
       union all
       select 'endpoints', g.unit_code, ${rowHash('endpoints', 'e')}
       from endpoints e join g on g.id = e.agency_id
       union all
       select 'identifier_codes', g.unit_code, ${rowHash('identifier_codes', 'c')}
       from identifier_codes c join g on g.id = c.agency_id)
     ${SUMS}`,
    [unitCodes, unitCodes, provinceCodes],
  )
}

/**
 * The rows the extra reads name: identifier codes under the level-1 codes held by no agency in scope,
 * the personal mailboxes of the owners read, and the candidate names found taken.
 */
export function readSums(db: Knex, scopes: SnapshotScope[], reads: ExtraReads): Promise<GroupSum[]> {
  const [unitCodes, provinceCodes] = scopeCodes(scopes)
  const bySystem = (names: string[]) => [
    names.map((n) => n.split('/')[0]),
    names.map((n) => n.slice(n.indexOf('/') + 1)),
  ]
  const [ownerSystems, ownerUsernames] = bySystem(reads.owners)
  const [candidateSystems, candidateUsernames] = bySystem(reads.usernames)
  return query<GroupSum>(
    db,
    `with ${SCOPE_CTES},
     o as (
       select w.system, w.username, coalesce(g.unit_code, '-') as unit
       from unnest(?::text[], ?::text[]) w(system, username)
       left join accounts a on a.system = w.system and a.username = w.username
       left join g on g.id = a.agency_id),
     rows as (
       select 'identifier_codes' as t, '-' as unit, ${rowHash('identifier_codes', 'c')} as h
       from identifier_codes c left join g on g.id = c.agency_id
       where g.id is null and right(c.code, 3) = any(?::text[])
       union all
       select 'personal_mailboxes', o.unit, ${rowHash('mailboxes', 'p')}
       from mailboxes p join o on o.system = p.owner_system and o.username = p.owner_username
       union all
       select 'taken', '-', md5(a.system || '/' || a.username) from accounts a
       join unnest(?::text[], ?::text[]) c(system, username) on c.system = a.system and c.username = a.username
       union all
       select 'taken', '-', md5(x.address) from (
         select address from mailboxes where address = any(?::text[])
         union select alias from mailbox_aliases where alias = any(?::text[])) x)
     ${SUMS}`,
    [
      unitCodes,
      unitCodes,
      provinceCodes,
      ownerSystems,
      ownerUsernames,
      reads.level1,
      candidateSystems,
      candidateUsernames,
      reads.addresses,
      reads.addresses,
    ],
  )
}

// Per group: the row count and two sums of 60-bit slices of the rows' md5.
const SUMS = `select t, unit, count(*)::int as n,
            sum(('x' || substr(h, 1, 15))::bit(60)::bigint)::text as s1,
            sum(('x' || substr(h, 16, 15))::bit(60)::bigint)::text as s2
     from rows group by t, unit`

export interface GroupSum {
  t: string
  unit: string
  n: number
  s1: string
  s2: string
}

/** A table's snapshot columns, qualified by `alias` if given. */
function columns(table: keyof typeof SNAPSHOT_COLUMNS, alias?: string): string {
  return SNAPSHOT_COLUMNS[table].map((c) => (alias ? `${alias}.${c}` : c)).join(', ')
}

/** md5 of a row's snapshot columns; NULL spelled apart from any text (registry text has no control characters). */
function rowHash(table: keyof typeof SNAPSHOT_COLUMNS, alias?: string): string {
  const values = columns(table, alias)
    .split(', ')
    .map((c) => `coalesce(${c}::text, E'\\x1d')`)
  return `md5(concat_ws(E'\\x1f', ${values.join(', ')}))`
}

function fingerprintOf(groups: GroupSum[]): Fingerprint {
  groups.sort((a, b) => byCodePoint(a.t, b.t) || byCodePoint(a.unit, b.unit))
  const tables: Record<string, string> = {}
  const group: Record<string, string> = {}
  const tableHash = new Map<string, ReturnType<typeof createHash>>()
  let rows = 0
  for (const g of groups) {
    const line = `${g.unit} ${g.n} ${g.s1} ${g.s2}\n`
    let h = tableHash.get(g.t)
    if (!h) tableHash.set(g.t, (h = createHash('sha256')))
    h.update(line)
    group[`${g.t}/${g.unit}`] = `sha256:${createHash('sha256').update(line).digest('hex').slice(0, 16)}`
    rows += g.n
  }
  for (const [t, h] of tableHash) tables[t] = `sha256:${h.digest('hex')}`
  return {tables, groups: group, rows}
}
