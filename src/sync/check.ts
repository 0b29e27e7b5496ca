import type {Knex} from 'knex'
import {
  accountEntry,
  DEFAULT_DISABLE,
  unitEntry,
  type DirectoryAccount,
  type DirectoryOptions,
  type LdifRecord,
} from '../directory/index.js'
import {SapxepError} from '../errors.js'
import {readTransaction} from '../registry/db.js'
import {readSsoAccounts, readUnitNames, type SsoAccountRow} from '../registry/directory-sync.js'
import {connectDirectory, type DirectoryConnection} from './connection.js'
import {readSyncPlan} from './ldap.js'

/**
 * `sync ldap --check`: the directory against the registry. The registry says which entries there should
 * be and with which values (the same mapping the export and the sync use); the directory is read whole
 * under the base DN (paged). With a run, only the run's accounts and units are compared; without, every
 * single-sign-on account in the registry and every entry under the base.
 */

export interface CheckOptions {
  run?: number
  baseDn?: string
  disable?: DirectoryOptions['disable']
  connection: DirectoryConnection
}

export interface Drift {
  dn: string
  attribute: string
  expected: string[]
  found: string[]
}

export interface LdapCheckResult {
  ok: boolean
  run: number | null
  baseDn: string
  /** Entries the registry expects, and entries found in scope in the directory. */
  expected: number
  found: number
  missing: string[]
  extra: string[]
  drift: Drift[]
}

/** A single-sign-on account row as the directory holds it. */
export const directoryAccount = (r: SsoAccountRow): DirectoryAccount => ({
  username: r.username,
  holder: r.holder,
  role: r.role,
  unit: {code: r.unit_code, name: r.unit_name},
  agency: {id: r.agency_id, name: r.agency_name, identifierCode: r.identifier_code},
  disabled: r.status === 'disabled',
})

const parentOf = (dn: string): string => dn.slice(dn.search(/(?<!\\),/) + 1)

const isUnitEntry = (attrs: Map<string, string[]>): boolean =>
  (attrs.get('objectclass') ?? []).some((c) => c.toLowerCase() === 'organizationalunit')

/** DNs compared as the directory compares them: case and spaces around separators do not matter. */
const normalDn = (dn: string): string => dn.replace(/\s*([,=+])\s*/g, '$1').toLowerCase()

/** The first RDN's value (`uid=nva,ou=…` → `nva`), unescaped enough for the plain names sapxep writes. */
const rdnValue = (dn: string): string =>
  dn.slice(dn.indexOf('=') + 1, dn.search(/(?<!\\),/)).replace(/\\(.)/g, '$1')

