import type {Knex} from 'knex'
import {query} from '../sql.js'
import type {RegistryCheck} from './export-format.js'

/**
 * The registry's invariants (those `verify` checks) as imports must keep them: checked after the rows are
 * written, inside the import's transaction, on the rows of the file, so that the registry with the file
 * in it is what is judged (two rows of one file, or a row and one already there). A violation is a
 * problem on the row's line; the transaction then rolls back and nothing is written.
 */

type Check<R> = RegistryCheck<R>

/** Lines of the file's records by a key made from the record. */
function linesBy<R>(records: Check<R>['records'], key: (r: R) => string): Map<string, number> {
  return new Map(records.map((r) => [key(r.value), r.line]))
}

/** Agencies: none retired while active accounts or mailboxes are on it; no agency its own ancestor. */
export async function agencyInvariants(
  trx: Knex.Transaction,
  {records, problems}: Check<{id: string}>,
): Promise<void> {
  const lines = linesBy(records, (a) => a.id)
  const ids = [...lines.keys()]
  const busy = await query<{id: string; accounts: number; mailboxes: number}>(
    trx,
    `select a.id,
            (select count(*) from accounts c where c.agency_id = a.id and c.status = 'active')::int as accounts,
            (select count(*) from mailboxes m where m.owner_agency_id = a.id and m.status = 'active')::int as mailboxes
     from agencies a where a.id = any(?::text[]) and a.status = 'retired'`,
    [ids],
  )
  for (const b of busy) {
    const held = [
      b.accounts > 0 ? `${b.accounts} active account(s)` : '',
      b.mailboxes > 0 ? `${b.mailboxes} active mailbox(es)` : '',
    ].filter(Boolean)
    if (held.length > 0)
      problems.add(
        lines.get(b.id)!,
        `column "status": agency ${b.id} is retired but still has ${held.join(' and ')}; disable or move them first`,
      )
  }
  // Follow each parent chain; a chain that comes back to where it started is a cycle.
  const cycles = await query<{id: string; chain: string[]}>(
    trx,
    `with recursive up(start, id, chain) as (
       select id, parent_id, array[id] from agencies where id = any(?::text[]) and parent_id is not null
       union all
       select u.start, a.parent_id, u.chain || u.id
       from up u join agencies a on a.id = u.id
       where a.parent_id is not null and u.id <> u.start and not u.id = any(u.chain))
     select start as id, chain || id as chain from up where id = start`,
    [ids],
  )
  for (const c of cycles)
    problems.add(
      lines.get(c.id)!,
      `column "parent_id": agency ${c.id} would be its own ancestor (${c.chain.join(' → ')})`,
    )
}

/** Accounts: no active account on a retired agency or unit; no two usernames of a system differing only in case. */
export async function accountInvariants(
  trx: Knex.Transaction,
  {records, problems}: Check<{system: string; username: string}>,
): Promise<void> {
  const key = (a: {system: string; username: string}) => `${a.system}\t${a.username}`
  const lines = linesBy(records, key)
  const systems = records.map((r) => r.value.system)
  const usernames = records.map((r) => r.value.username)
  const onRetired = await query<{system: string; username: string; agency_id: string; unit: boolean}>(
    trx,
    `select c.system, c.username, c.agency_id, a.status = 'active' as unit
     from unnest(?::text[], ?::text[]) f(system, username)
     join accounts c on c.system = f.system and c.username = f.username and c.status = 'active'
     join agencies a on a.id = c.agency_id
     join units u on u.code = a.unit_code
     where a.status = 'retired' or u.status = 'retired'`,
    [systems, usernames],
  )
  for (const r of onRetired)
    problems.add(
      lines.get(key(r))!,
      `column "status": account ${r.system}:${r.username} is active on ${r.unit ? 'the retired unit of agency' : 'retired agency'} ${r.agency_id}; disable it or give it an active agency`,
    )
  const twins = await query<{system: string; username: string; other: string}>(
    trx,
    `select f.system, f.username, o.username as other
     from unnest(?::text[], ?::text[]) f(system, username)
     join accounts o on o.system = f.system and lower(o.username) = lower(f.username) and o.username <> f.username
     order by 1, 2, 3`,
    [systems, usernames],
  )
  for (const t of twins)
    problems.add(
      lines.get(key(t))!,
      `column "username": ${t.username} differs only in case from ${t.system}:${t.other}; a system's usernames are unique whatever the case`,
    )
}

/** Mailboxes: no active mailbox of a retired agency. */
export async function mailboxInvariants(
  trx: Knex.Transaction,
  {records, problems}: Check<{address: string}>,
): Promise<void> {
  const lines = linesBy(records, (m) => m.address)
  const rows = await query<{address: string; agency: string}>(
    trx,
    `select m.address, a.id as agency from mailboxes m join agencies a on a.id = m.owner_agency_id
     where m.address = any(?::text[]) and m.status = 'active' and a.status = 'retired'`,
    [[...lines.keys()]],
  )
  for (const r of rows)
    problems.add(
      lines.get(r.address)!,
      `column "status": mailbox ${r.address} is active but its agency ${r.agency} is retired; suspend it or give it an active agency`,
    )
}
