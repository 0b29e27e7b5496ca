import type {Knex} from 'knex'
import {
  mailboxContainerDn,
  mailboxEntry,
  schemaOf,
  type DirectoryOptions,
  type LdifRecord,
} from '../../src/directory/index.js'
import {readMailboxes} from '../../src/registry/directory-sync.js'
import {directoryMailbox} from '../../src/sync/check.js'

/**
 * The mailbox container and every mailbox of the registry as it is now, as the directory should hold
 * them before a run (what a province loads once; sapxep then carries each run's changes).
 */
export async function mailboxSeed(
  db: Knex,
  options: DirectoryOptions,
  container: [string, string[]][] = [
    ['objectClass', ['top', 'organizationalUnit']],
    ['ou', ['mail']],
  ],
): Promise<LdifRecord[]> {
  if (!schemaOf(options).mailboxes) return []
  const rows = await readMailboxes(db)
  return [
    {change: 'add', dn: mailboxContainerDn(options)!, attributes: container},
    ...rows.map((r) => mailboxEntry(options, directoryMailbox(r))),
  ]
}
