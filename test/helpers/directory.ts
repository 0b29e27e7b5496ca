import type {Knex} from 'knex'
import {
  accountEntry,
  DEFAULT_DISABLE,
  ldifText,
  unitEntry,
  type DirectoryOptions,
  type LdifRecord,
} from '../../src/directory/index.js'
import {readSsoAccounts, readUnitNames} from '../../src/registry/directory-sync.js'
import {directoryAccount} from '../../src/sync/check.js'
import {mailboxSeed} from './directory-seed.js'
import {searchEntries, type Slapd} from './slapd.js'

/**
 * What the directory tests and the sync benchmark share (no test runner here: the benchmark imports it):
 * the directory as the registry's accounts sit now, and a directory's content to compare.
 */

export const NINH_BINH_BASE = 'dc=ninhbinh,dc=gov,dc=vn'

/**
 * The LDIF of a directory that holds the registry as it is now: the base entry, every unit that holds an
 * agency, every single-sign-on account in its unit, and the mailboxes (loaded with `ldapadd` before a run
 * is synced).
 */
export async function registryLdif(
  db: Knex,
  o: DirectoryOptions = {baseDn: NINH_BINH_BASE, disable: DEFAULT_DISABLE},
): Promise<{ldif: string; entries: number}> {
  const accounts = await readSsoAccounts(db)
  const codes = (await db.raw(`select distinct unit_code from agencies`)).rows.map(
    (r: {unit_code: string}) => r.unit_code,
  )
  const units = await readUnitNames(db, codes)
  const dc = /^dc=([^,]+)/i.exec(o.baseDn)?.[1] ?? 'sapxep'
  const records: LdifRecord[] = [
    {
      change: 'add',
      dn: o.baseDn,
      attributes: [
        ['objectClass', ['top', 'dcObject', 'organization']],
        ['dc', [dc]],
        ['o', ['Tỉnh Ninh Bình']],
      ],
    },
    ...units.map((u) => unitEntry(o, u)),
    ...accounts.map((a) => accountEntry(o, directoryAccount(a))),
    ...(await mailboxSeed(db, o)),
  ]
  return {ldif: ldifText(records), entries: records.length}
}

/**
 * Every account and unit under `base` with its user attributes, DNs in lower case, sorted: two
 * directories (or one before and after) hold the same entries when their dumps are equal.
 */
export function directoryDump(s: Slapd, base = NINH_BINH_BASE): string {
  const found = searchEntries(s, base, '(|(objectClass=inetOrgPerson)(objectClass=organizationalUnit))')
  return [...found]
    .map(
      ([dn, attrs]) =>
        `${dn.toLowerCase()}\n${[...attrs]
          .map(([a, v]) => `${a}=${[...v].sort().join('|')}`)
          .sort()
          .join('\n')}`,
    )
    .sort()
    .join('\n\n')
}

/**
 * A directory dump after a run was reverted, compared with the one before the run: the mailboxes the run
 * created stay, locked (a mailbox is never deleted), and are left out — each must carry the disable
 * marker, or it is kept in the dump and the comparison fails.
 */
export function withoutLockedNewMailboxes(
  after: string,
  before: string,
  marker = 'employeeType=disabled',
): string {
  const had = new Set(before.split('\n\n').map((block) => block.split('\n')[0]))
  return after
    .split('\n\n')
    .filter((block) => {
      const [dn, ...attrs] = block.split('\n')
      return !(dn.startsWith('mail=') && !had.has(dn) && attrs.includes(marker))
    })
    .join('\n\n')
}
