import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import type {PlanMapping} from './input.js'
import {byText, snapshotScope} from './snapshot.js'
import type {Fingerprint, PlanReads} from './types.js'

/**
 * The fingerprint of every registry row a plan read, computed by the database: per table and per
 * `table/unit` group, the row count and two sums of 60-bit slices of each row's md5, so that apply can
 * check the registry has not changed since the plan without reading a million rows into memory or planning
 * again. Sums do not depend on row order. The rows are those the planner reads (src/plan/snapshot.ts):
 * the units in the mappings' scope and what hangs on them, the identifier codes under the level-1 codes in
 * play, and the names and personal mailboxes phase two looked up (`reads`).
 */
export async function readFingerprint(
  db: Knex,
  mappings: PlanMapping[],
  reads: PlanReads,
): Promise<Fingerprint> {
  const scopes = mappings.map(snapshotScope)
  const unitCodes = [...new Set(scopes.flatMap((s) => s.unitCodes))].sort()
  const abolishIn = [
    ...new Set(scopes.filter((s) => s.abolishDistricts).flatMap((s) => s.provinceCodes)),
  ].sort()
  const bySystem = (names: string[]) => [
    names.map((n) => n.split('/')[0]),
    names.map((n) => n.slice(n.indexOf('/') + 1)),
  ]
  const [ownerSystems, ownerUsernames] = bySystem(reads.owners)
  const [candidateSystems, candidateUsernames] = bySystem(reads.usernames)
  const {rows} = await db.raw(
    `with u as (
       select code, name, type, level, parent_code, status from units
       where code in (select unnest(?::text[])) or parent_code in (select unnest(?::text[]))
          or parent_code in (select code from units where parent_code = any(?::text[]))),
     g as (
       select id, unit_code, kind, name, identifier_code, parent_id, status, successor_id from agencies
       where unit_code in (select code from u)),
     m as (
       select m.address, m.display_name, m.kind, m.owner_agency_id, m.owner_system, m.owner_username, m.status,
              g.unit_code as unit
       from mailboxes m join g on g.id = m.owner_agency_id),
     o as (
       select w.system, w.username, coalesce(g.unit_code, '-') as unit
       from unnest(?::text[], ?::text[]) w(system, username)
       left join accounts a on a.system = w.system and a.username = w.username
       left join g on g.id = a.agency_id),
     rows as (
       select 'units' as t, code as unit, ${rowHash(['code', 'name', 'type', 'level', 'parent_code', 'status'])} as h from u
       union all
       select 'agencies', unit_code, ${rowHash(['id', 'unit_code', 'kind', 'name', 'identifier_code', 'parent_id', 'status', 'successor_id'])} from g
       union all
       select 'accounts', g.unit_code, ${rowHash(['a.system', 'a.username', 'a.holder', 'a.agency_id', 'a.role', 'a.status', 'a.reason', 'a.successor_username'])}
       from accounts a join g on g.id = a.agency_id where a.status = 'active'
       union all
       select 'mailboxes', unit, ${rowHash(['address', 'display_name', 'kind', 'owner_agency_id', 'owner_system', 'owner_username', 'status'])} from m
       union all
       select 'mailbox_aliases', m.unit, ${rowHash(['al.alias', 'al.mailbox_address', 'al.valid_until'])}
       from mailbox_aliases al join m on m.address = al.mailbox_address
       union all
       select 'endpoints', g.unit_code, ${rowHash(['e.axis', 'e.agency_code', 'e.parent_code', 'e.agency_id', 'e.name', 'e.mail', 'e.status'])}
       from endpoints e join g on g.id = e.agency_id
       union all
       select 'identifier_codes', coalesce(g.unit_code, '-'), ${rowHash(['c.code', 'c.agency_id', 'c.status', 'c.issued_on', 'c.stopped_on'])}
       from identifier_codes c left join g on g.id = c.agency_id
       where g.id is not null or right(c.code, 3) = any(?::text[])
       union all
       select 'personal_mailboxes', o.unit, ${rowHash(['p.address', 'p.display_name', 'p.kind', 'p.owner_agency_id', 'p.owner_system', 'p.owner_username', 'p.status'])}
       from mailboxes p join o on o.system = p.owner_system and o.username = p.owner_username
       union all
       select 'taken', '-', md5(a.system || '/' || a.username) from accounts a
       join unnest(?::text[], ?::text[]) c(system, username) on c.system = a.system and c.username = a.username
       union all
       select 'taken', '-', md5(x.address) from (
         select address from mailboxes where address = any(?::text[])
         union select alias from mailbox_aliases where alias = any(?::text[])) x)
     select t, unit, count(*)::int as n,
            sum(('x' || substr(h, 1, 15))::bit(60)::bigint)::text as s1,
            sum(('x' || substr(h, 16, 15))::bit(60)::bigint)::text as s2
     from rows group by t, unit`,
    [
      unitCodes,
      unitCodes,
      abolishIn,
      ownerSystems,
      ownerUsernames,
      reads.level1,
      candidateSystems,
      candidateUsernames,
      reads.addresses,
      reads.addresses,
    ] as any,
  )
  return fingerprintOf(rows as GroupSum[])
}

interface GroupSum {
  t: string
  unit: string
  n: number
  s1: string
  s2: string
}

/** md5 of a row's columns; NULL spelled apart from any text (registry text has no control characters). */
function rowHash(columns: string[]): string {
  return `md5(concat_ws(E'\\x1f', ${columns.map((c) => `coalesce(${c}::text, E'\\x1d')`).join(', ')}))`
}

function fingerprintOf(groups: GroupSum[]): Fingerprint {
  groups.sort((a, b) => byText(a.t, b.t) || byText(a.unit, b.unit))
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
