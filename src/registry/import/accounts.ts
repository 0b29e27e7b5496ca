import type {Knex} from 'knex'
import {z} from 'zod'
import {InputError} from '../../errors.js'
import {refreshStatistics, type Registry} from '../db.js'
import {
  Problems,
  SYSTEMS,
  agencyId,
  checkDuplicates,
  checkReferences,
  columnsOf,
  existingKeys,
  oneOf,
  readExport,
  slug,
  system,
  text,
  withUnchanged,
  type ImportResult,
  type System,
} from './records.js'
import {upsertRows, type UpsertColumn} from './upsert.js'

export const ACCOUNT_COLUMNS = {
  required: ['username', 'holder', 'agency_id', 'role'],
  optional: ['system', 'status', 'reason', 'successor_username'],
} as const

export const username = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/, {
  error: (iss) =>
    `${JSON.stringify(iss.input)} is not a username (letters, digits, '.', '_', '@', '+', '-'; no spaces; at most 100 characters)`,
})

const schema = z.object({
  system,
  username,
  holder: text,
  agency_id: agencyId,
  role: slug('role'),
  status: oneOf(['active', 'disabled']).nullable(),
  reason: text.nullable(),
  successor_username: username.nullable(),
})
type AccountRecord = z.infer<typeof schema>

const COLUMNS: (UpsertColumn & {get: (a: AccountRecord) => unknown})[] = [
  {name: 'system', type: 'text', get: (a) => a.system},
  {name: 'username', type: 'text', get: (a) => a.username},
  {name: 'holder', type: 'text', get: (a) => a.holder},
  {name: 'agency_id', type: 'text', get: (a) => a.agency_id},
  {name: 'role', type: 'text', get: (a) => a.role},
  {name: 'status', type: 'text', get: (a) => a.status ?? 'active'},
  {name: 'reason', type: 'text', get: (a) => a.reason},
  {name: 'successor_username', type: 'text', get: (a) => a.successor_username},
]

export const accountKey = (system: string, username: string) => `${system}\t${username}`

/** Which (system, username) pairs are in the registry. */
export async function existingAccounts(trx: Knex.Transaction, keys: Iterable<string>): Promise<Set<string>> {
  const all = [...new Set(keys)]
  const found = new Set<string>()
  for (let i = 0; i < all.length; i += 20_000) {
    const pairs = all.slice(i, i + 20_000).map((k) => k.split('\t'))
    const {rows} = await trx.raw(
      `select a.system, a.username from accounts a
       join unnest(?::text[], ?::text[]) as x(system, username) on a.system = x.system and a.username = x.username`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    )
    for (const r of rows) found.add(accountKey(r.system, r.username))
  }
  return found
}

/**
 * Import an account export: upsert by (system, username). `system` names the system per row; a
 * single-system export can leave the column out and pass it as `system` (the `--system` flag), which
 * also fills empty cells and refuses rows of another system.
 */
export async function importAccounts(
  registry: Registry,
  file: string,
  opts: {system?: string} = {},
): Promise<ImportResult> {
  if (opts.system !== undefined && !(SYSTEMS as readonly string[]).includes(opts.system))
    throw new InputError(file, 1, `--system ${opts.system} is not a system (${SYSTEMS.join(', ')})`)
  const only = opts.system as System | undefined
  const problems = new Problems(file)
  const {present, records} = await readExport(file, ACCOUNT_COLUMNS, schema, problems, {
    fill: only ? {system: only} : {},
  })
  if (!present.has('system') && !only)
    throw new InputError(file, 1, 'missing column "system" (or pass --system for a single-system export)')
  if (only)
    for (const {line, value} of records)
      if (value.system !== only)
        problems.add(line, `column "system": ${value.system}, but --system ${only} was given`)
  checkDuplicates(
    problems,
    records,
    (a) => accountKey(a.system, a.username),
    (a) => `account ${a.system}:${a.username}`,
  )
  for (const {line, value} of records)
    if (value.successor_username === value.username)
      problems.add(
        line,
        `column "successor_username": account ${value.system}:${value.username} cannot succeed itself`,
      )

  const result = await registry.db.transaction(async (trx) => {
    const agencies = await existingKeys(
      trx,
      'agencies',
      'id',
      records.map((r) => r.value.agency_id),
    )
    checkReferences(
      problems,
      records,
      (a) => a.agency_id,
      (k) => agencies.has(k),
      (a) => `column "agency_id": agency ${a.agency_id} is not in the registry`,
    )

    const inFile = new Set(records.map((r) => accountKey(r.value.system, r.value.username)))
    const successorKey = (a: AccountRecord) =>
      a.successor_username ? accountKey(a.system, a.successor_username) : null
    const successors = await existingAccounts(
      trx,
      records.map((r) => successorKey(r.value)).filter((k): k is string => k !== null && !inFile.has(k)),
    )
    checkReferences(
      problems,
      records,
      successorKey,
      (k) => inFile.has(k) || successors.has(k),
      (a) =>
        `column "successor_username": account ${a.system}:${a.successor_username} is neither in the file nor in the registry`,
    )
    problems.throwIfAny()

    const counts = await upsertRows(
      trx,
      {
        table: 'accounts',
        columns: COLUMNS,
        key: ['system', 'username'],
        update: COLUMNS.map((c) => c.name).filter(
          (c) => c !== 'system' && c !== 'username' && present.has(c),
        ),
      },
      columnsOf(
        records,
        COLUMNS.map((c) => c.get),
      ),
    )
    return withUnchanged({file, table: 'accounts', rows: records.length}, counts)
  })
  await refreshStatistics(registry.db)
  return result
}
