import {z} from 'zod'
import {InputError} from '../../errors.js'
import {ADDRESS_PATTERN} from '../vocabulary.js'
import {refreshStatistics, type Registry} from '../db.js'
import {accountKey, existingAccounts, username} from './accounts.js'
import {
  Problems,
  SYSTEMS,
  address,
  agencyId,
  checkReferences,
  checkDuplicates,
  columnsOf,
  existingKeys,
  oneOf,
  readExport,
  system,
  text,
  withUnchanged,
  type ImportResult,
} from './records.js'
import {upsertRows, type UpsertColumn} from './upsert.js'

export const MAILBOX_COLUMNS = {
  required: ['address', 'display_name', 'kind'],
  optional: ['owner_agency_id', 'owner_system', 'owner_username', 'status', 'aliases'],
} as const

const aliases = z
  .string()
  .transform((s) => [
    ...new Set(
      s
        .split(';')
        .map((a) => a.trim().toLowerCase())
        .filter((a) => a !== ''),
    ),
  ])
  .pipe(
    z.array(z.string()).refine((list) => list.every((a) => ADDRESS_PATTERN.test(a)), {
      error: (iss) =>
        `lists ${JSON.stringify((iss.input as string[]).find((a) => !ADDRESS_PATTERN.test(a)))}, which is not a mail address (aliases are separated by ';')`,
    }),
  )

const object = z
  .object({
    address,
    display_name: text,
    kind: oneOf(['official', 'personal']),
    owner_agency_id: agencyId.nullable(),
    owner_system: system.nullable(),
    owner_username: username.nullable(),
    status: oneOf(['active', 'suspended']).nullable(),
    aliases: aliases.nullable(),
  })
  .superRefine((m, ctx) => {
    if (m.owner_system !== null && m.owner_username === null)
      ctx.addIssue({code: 'custom', path: ['owner_username'], message: 'is empty but owner_system is set'})
    else if (m.owner_username !== null && m.owner_system === null)
      ctx.addIssue({
        code: 'custom',
        path: ['owner_system'],
        message: 'is empty but owner_username is set (or pass --system)',
      })
    else if (m.kind === 'official' && m.owner_agency_id === null)
      ctx.addIssue({
        code: 'custom',
        path: ['owner_agency_id'],
        message: 'is empty: an official mailbox belongs to an agency',
      })
    else if (m.kind === 'personal' && m.owner_username === null)
      ctx.addIssue({
        code: 'custom',
        path: ['owner_username'],
        message: 'is empty: a personal mailbox belongs to an account',
      })
    else if (m.aliases?.includes(m.address))
      ctx.addIssue({
        code: 'custom',
        path: ['aliases'],
        message: `lists the mailbox's own address ${m.address}`,
      })
  })
type MailboxRecord = z.infer<typeof object>

/** `--system S` fills the owner's system where a row names an owner account but not its system. */
const schemaFor = (only: string | undefined) =>
  only === undefined
    ? object
    : z.preprocess((row) => {
        const r = row as Record<string, string | null>
        return r.owner_username !== null && r.owner_system === null ? {...r, owner_system: only} : r
      }, object)

export interface ImportMailboxesResult extends ImportResult {
  /** Alias rows inserted or re-pointed to the mailbox the file gives them. */
  aliasesWritten: number
}

const COLUMNS: (UpsertColumn & {get: (m: MailboxRecord) => unknown})[] = [
  {name: 'address', type: 'text', get: (m) => m.address},
  {name: 'display_name', type: 'text', get: (m) => m.display_name},
  {name: 'kind', type: 'text', get: (m) => m.kind},
  {name: 'owner_agency_id', type: 'text', get: (m) => m.owner_agency_id},
  {name: 'owner_system', type: 'text', get: (m) => m.owner_system},
  {name: 'owner_username', type: 'text', get: (m) => m.owner_username},
  {name: 'status', type: 'text', get: (m) => m.status ?? 'active'},
]

/**
 * Import a mailbox export: upsert by address (stored in lower case); `aliases` (separated by ';') are
 * added to the mailbox or re-pointed to it. Aliases the file does not list are kept: import never deletes.
 */
