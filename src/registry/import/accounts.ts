import type {Registry} from '../db.js'
import {ACCOUNT_STATUSES} from '../vocabulary.js'
import {defineExport, keyOf, optional, required, type ImportResult} from './export-format.js'
import {agencyId, oneOf, slug, system, text, username} from './fields.js'
import {importExport} from './import-export.js'
import {accountInvariants} from './invariants.js'

/**
 * Accounts on the government systems, key (system, username). A single-system export can leave the
 * `system` column out and pass the system (`--system`), which also fills empty cells and refuses rows of
 * another system.
 */
export const accountsExport = defineExport({
  table: 'accounts',
  columns: {
    system: required(system),
    username: required(username),
    holder: required(text),
    agency_id: required(agencyId),
    role: required(slug('role')),
    status: optional(oneOf(ACCOUNT_STATUSES), {default: 'active'}),
    reason: optional(text),
    successor_username: optional(username),
  },
  systemOption: {
    column: 'system',
    help: 'System of every row (fills a missing or empty system column; rows of another system are refused)',
  },
  references: [
    {column: 'agency_id', table: 'agencies', keys: (a) => a.agency_id},
    {
      column: 'successor_username',
      table: 'accounts',
      // The successor is on the same system.
      keys: (a) => (a.successor_username === null ? null : keyOf(a.system, a.successor_username)),
      orInFile: true,
      notSelf: 'cannot succeed itself',
    },
  ],
  invariants: accountInvariants,
})

export function importAccounts(
  registry: Registry,
  file: string,
  opts: {system?: string} = {},
): Promise<ImportResult> {
  return importExport(registry, accountsExport, file, opts)
}
