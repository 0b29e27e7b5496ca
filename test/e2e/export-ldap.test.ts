import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readMailboxes, readSsoAccounts, type SsoAccountRow} from '../../src/registry/directory-sync.js'
import {runCli} from '../helpers/cli.js'
import {NINH_BINH_BASE as BASE, registryLdif} from '../helpers/directory.js'
import {withDb, type TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario, WORKFLOW_SCALE} from '../helpers/scenario.js'
import {searchEntries, slapdMissing, startSlapd, type Slapd} from '../helpers/slapd.js'

const missing = slapdMissing()

/** The single-sign-on accounts with these usernames as the registry holds them now. */
const ssoAccounts = (target: TestRegistryTarget, usernames?: string[]): Promise<SsoAccountRow[]> =>
  withDb(target, (registry) => readSsoAccounts(registry.db, usernames))

/**
 * The LDIF of a run loaded into a real OpenLDAP server: the directory first holds the registry's single-
 * sign-on accounts as they were before the run (and every unit that holds an agency), then the
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
      ;({target, dir, planFile} = await ninhBinhScenario({scale: WORKFLOW_SCALE}))
      const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'))
      const ops = plan.operations.filter(
        (o: {op: string; key: {system?: string}}) => o.op.startsWith('account.') && o.key.system === 'sso',
      )
      usernames = ops.map((o: {key: {username: string}}) => o.key.username)
      mailboxOps = plan.operations.filter((o: {op: string}) => o.op.startsWith('mailbox.'))
      // Every single-sign-on account: the LDIF also updates accounts whose agency or unit the run changes.
      all = (await ssoAccounts(target)).map((r) => r.username)
      slapd = await startSlapd(BASE)
      const before = await withDb(target, (registry) => registryLdif(registry.db))
      fs.writeFileSync(path.join(dir, 'before.ldif'), before.ldif)
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

      const found = searchEntries(slapd, BASE, '(&(objectClass=inetOrgPerson)(uid=*))', [
        'cn',
        'o',
        'ou',
        'departmentNumber',
        'employeeType',
      ])
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
      const boxes = searchEntries(slapd, `ou=mail,${BASE}`, '(objectClass=inetOrgPerson)', [
        'mail',
        'displayName',
        'employeeType',
      ])
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
