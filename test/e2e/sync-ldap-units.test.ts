import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {testEngine} from '../helpers/engine.js'
import {directoryDump, withoutLockedNewMailboxes, NINH_BINH_BASE as BASE} from '../helpers/directory.js'
import type {TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhLdapScenario, type LdapScenario} from '../helpers/scenario.js'
import {searchEntries, slapdMissing} from '../helpers/slapd.js'

const missing = slapdMissing()
// What is tested is the directory's side, the same on either engine: it runs in `npm run test:pg`, where the
// CLI starts faster (the embedded engine costs each of its many CLI runs over a second to open).
const skipped = missing ?? (testEngine === 'pglite' ? 'runs on PostgreSQL: npm run test:pg' : undefined)

/** Two wards of Nam Định merged into a commune under a new code; their accounts recreated there. */
const MAPPING = `format: sapxep/mapping@1
decision: {number: TEST/2025, effective: "2025-07-01", official: false}
province: {code: "36", name: Tỉnh Nam Định}
scope: partial
units:
  - code: "13991"
    name: Phường Hợp Nhất
    type: Phường
    parent: "356"
    from:
      - {code: "13636", name: Phường Vị Xuyên}
      - {code: "13657", name: Phường Trường Thi}
policies:
  accounts: {default: recreate}
`
const NEW_UNIT = `ou=13991,${BASE}`

/**
 * A run that creates a unit and accounts in it, synced and then reverted: the revert deletes the
 * accounts the run created in that unit before the unit (a directory deletes no unit that still holds
 * entries), and the directory is as it was before the run.
 */
describe.skipIf(skipped !== undefined)(
  `sync ldap: a run that creates a unit${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let scenario: LdapScenario
    let target: TestRegistryTarget
    let mappingDir: string
    const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
    /** The DNs at and below `dn` (none when it is not there). */
    const under = (dn: string) =>
      [...searchEntries(scenario.slapd, BASE, '(objectClass=*)', ['1.1']).keys()]
        .filter((d) => d.toLowerCase().endsWith(dn.toLowerCase()))
        .sort()

    beforeAll(async () => {
      mappingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-new-unit-'))
      const mapping = path.join(mappingDir, 'new-unit.yaml')
      fs.writeFileSync(mapping, MAPPING)
      scenario = await ninhBinhLdapScenario({scale: 0.05, mapping})
      target = scenario.target
    }, 600_000)

    afterAll(() => {
      scenario?.cleanup()
      if (mappingDir) fs.rmSync(mappingDir, {recursive: true, force: true})
    })

    it('sync creates the unit and its accounts; --revert after rollback deletes them, the directory as before', () => {
      const {slapd} = scenario
      // The plan is Nam Định's (its directory base would be dc=namdinh,…): the server's base is given.
      const conn = [...scenario.conn, '--base-dn', BASE]
      const initial = directoryDump(slapd)
      expect(under(NEW_UNIT)).toEqual([])

      const synced = cli('sync', 'ldap', '1', ...conn, '--json')
      expect(synced.status, synced.stderr).toBe(0)
      const created = under(NEW_UNIT)
      expect(created).toContain(NEW_UNIT)
      const accounts = created.filter((dn) => dn.startsWith('uid='))
      expect(accounts.length).toBeGreaterThan(0)
      expect(cli('sync', 'ldap', '1', '--check', ...conn).status).toBe(0)

      expect(cli('rollback', '1', '--yes').status).toBe(0)
      const reverted = cli('sync', 'ldap', '1', '--revert', ...conn, '--json')
      expect(reverted.status, reverted.stderr).toBe(0)
      expect(reverted.json.applied).toBe(reverted.json.steps)
      expect(under(NEW_UNIT)).toEqual([])
      // As before the run, but the mailboxes it created: they stay, locked.
      expect(withoutLockedNewMailboxes(directoryDump(slapd), initial)).toBe(initial)
      expect(cli('sync', 'ldap', '1', '--check', ...conn).status).toBe(0)
      const dry = cli('sync', 'ldap', '1', '--revert', '--dry-run', '--base-dn', BASE)
      expect(dry.status, dry.stderr).toBe(0)
      // What it sent: the accounts go (deleted, not disabled: their unit goes), the unit last.
      for (const dn of accounts) expect(dry.stdout).toContain(`dn: ${dn}\nchangetype: delete\n`)
      expect(dry.stdout.trimEnd().endsWith(`dn: ${NEW_UNIT}\nchangetype: delete`)).toBe(true)
    }, 600_000)
  },
)