export async function importMailboxes(
  registry: Registry,
  file: string,
  opts: {system?: string} = {},
): Promise<ImportMailboxesResult> {
  if (opts.system !== undefined && !(SYSTEMS as readonly string[]).includes(opts.system))
    throw new InputError(file, 1, `--system ${opts.system} is not a system (${SYSTEMS.join(', ')})`)
  const problems = new Problems(file)
  const {present, records} = await readExport(file, MAILBOX_COLUMNS, schemaFor(opts.system), problems)
  if (opts.system !== undefined)
    for (const {line, value} of records)
      if (value.owner_system !== null && value.owner_system !== opts.system)
        problems.add(
          line,
          `column "owner_system": ${value.owner_system}, but --system ${opts.system} was given`,
        )
  checkDuplicates(
    problems,
    records,
    (m) => m.address,
    (m) => `mailbox ${m.address}`,
  )
  const aliasLines = records.flatMap(({line, value}) =>
    (value.aliases ?? []).map((alias) => ({line, value: {alias}})),
  )
  checkDuplicates(
    problems,
    aliasLines,
    (a) => a.alias,
    (a) => `alias ${a.alias}`,
  )
  const addresses = new Set(records.map((r) => r.value.address))
  checkReferences(
    problems,
    aliasLines,
    (a) => a.alias,
    (k) => !addresses.has(k),
    (a) => `column "aliases": ${a.alias} is a mailbox address in this file`,
  )

  const result = await registry.db.transaction(async (trx) => {
    const agencies = await existingKeys(
      trx,
      'agencies',
      'id',
      records.flatMap((r) => r.value.owner_agency_id ?? []),
    )
    checkReferences(
      problems,
      records,
      (m) => m.owner_agency_id,
      (k) => agencies.has(k),
      (m) => `column "owner_agency_id": agency ${m.owner_agency_id} is not in the registry`,
    )
    const ownerKey = (m: MailboxRecord) =>
      m.owner_username && m.owner_system ? accountKey(m.owner_system, m.owner_username) : null
    const accounts = await existingAccounts(
      trx,
      records.flatMap((r) => ownerKey(r.value) ?? []),
    )
    checkReferences(
      problems,
      records,
      ownerKey,
      (k) => accounts.has(k),
      (m) => `column "owner_username": account ${m.owner_system}:${m.owner_username} is not in the registry`,
    )
    const mailboxAddresses = await existingKeys(
      trx,
      'mailboxes',
      'address',
      aliasLines.map((a) => a.value.alias),
    )
    checkReferences(
      problems,
      aliasLines,
      (a) => a.alias,
      (k) => !mailboxAddresses.has(k),
      (a) => `column "aliases": ${a.alias} is the address of a mailbox in the registry`,
    )
    const aliasAsAddress = await existingKeys(trx, 'mailbox_aliases', 'alias', addresses)
    checkReferences(
      problems,
      records,
      (m) => m.address,
      (k) => !aliasAsAddress.has(k),
      (m) => `column "address": ${m.address} is an alias in the registry`,
    )
    problems.throwIfAny()

    const counts = await upsertRows(
      trx,
      {
        table: 'mailboxes',
        columns: COLUMNS,
        key: ['address'],
        update: COLUMNS.map((c) => c.name).filter(
          (c) => c !== 'address' && (present.has(c) || (c === 'owner_system' && opts.system !== undefined)),
        ),
      },
      columnsOf(
        records,
        COLUMNS.map((c) => c.get),
      ),
    )
    const aliasRows = records.flatMap((r) =>
      (r.value.aliases ?? []).map((alias) => ({alias, mailbox: r.value.address})),
    )
    const aliasCounts = await upsertRows(
      trx,
      {
        table: 'mailbox_aliases',
        columns: [
          {name: 'alias', type: 'text'},
          {name: 'mailbox_address', type: 'text'},
        ],
        key: ['alias'],
      },
      [aliasRows.map((a) => a.alias), aliasRows.map((a) => a.mailbox)],
    )
    return {
      ...withUnchanged({file, table: 'mailboxes', rows: records.length}, counts),
      aliasesWritten: aliasCounts.inserted + aliasCounts.updated,
    }
  })
  await refreshStatistics(registry.db)
  return result
}