export async function checkLdap(db: Knex, opts: CheckOptions): Promise<LdapCheckResult> {
  const {options, accounts, units, scoped} = await readTransaction(db, async (trx) => {
    let usernames: string[] | undefined
    let unitCodes: string[] = []
    let options: DirectoryOptions
    if (opts.run !== undefined) {
      const run = await readSyncPlan(trx, {run: opts.run, baseDn: opts.baseDn, disable: opts.disable})
      usernames = run.usernames
      unitCodes = run.unitCodes
      options = run.options
    } else {
      if (!opts.baseDn)
        throw new SapxepError('--check without a run compares the whole directory: give --base-dn')
      options = {baseDn: opts.baseDn, disable: opts.disable ?? DEFAULT_DISABLE}
    }
    const accounts = await readSsoAccounts(trx, usernames)
    const codes = [...new Set([...unitCodes, ...accounts.map((a) => a.unit_code)])]
    const units = await readUnitNames(trx, codes)
    return {
      options,
      accounts,
      units,
      scoped: usernames ? {usernames: new Set(usernames), units: new Set(codes)} : undefined,
    }
  })

  const wanted = new Map<string, LdifRecord & {change: 'add'}>()
  for (const u of units) {
    const e = unitEntry(options, u)
    wanted.set(normalDn(e.dn), e as LdifRecord & {change: 'add'})
  }
  const registryUsernames = new Set(accounts.map((a) => a.username))
  for (const a of accounts) {
    const e = accountEntry(options, directoryAccount(a))
    wanted.set(normalDn(e.dn), e as LdifRecord & {change: 'add'})
  }
  const inPlaceOnly = new Set<string>()
  const managed = new Set<string>([options.disable.attribute.toLowerCase()])
  for (const e of wanted.values()) for (const [a] of e.attributes) managed.add(a.toLowerCase())

  const client = await connectDirectory(opts.connection)
  let found: Map<string, {dn: string; attrs: Map<string, string[]>}>
  try {
    found = await readDirectory(client, options.baseDn, [...managed])
  } finally {
    await client.unbind().catch(() => {})
  }
  // Units are never deleted either: an organizational unit of a registry unit that holds no account now
  // (a commune whose accounts moved to its successor) is in place, compared by its description.
  const otherUnits = [...found.values()]
    .filter(
      (e) =>
        isUnitEntry(e.attrs) &&
        !wanted.has(normalDn(e.dn)) &&
        parentOf(normalDn(e.dn)) === normalDn(options.baseDn),
    )
    .map((e) => rdnValue(e.dn))
  for (const u of await readUnitNames(db, otherUnits)) {
    const e = unitEntry(options, u)
    wanted.set(normalDn(e.dn), e as LdifRecord & {change: 'add'})
    inPlaceOnly.add(normalDn(e.dn))
  }

  // In scope: for a run, its accounts (wherever they sit) and its units; otherwise everything.
  const inScope = (dn: string, attrs: Map<string, string[]>, isUnit: boolean): boolean =>
    !scoped ||
    (isUnit ? scoped.units.has(rdnValue(dn)) : scoped.usernames.has(attrs.get('uid')?.[0] ?? rdnValue(dn)))

  const result: LdapCheckResult = {
    ok: true,
    run: opts.run ?? null,
    baseDn: options.baseDn,
    expected: wanted.size - inPlaceOnly.size,
    found: 0,
    missing: [],
    extra: [],
    drift: [],
  }
  // Units that hold entries: sapxep never removes those (see below).
  const parents = new Set([...found.keys()].map(parentOf))
  for (const [key, entry] of found) {
    const classes = (entry.attrs.get('objectclass') ?? []).map((c) => c.toLowerCase())
    if (!classes.includes('inetorgperson') && !classes.includes('organizationalunit')) continue
    const isUnit = !classes.includes('inetorgperson')
    if (key === normalDn(options.baseDn) || !inScope(entry.dn, entry.attrs, isUnit)) continue
    result.found++
    const want = wanted.get(key)
    if (!want) {
      // Accounts are never deleted: an entry the registry no longer has (a rolled-back create) stays,
      // disabled, and so does the unit it sits in.
      const uid = entry.attrs.get('uid')?.[0]
      const disabled = (entry.attrs.get(options.disable.attribute.toLowerCase()) ?? []).includes(
        options.disable.value,
      )
      const keptDisabled = uid !== undefined && !registryUsernames.has(uid) && disabled
      const keptUnit = isUnit && parents.has(key)
      if (!keptDisabled && !keptUnit) result.extra.push(entry.dn)
      continue
    }
    for (const attribute of managedOf(want, options)) {
      const expected = want.attributes.find(([a]) => a.toLowerCase() === attribute)?.[1] ?? []
      const got = entry.attrs.get(attribute) ?? []
      const same =
        attribute === 'objectclass'
          ? expected.every((v) => got.some((g) => g.toLowerCase() === v.toLowerCase()))
          : sameValues(expected, got)
      if (!same)
        result.drift.push({dn: entry.dn, attribute: canonicalName(want, attribute), expected, found: got})
    }
  }
  for (const [key, want] of wanted) if (!found.has(key) && !inPlaceOnly.has(key)) result.missing.push(want.dn)
  result.missing.sort()
  result.extra.sort()
  result.ok = result.missing.length === 0 && result.extra.length === 0 && result.drift.length === 0
  return result
}

/** The attributes compared for an entry: every attribute the mapping writes, and the disable marker for accounts. */
function managedOf(want: LdifRecord & {change: 'add'}, o: DirectoryOptions): string[] {
  const names = want.attributes.map(([a]) => a.toLowerCase())
  const isAccount = names.includes('uid')
  const all = isAccount ? [...ACCOUNT_ATTRIBUTES, o.disable.attribute.toLowerCase()] : names
  return [...new Set([...names, ...all])]
}

/** What accountEntry may write (an attribute without a value is left out of the entry, so it must be absent). */
const ACCOUNT_ATTRIBUTES = [
  'uid',
  'cn',
  'sn',
  'displayname',
  'title',
  'ou',
  'o',
  'departmentnumber',
  'businesscategory',
]

const canonicalName = (want: LdifRecord & {change: 'add'}, lower: string): string =>
  want.attributes.find(([a]) => a.toLowerCase() === lower)?.[0] ?? lower

const sameValues = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')

/** Every organizational unit and person under the base, paged, attributes by lower-case name. */
async function readDirectory(
  client: Awaited<ReturnType<typeof connectDirectory>>,
  baseDn: string,
  attributes: string[],
): Promise<Map<string, {dn: string; attrs: Map<string, string[]>}>> {
  const out = new Map<string, {dn: string; attrs: Map<string, string[]>}>()
  try {
    for await (const page of client.searchPaginated(baseDn, {
      scope: 'sub',
      filter: '(|(objectClass=inetOrgPerson)(objectClass=organizationalUnit))',
      attributes: ['objectClass', ...attributes],
      paged: {pageSize: 1000},
    }))
      for (const e of page.searchEntries) {
        const attrs = new Map<string, string[]>()
        for (const [name, v] of Object.entries(e)) {
          if (name === 'dn') continue
          const values = (Array.isArray(v) ? v : [v]).map((x) =>
            Buffer.isBuffer(x) ? x.toString('utf8') : x,
          )
          attrs.set(name.toLowerCase(), values)
        }
        out.set(normalDn(e.dn), {dn: e.dn, attrs})
      }
  } catch (err) {
    throw new SapxepError(`reading ${baseDn} from the directory: ${(err as Error).message}`)
  }
  return out
}
