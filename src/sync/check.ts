import type {Knex} from 'knex'
import {
  accountEntry,
  DEFAULT_DISABLE,
  mailboxContainerDn,
  mailboxEntry,
  schemaOf,
  unitEntry,
  type DirectoryAccount,
  type DirectoryMailbox,
  type DirectoryOptions,
  type LdapSchema,
  type LdifRecord,
} from '../directory/index.js'
import {SapxepError} from '../errors.js'
import {readTransaction} from '../registry/db.js'
import {
  readMailboxes,
  readSsoAccounts,
  readUnitNames,
  type MailboxDirectoryRow,
  type SsoAccountRow,
} from '../registry/directory-sync.js'
import {connectDirectory, type DirectoryConnection} from './connection.js'
import {readSyncPlan} from './ldap.js'

/**
 * `sync ldap --check`: the directory against the registry. The registry says which entries there should
 * be and with which values (the same mapping the export and the sync use); the directory is read whole
 * under the base DN (paged). With a run, only the run's accounts, units and mailboxes are compared;
 * without, every single-sign-on account and mailbox in the registry and every entry under the base.
 */

export interface CheckOptions {
  run?: number
  baseDn?: string
  disable?: DirectoryOptions['disable']
  schema?: DirectoryOptions['schema']
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

export const directoryMailbox = (r: MailboxDirectoryRow): DirectoryMailbox => ({
  address: r.address,
  displayName: r.display_name,
  kind: r.kind,
  agencyId: r.owner_agency_id,
  aliases: r.aliases,
  disabled: r.status === 'suspended',
})

type Kind = 'unit' | 'account' | 'mailbox'

const parentOf = (dn: string): string => dn.slice(dn.search(/(?<!\\),/) + 1)

/** The object class that names a kind in the directory: the last the schema gives it. */
const classOf = (s: {objectClasses: string[]}): string => s.objectClasses.at(-1)!.toLowerCase()

const hasClass = (attrs: Map<string, string[]>, c: string): boolean =>
  (attrs.get('objectclass') ?? []).some((x) => x.toLowerCase() === c)

/** DNs compared as the directory compares them: case and spaces around separators do not matter. */
const normalDn = (dn: string): string => dn.replace(/\s*([,=+])\s*/g, '$1').toLowerCase()

/** The first RDN's value (`uid=nva,ou=…` → `nva`), unescaped enough for the plain names sapxep writes. */
const rdnValue = (dn: string): string =>
  dn.slice(dn.indexOf('=') + 1, dn.search(/(?<!\\),/)).replace(/\\(.)/g, '$1')

export async function checkLdap(db: Knex, opts: CheckOptions): Promise<LdapCheckResult> {
  const {options, accounts, units, mailboxes, scoped} = await readTransaction(db, async (trx) => {
    let usernames: string[] | undefined
    let unitCodes: string[] = []
    let addresses: string[] | undefined
    let options: DirectoryOptions
    if (opts.run !== undefined) {
      const run = await readSyncPlan(trx, {
        run: opts.run,
        baseDn: opts.baseDn,
        disable: opts.disable,
        schema: opts.schema,
      })
      usernames = run.usernames
      unitCodes = run.unitCodes
      addresses = run.addresses
      options = run.options
    } else {
      if (!opts.baseDn)
        throw new SapxepError('--check without a run compares the whole directory: give --base-dn')
      options = {baseDn: opts.baseDn, disable: opts.disable ?? DEFAULT_DISABLE, schema: opts.schema}
    }
    const accounts = await readSsoAccounts(trx, usernames)
    const codes = [...new Set([...unitCodes, ...accounts.map((a) => a.unit_code)])]
    const units = await readUnitNames(trx, codes)
    const mailboxes = schemaOf(options).mailboxes ? await readMailboxes(trx, addresses) : []
    return {
      options,
      accounts,
      units,
      mailboxes,
      scoped: usernames
        ? {usernames: new Set(usernames), units: new Set(codes), addresses: new Set(addresses)}
        : undefined,
    }
  })
  const schema = schemaOf(options)
  const containerDn = mailboxContainerDn(options)
  const container = containerDn === undefined ? undefined : normalDn(containerDn)

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
  const registryAddresses = new Set(mailboxes.map((m) => m.address))
  for (const m of mailboxes) {
    const e = mailboxEntry(options, directoryMailbox(m))
    wanted.set(normalDn(e.dn), e as LdifRecord & {change: 'add'})
  }
  const inPlaceOnly = new Set<string>()
  const managed = new Set<string>([options.disable.attribute.toLowerCase()])
  for (const k of KINDS) for (const a of managedNames(schema, k)) managed.add(a)

  /** What an entry read from the directory is: by its place (mailboxes) or its object class. */
  const kindOf = (key: string, attrs: Map<string, string[]>): Kind | undefined => {
    if (key === normalDn(options.baseDn) || key === container) return undefined
    if (container !== undefined && parentOf(key) === container) return 'mailbox'
    if (hasClass(attrs, classOf(schema.accounts))) return 'account'
    if (hasClass(attrs, classOf(schema.units))) return 'unit'
    return undefined
  }

  const client = await connectDirectory(opts.connection)
  let found: Map<string, {dn: string; attrs: Map<string, string[]>}>
  try {
    const classes = [classOf(schema.units), classOf(schema.accounts)]
    if (schema.mailboxes) classes.push(classOf(schema.mailboxes))
    found = await readDirectory(client, options.baseDn, [...new Set(classes)], [...managed])
  } finally {
    await client.unbind().catch(() => {})
  }
  // Units are never deleted either: an organizational unit of a registry unit that holds no account now
  // (a commune whose accounts moved to its successor) is in place, compared by its description.
  const otherUnits = [...found]
    .filter(
      ([key, e]) =>
        kindOf(key, e.attrs) === 'unit' && !wanted.has(key) && parentOf(key) === normalDn(options.baseDn),
    )
    .map(([, e]) => rdnValue(e.dn))
  for (const u of await readUnitNames(db, otherUnits)) {
    const e = unitEntry(options, u)
    wanted.set(normalDn(e.dn), e as LdifRecord & {change: 'add'})
    inPlaceOnly.add(normalDn(e.dn))
  }

  // In scope: for a run, its accounts (wherever they sit), its units and its mailboxes; otherwise everything.
  const accountRdn = schema.accounts.rdn.toLowerCase()
  const inScope = (dn: string, attrs: Map<string, string[]>, kind: Kind): boolean =>
    !scoped ||
    (kind === 'unit'
      ? scoped.units.has(rdnValue(dn))
      : kind === 'mailbox'
        ? scoped.addresses.has(rdnValue(dn))
        : scoped.usernames.has(attrs.get(accountRdn)?.[0] ?? rdnValue(dn)))

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
    const kind = kindOf(key, entry.attrs)
    if (kind === undefined || !inScope(entry.dn, entry.attrs, kind)) continue
    result.found++
    const want = wanted.get(key)
    if (!want) {
      // Accounts and mailboxes are never deleted: an entry the registry no longer has (a rolled-back
      // create) stays, disabled, and so does the unit it sits in.
      const disabled = (entry.attrs.get(options.disable.attribute.toLowerCase()) ?? []).includes(
        options.disable.value,
      )
      const uid = entry.attrs.get(accountRdn)?.[0]
      const keptDisabled =
        disabled &&
        (kind === 'mailbox'
          ? !registryAddresses.has(rdnValue(entry.dn))
          : kind === 'account' && uid !== undefined && !registryUsernames.has(uid))
      const keptUnit = kind === 'unit' && parents.has(key)
      if (!keptDisabled && !keptUnit) result.extra.push(entry.dn)
      continue
    }
    for (const attribute of managedOf(want, kind, schema, options)) {
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

const KINDS: readonly Kind[] = ['unit', 'account', 'mailbox']

/** What the schema may write for a kind (lower case; objectClass aside). */
function managedNames(schema: LdapSchema, kind: Kind): string[] {
  const s = kind === 'unit' ? schema.units : kind === 'account' ? schema.accounts : schema.mailboxes
  if (!s) return []
  const names = [s.rdn, ...Object.keys(s.attributes)]
  if ('aliases' in s && s.aliases) names.push(s.aliases)
  return names.map((n) => n.toLowerCase())
}

/**
 * The attributes compared for an entry: every attribute the mapping writes (one it leaves out for want
 * of a value must be absent), and the disable marker for accounts and mailboxes.
 */
function managedOf(
  want: LdifRecord & {change: 'add'},
  kind: Kind,
  schema: LdapSchema,
  o: DirectoryOptions,
): string[] {
  const names = want.attributes.map(([a]) => a.toLowerCase())
  const all = kind === 'unit' ? names : [...managedNames(schema, kind), o.disable.attribute.toLowerCase()]
  return [...new Set([...names, ...all])]
}

const canonicalName = (want: LdifRecord & {change: 'add'}, lower: string): string =>
  want.attributes.find(([a]) => a.toLowerCase() === lower)?.[0] ?? lower

const sameValues = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000')

/** Every entry of the schema's object classes under the base, paged, attributes by lower-case name. */
async function readDirectory(
  client: Awaited<ReturnType<typeof connectDirectory>>,
  baseDn: string,
  classes: string[],
  attributes: string[],
): Promise<Map<string, {dn: string; attrs: Map<string, string[]>}>> {
  const out = new Map<string, {dn: string; attrs: Map<string, string[]>}>()
  try {
    for await (const page of client.searchPaginated(baseDn, {
      scope: 'sub',
      filter: `(|${classes.map((c) => `(objectClass=${c})`).join('')})`,
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
