import type {Registry} from '../db.js'
import {MAILBOX_KINDS, MAILBOX_STATUSES} from '../vocabulary.js'
import {defineExport, keyOf, optional, required, type ImportResult} from './export-format.js'
import {address, addressList, agencyId, oneOf, system, text, username} from './fields.js'
import {importExport} from './import-export.js'
import {mailboxInvariants} from './invariants.js'

/**
 * Mailboxes, key `address` (stored in lower case). `aliases` (separated by ';') are added to the mailbox
 * or re-pointed to it; aliases the file does not list are kept: import never deletes.
 */
export const mailboxesExport = defineExport({
  table: 'mailboxes',
  columns: {
    address: required(address),
    display_name: required(text),
    kind: required(oneOf(MAILBOX_KINDS)),
    owner_agency_id: optional(agencyId),
    owner_system: optional(system),
    owner_username: optional(username),
    status: optional(oneOf(MAILBOX_STATUSES), {default: 'active'}),
    aliases: optional(addressList, {stored: false}),
  },
  systemOption: {
    column: 'owner_system',
    fills: (row) => row.owner_username !== null,
    help: 'System of the owner accounts (fills an empty owner_system where owner_username is given)',
  },
  rowRule: (m) =>
    m.owner_system !== null && m.owner_username === null
      ? {column: 'owner_username', message: 'is empty but owner_system is set'}
      : m.owner_username !== null && m.owner_system === null
        ? {column: 'owner_system', message: 'is empty but owner_username is set (or pass --system)'}
        : m.kind === 'official' && m.owner_agency_id === null
          ? {column: 'owner_agency_id', message: 'is empty: an official mailbox belongs to an agency'}
          : m.kind === 'personal' && m.owner_username === null
            ? {column: 'owner_username', message: 'is empty: a personal mailbox belongs to an account'}
            : m.aliases?.includes(m.address)
              ? {column: 'aliases', message: `lists the mailbox's own address ${m.address}`}
              : undefined,
  unique: [{keys: (m) => m.aliases ?? [], name: (alias) => `alias ${alias}`}],
  fileRule: (m, addresses) =>
    (m.aliases ?? [])
      .filter((alias) => addresses.has(alias))
      .map((alias) => `column "aliases": ${alias} is a mailbox address in this file`),
  references: [
    {column: 'owner_agency_id', table: 'agencies', keys: (m) => m.owner_agency_id},
    {
      column: 'owner_username',
      table: 'accounts',
      keys: (m) =>
        m.owner_system === null || m.owner_username === null ? null : keyOf(m.owner_system, m.owner_username),
    },
    {
      column: 'aliases',
      table: 'mailboxes',
      keys: (m) => m.aliases ?? [],
      clash: 'is the address of a mailbox in the registry',
    },
    {
      column: 'address',
      table: 'mailbox_aliases',
      keys: (m) => m.address,
      clash: 'is an alias in the registry',
    },
  ],
  invariants: mailboxInvariants,
  writes: [
    {
      table: 'mailbox_aliases',
      columns: ['alias', 'mailbox_address'],
      rows: (m) => (m.aliases ?? []).map((alias) => [alias, m.address]),
      result: 'aliasesWritten',
      counts: 'written',
      label: 'aliases written',
    },
  ],
})

export interface ImportMailboxesResult extends ImportResult {
  /** Alias rows inserted or re-pointed to the mailbox the file gives them. */
  aliasesWritten: number
}

export function importMailboxes(
  registry: Registry,
  file: string,
  opts: {system?: string} = {},
): Promise<ImportMailboxesResult> {
  return importExport(registry, mailboxesExport, file, opts)
}
