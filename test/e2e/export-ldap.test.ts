import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  accountEntry,
  DEFAULT_DISABLE,
  ldifText,
  unitEntry,
  type DirectoryAccount,
  type DirectoryOptions,
  type LdifRecord,
} from '../../src/directory/index.js'
import {readMailboxes, readSsoAccounts, type SsoAccountRow} from '../../src/registry/directory-sync.js'
import {runCli} from '../helpers/cli.js'
import {mailboxSeed} from '../helpers/directory-seed.js'
import {openTarget, withDb, type TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario} from '../helpers/scenario.js'
import {parseEntries, slapdMissing, startSlapd, type Slapd} from '../helpers/slapd.js'

const BASE = 'dc=ninhbinh,dc=gov,dc=vn'
const options: DirectoryOptions = {baseDn: BASE, disable: DEFAULT_DISABLE}
const missing = slapdMissing()

/** The single-sign-on accounts with these usernames as the registry holds them now. */
const ssoAccounts = (target: TestRegistryTarget, usernames?: string[]): Promise<SsoAccountRow[]> =>
  withDb(target, (registry) => readSsoAccounts(registry.db, usernames))

/** The units of these agencies as the registry holds them now. */
async function unitsOf(
  target: TestRegistryTarget,
  agencyIds: string[],
): Promise<Array<{code: string; name: string}>> {
  const registry = await openTarget(target)
  try {
    return (
      await registry.db.raw(
        `select distinct u.code, u.name from agencies g join units u on u.code = g.unit_code
         where g.id = any(?::text[]) order by u.code`,
        [agencyIds],
      )
    ).rows as Array<{code: string; name: string}>
  } finally {
    await registry.close()
  }
}

const directoryAccount = (r: SsoAccountRow): DirectoryAccount => ({
  username: r.username,
  holder: r.holder,
  role: r.role,
  unit: {code: r.unit_code, name: r.unit_name},
  agency: {id: r.agency_id, name: r.agency_name, identifierCode: r.identifier_code},
  disabled: r.status === 'disabled',
})

/**
 * The LDIF of a run loaded into a real OpenLDAP server: the directory first holds the registry's single-
 * sign-on accounts as they were before the run (and the units they sit in or move to), then the
 * export's change records are applied with ldapmodify, and the directory then matches the registry.
 */
