import type {Knex} from 'knex'
import {execute, query} from './sql.js'

/**
 * `sync ldap`'s bookkeeping: which steps of a run's directory change list have been carried into which
 * directory, in which direction. Like runs and journal it is history, not registry content: the digest
 * does not read it, so syncing changes neither `registry digest` nor what a rollback restores.
 */

export type SyncDirection = 'apply' | 'revert'

export interface SyncKey {
  run: number
  direction: SyncDirection
  /** The directory's identity: host, port and base DN (`127.0.0.1:389/dc=ninhbinh,dc=gov,dc=vn`). */
  directory: string
}

/** The steps already recorded, by number, with the DN each was recorded for. */
export async function syncedSteps(db: Knex, k: SyncKey): Promise<Map<number, string>> {
  const rows = await query<{seq: number; dn: string}>(
    db,
    `select seq, dn from directory_sync where run_id = ? and direction = ? and directory = ?`,
    [k.run, k.direction, k.directory],
  )
  return new Map(rows.map((r) => [Number(r.seq), r.dn]))
}

/** Record steps as done: one statement per batch; a step recorded twice (a resumed sync) stays as it was. */
export async function recordSteps(
  db: Knex,
  k: SyncKey,
  steps: ReadonlyArray<{seq: number; dn: string}>,
): Promise<void> {
  if (steps.length === 0) return
  await execute(
    db,
    `insert into directory_sync (run_id, direction, directory, seq, dn)
     select ?, ?, ?, s.seq, s.dn from unnest(?::integer[], ?::text[]) as s(seq, dn)
     on conflict do nothing`,
    [k.run, k.direction, k.directory, steps.map((s) => s.seq), steps.map((s) => s.dn)],
  )
}

/** Counts of recorded steps per direction for a run and directory (what `--revert` checks first). */
export async function syncCounts(
  db: Knex,
  run: number,
  directory: string,
): Promise<Record<SyncDirection, number>> {
  const rows = await query<{direction: SyncDirection; n: string | number}>(
    db,
    `select direction, count(*) as n from directory_sync where run_id = ? and directory = ? group by direction`,
    [run, directory],
  )
  const out: Record<SyncDirection, number> = {apply: 0, revert: 0}
  for (const r of rows) out[r.direction] = Number(r.n)
  return out
}

/** A single-sign-on account as the directory shows it: its holder, role, agency and the agency's unit. */
export interface SsoAccountRow {
  username: string
  holder: string
  role: string
  status: string
  agency_id: string
  agency_name: string
  identifier_code: string | null
  unit_code: string
  unit_name: string
}

/** The registry's single-sign-on accounts (those named, or all), with their agency and unit: one statement. */
export function readSsoAccounts(db: Knex, usernames?: readonly string[]): Promise<SsoAccountRow[]> {
  return query<SsoAccountRow>(
    db,
    `select a.username, a.holder, a.role, a.status, a.agency_id, g.name as agency_name, g.identifier_code,
            g.unit_code, u.name as unit_name
     from accounts a join agencies g on g.id = a.agency_id join units u on u.code = g.unit_code
     where a.system = 'sso' ${usernames ? 'and a.username = any(?::text[])' : ''}
     order by a.username`,
    usernames ? [usernames] : [],
  )
}

/** Units by code, with their names (a code the registry does not have is left out). */
export function readUnitNames(
  db: Knex,
  codes: readonly string[],
): Promise<Array<{code: string; name: string}>> {
  return query(db, `select code, name from units where code = any(?::text[]) order by code`, [codes])
}

/** A mailbox as the directory shows it: its display name, kind, owner agency, status and aliases. */
export interface MailboxDirectoryRow {
  address: string
  display_name: string
  kind: string
  owner_agency_id: string | null
  status: string
  aliases: string[]
}

/** The registry's mailboxes (those named, or all), each with its aliases: one statement. */
export async function readMailboxes(db: Knex, addresses?: readonly string[]): Promise<MailboxDirectoryRow[]> {
  const rows = await query<Omit<MailboxDirectoryRow, 'aliases'> & {aliases: string[] | string | null}>(
    db,
    `select m.address, m.display_name, m.kind, m.owner_agency_id, m.status,
            array_agg(a.alias order by a.alias) filter (where a.alias is not null) as aliases
     from mailboxes m left join mailbox_aliases a on a.mailbox_address = m.address
     ${addresses ? 'where m.address = any(?::text[])' : ''}
     group by m.address order by m.address`,
    addresses ? [addresses] : [],
  )
  return rows.map((r) => ({...r, aliases: Array.isArray(r.aliases) ? r.aliases : []}))
}