describe.skipIf(missing !== undefined)(
  `export LDIF into OpenLDAP${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let target: TestRegistryTarget
    let dir: string
    let slapd: Slapd
    let usernames: string[]
    let all: string[]
    let mailboxOps: Array<{op: string; key: {address: string}}>

    beforeAll(async () => {
      let planFile: string
      ;({target, dir, planFile} = await ninhBinhScenario())
      const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'))
      const ops = plan.operations.filter(
        (o: {op: string; key: {system?: string}}) => o.op.startsWith('account.') && o.key.system === 'sso',
      )
      usernames = ops.map((o: {key: {username: string}}) => o.key.username)
      mailboxOps = plan.operations.filter((o: {op: string}) => o.op.startsWith('mailbox.'))
      // Every single-sign-on account: the LDIF also updates accounts whose agency or unit the run changes.
      all = (await ssoAccounts(target)).map((r) => r.username)
      const before = await ssoAccounts(target, all)
      const targets = ops.flatMap((o: {after: {agency_id?: string}}) =>
        o.after.agency_id ? [o.after.agency_id] : [],
      )
      const ous = await unitsOf(target, [...new Set([...before.map((r) => r.agency_id), ...targets])])
      const mailboxes = await withDb(target, (registry) => mailboxSeed(registry.db, options))
      const seed: LdifRecord[] = [
        {
          change: 'add',
          dn: BASE,
          attributes: [
            ['objectClass', ['top', 'dcObject', 'organization']],
            ['dc', ['ninhbinh']],
            ['o', ['Tỉnh Ninh Bình']],
          ],
        },
        ...ous.map((u) => unitEntry(options, u)),
        ...before.map((r) => accountEntry(options, directoryAccount(r))),
        ...mailboxes,
      ]
      slapd = await startSlapd(BASE)
      fs.writeFileSync(path.join(dir, 'before.ldif'), ldifText(seed))
      slapd.tool('ldapadd', ['-f', path.join(dir, 'before.ldif')])

      const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
      expect(cli('apply', planFile, '--yes', '--json').status).toBe(0)
      const r = cli('export', '1', '--out', path.join(dir, 'handoff'), '--system', 'sso', '--json')
      expect(r.status, r.stderr).toBe(0)
    }, 900_000) // planning, applying and loading the whole Ninh Bình run on a busy 2-core machine

    afterAll(() => {
      slapd?.stop()
      if (dir) fs.rmSync(dir, {recursive: true, force: true})
    })

    it('loads with ldapmodify without an error, and every account (moved, disabled, or following its agency) and mailbox (created, locked, aliased) then matches the registry', async () => {
      const ldif = path.join(dir, 'handoff', 'directory', 'sso.ldif')
      expect(fs.readFileSync(ldif, 'utf8')).toMatch(/^(cn|o|ou|description):: /m) // Vietnamese values in base64
      slapd.tool('ldapmodify', ['-f', ldif])

      const found = parseEntries(
        slapd.tool('ldapsearch', [
          '-LLL',
          '-o',
          'ldif-wrap=no',
          '-b',
          BASE,
          '(&(objectClass=inetOrgPerson)(uid=*))',
          'cn',
          'o',
          'ou',
          'departmentNumber',
          'employeeType',
        ]),
      )
      const after = await ssoAccounts(target, all)
      expect(after.length).toBe(all.length)
      expect(found.size).toBe(after.length)
      const disabled = after.filter((r) => r.status === 'disabled').length
      expect(disabled).toBeGreaterThan(0)
      for (const r of after) {
        const dn = `uid=${r.username},ou=${r.unit_code},${BASE}`
        const entry = found.get(dn)
        expect(entry, `${dn} in the directory`).toBeDefined()
        expect(entry!.get('cn')).toEqual([r.holder])
        expect(entry!.get('o')).toEqual([r.agency_name])
        expect(entry!.get('ou')).toEqual([r.unit_name])
        expect(entry!.get('departmentNumber') ?? []).toEqual(r.identifier_code ? [r.identifier_code] : [])
        expect(entry!.get('employeeType') ?? []).toEqual(r.status === 'disabled' ? ['disabled'] : [])
      }
      const touched = new Set(usernames)
      expect(after.filter((r) => touched.has(r.username)).length).toBe(usernames.length)

      // Mailboxes: mail=<address>,ou=mail,<base>, the aliases as more mail values, locked when suspended.
      const boxes = parseEntries(
        slapd.tool('ldapsearch', [
          '-LLL',
          '-o',
          'ldif-wrap=no',
          '-b',
          `ou=mail,${BASE}`,
          '(objectClass=inetOrgPerson)',
          'mail',
          'displayName',
          'employeeType',
        ]),
      )
      const registry = await withDb(target, (r) => readMailboxes(r.db))
      expect(boxes.size).toBe(registry.length)
      const seen = {created: 0, locked: 0, aliased: 0}
      const created = new Set(mailboxOps.filter((o) => o.op === 'mailbox.create').map((o) => o.key.address))
      for (const m of registry) {
        const entry = boxes.get(`mail=${m.address},ou=mail,${BASE}`)
        expect(entry, m.address).toBeDefined()
        expect(entry!.get('displayName')).toEqual([m.display_name])
        expect(entry!.get('employeeType') ?? []).toEqual(m.status === 'suspended' ? ['disabled'] : [])
        expect([...entry!.get('mail')!].sort()).toEqual([m.address, ...m.aliases].sort())
        if (created.has(m.address)) seen.created++
        if (m.status === 'suspended') seen.locked++
        if (m.aliases.length > 0) seen.aliased++
      }
      expect(seen.created).toBe(created.size)
      expect(seen.created * seen.locked * seen.aliased).toBeGreaterThan(0)
      console.log(`mailboxes in the directory after the LDIF: ${boxes.size} (${JSON.stringify(seen)})`)
    }, 600_000)
  },
)
