import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ldifText} from '../../src/directory/index.js'
import {runCli} from '../helpers/cli.js'
import {directoryDump, NINH_BINH_BASE as BASE} from '../helpers/directory.js'
import {readSsoAccounts} from '../../src/registry/directory-sync.js'
import {withDb, type TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhLdapScenario, registryDigestOf, type LdapScenario} from '../helpers/scenario.js'
import {searchEntries, slapdMissing, type Slapd} from '../helpers/slapd.js'
import {startCli, waitForStderr} from '../helpers/spawn.js'

const missing = slapdMissing()
/** The Nam Định sample at this scale: about 1,700 single-sign-on accounts, of the 17,000 of the full run. */
const SCALE = Number(process.env.SAPXEP_SYNC_SCALE ?? 0.1)

/**
 * `sapxep sync ldap` against a real OpenLDAP server: the Ninh Bình run (on a tenth of the Nam Định
 * sample) carried into a directory that holds the accounts as they were before it; an interrupted sync
 * resumed; a second sync that changes nothing; drift found by --check; the run reverted after a rollback,
 * back to the directory it started from; a wrong password; LDAPS and StartTLS with a throwaway CA.
 */
describe.skipIf(missing !== undefined)(`sync ldap${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let scenario: LdapScenario
  let target: TestRegistryTarget
  let dir: string
  let slapd: Slapd
  let initial: string
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const conn = () => scenario.conn
  /** Every account and unit with the attributes sapxep writes, sorted: the directory's state to compare. */
  const dump = () => directoryDump(slapd)
  const countUnder = (filter: string) => searchEntries(slapd, BASE, filter, ['1.1']).size

  beforeAll(async () => {
    scenario = await ninhBinhLdapScenario({scale: SCALE, tls: true})
    ;({target, dir, slapd} = scenario)
    // The directory before the run's sync (the scenario loaded it with the accounts as they were).
    initial = dump()
  }, 300_000)

  afterAll(() => {
    scenario?.cleanup()
  })

  it('--dry-run prints the LDIF it would send, without a directory', () => {
    const r = cli('sync', 'ldap', '1', '--dry-run')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^version: 1\n# sapxep run 1 sha256:/)
    const moves = (r.stdout.match(/^changetype: modrdn$/gm) ?? []).length
    expect(moves).toBeGreaterThan(100)
    expect(r.stdout).toMatch(/^newsuperior: ou=\d{5},dc=ninhbinh,dc=gov,dc=vn$/m)
  })

  it('the export’s SCIM request carries the same accounts as its LDIF, those that follow their agency included', async () => {
    const out = path.join(dir, 'handoff')
    const r = cli('export', '1', '--out', out, '--system', 'sso', '--json')
    expect(r.status, r.stderr).toBe(0)
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    const rows = (file: string) => m.files.find((f: {path: string}) => f.path === file).rows
    const {units: _units, ...ldifAccounts} = rows('directory/sso.ldif')
    expect(ldifAccounts.follow).toBeGreaterThan(100)
    expect(rows('directory/sso-scim.json')).toEqual(ldifAccounts)
    const read = (file: string) => fs.readFileSync(path.join(out, 'directory', file), 'utf8')
    const scim = JSON.parse(read('sso-scim.json')).Operations as Array<{
      path: string
      bulkId?: string
      data: {Operations?: Array<{path: string; value: unknown}>}
    }>
    expect(scim.length).toBe(Object.values(ldifAccounts as Record<string, number>).reduce((a, b) => a + b, 0))
    const user = (o: (typeof scim)[number]) => o.bulkId ?? decodeURIComponent(o.path.slice('/Users/'.length))
    const ldifUsers = new Set([...read('sso.ldif').matchAll(/^dn: uid=([^,]+),/gm)].map((x) => x[1]))
    expect(new Set(scim.map(user))).toEqual(ldifUsers)
    // A follower (an account the plan does not name) is PATCHed with its agency and unit as they are now.
    const plan = JSON.parse(fs.readFileSync(scenario.planFile, 'utf8'))
    const named = new Set(
      plan.operations
        .filter((o: {key: {system?: string}}) => o.key.system === 'sso')
        .map((o: {key: {username: string}}) => o.key.username),
    )
    const follower = scim.find((o) => !named.has(user(o)))!
    const [now] = await withDb(target, (registry) => readSsoAccounts(registry.db, [user(follower)]))
    expect(follower.data.Operations).toEqual([
      expect.objectContaining({path: expect.stringMatching(/:organization$/), value: now.agency_name}),
      expect.objectContaining({path: expect.stringMatching(/:department$/), value: now.unit_name}),
    ])
  })

  it('a wrong password: a clear error, exit 1, nothing written, the password not printed', () => {
    const wrong = path.join(dir, 'wrong-pw')
    const secret = 'Sai-mật-khẩu-42'
    fs.writeFileSync(wrong, secret)
    for (const json of [false, true]) {
      const r = cli(
        'sync',
        'ldap',
        '1',
        '--url',
        slapd.url,
        '--bind-dn',
        slapd.rootDn,
        '--password-file',
        wrong,
        ...(json ? ['--json'] : []),
      )
      expect(r.status).toBe(1)
      const said = json ? r.json.error.message : r.stderr
      expect(said).toMatch(/refused to bind as cn=admin,dc=ninhbinh,dc=gov,dc=vn: invalid credentials/)
      expect(r.stdout + r.stderr).not.toContain(secret)
    }
    const env = cli('sync', 'ldap', '1', '--url', slapd.url, '--bind-dn', slapd.rootDn, '--json')
    expect(env.json.error.message).toMatch(/--password-file FILE or the SAPXEP_LDAP_PASSWORD variable/)
    expect(dump()).toBe(initial)
    expect(cli('sync', 'ldap', '1', '--dry-run', '--url', slapd.url, '--json').json.skipped).toBe(0)
  })

  it('a sync killed half-way (SIGKILL) resumes where it stopped; the directory then matches the registry', async () => {
    const total = cli('sync', 'ldap', '1', '--dry-run', '--url', slapd.url, '--json').json.steps as number
    const run = startCli(
      ['sync', 'ldap', '1', ...conn(), '--concurrency', '4', ...target.cliArgs],
      target.env,
    )
    await waitForStderr(run, /steps synced/)
    run.child.kill('SIGKILL')
    const killed = await run.done
    expect(killed.signal).toBe('SIGKILL')

    const recorded = cli('sync', 'ldap', '1', '--dry-run', '--url', slapd.url, '--json').json
      .skipped as number
    const moved = countUnder('(&(objectClass=inetOrgPerson)(businessCategory=*))') // all accounts
    expect(recorded).toBeGreaterThan(0)
    expect(recorded).toBeLessThan(total)
    expect(moved).toBeGreaterThan(0)

    const resumed = cli('sync', 'ldap', '1', ...conn(), '--json')
    expect(resumed.status, resumed.stderr).toBe(0)
    expect(resumed.json).toMatchObject({steps: total, skipped: recorded, applied: total - recorded})
    console.log(
      `sync killed after ${recorded}/${total} steps recorded; resumed: ${resumed.json.applied} applied, ` +
        `${resumed.json.alreadyInPlace} found already in place (written before the kill, not recorded)`,
    )
    const check = cli('sync', 'ldap', '1', '--check', ...conn(), '--json')
    expect(check.status, check.stdout).toBe(0)
    expect(check.json).toMatchObject({ok: true, missing: [], extra: [], drift: []})
    expect(check.json.expected).toBeGreaterThan(total / 2)
    const whole = cli('sync', 'ldap', '--check', '--base-dn', BASE, ...conn(), '--json')
    expect(whole.status, JSON.stringify(whole.json).slice(0, 2000)).toBe(0)
  }, 120_000)

  it('a second sync changes nothing', () => {
    const before = slapd.tool('ldapsearch', ['-LLL', '-b', BASE, '(objectClass=*)', 'entryCSN'])
    const r = cli('sync', 'ldap', '1', ...conn())
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/all [\d,]+ step\(s\) were already synced; nothing to do/)
    expect(slapd.tool('ldapsearch', ['-LLL', '-b', BASE, '(objectClass=*)', 'entryCSN'])).toBe(before)
  })

  it('--check lists drift injected with ldapmodify (missing, extra, attribute) and exits 3', () => {
    const entries = searchEntries(slapd, BASE, '(&(objectClass=inetOrgPerson)(!(employeeType=*)))', ['uid'])
    const [changed, removed] = [...entries.keys()]
    const extra = `uid=khong.co.trong.so,${[...entries.keys()][2].split(',').slice(1).join(',')}`
    const ldif = path.join(dir, 'drift.ldif')
    fs.writeFileSync(
      ldif,
      ldifText([
        {
          change: 'modify',
          dn: changed,
          modifications: [{op: 'replace', attribute: 'cn', values: ['Người Lạ']}],
        },
        {change: 'delete', dn: removed},
        {
          change: 'add',
          dn: extra,
          attributes: [
            ['objectClass', ['inetOrgPerson']],
            ['uid', ['khong.co.trong.so']],
            ['cn', ['Không có']],
            ['sn', ['Không']],
          ],
        },
      ]),
    )
    const saved = slapd.tool('ldapsearch', ['-LLL', '-b', removed, '-s', 'base', '(objectClass=*)'])
    const cn = searchEntries(slapd, changed, '(objectClass=*)', ['cn'], 'base').get(changed)!.get('cn')!
    slapd.tool('ldapmodify', ['-f', ldif])

    const r = cli('sync', 'ldap', '1', '--check', ...conn(), '--json')
    expect(r.status).toBe(3)
    expect(r.json.ok).toBe(false)
    expect(r.json.missing).toEqual([removed])
    expect(r.json.drift).toEqual([
      expect.objectContaining({dn: changed, attribute: 'cn', found: ['Người Lạ']}),
    ])
    const whole = cli('sync', 'ldap', '--check', '--base-dn', BASE, ...conn())
    expect(whole.status).toBe(3)
    expect(whole.stdout).toContain(`in the directory but not in the registry (1):\n    ${extra}`)
    expect(whole.stdout).toContain(`${changed} cn: registry`)
    expect(whole.stderr).toContain('the directory differs from the registry')

    // Put it back as it was, for the revert below.
    fs.writeFileSync(path.join(dir, 'saved.ldif'), saved)
    slapd.tool('ldapadd', ['-f', path.join(dir, 'saved.ldif')])
    fs.writeFileSync(
      ldif,
      ldifText([
        {change: 'modify', dn: changed, modifications: [{op: 'replace', attribute: 'cn', values: cn}]},
        {change: 'delete', dn: extra},
      ]),
    )
    slapd.tool('ldapmodify', ['-f', ldif])
    expect(cli('sync', 'ldap', '--check', '--base-dn', BASE, ...conn()).status).toBe(0)
  })

  it('--revert after `sapxep rollback` puts the directory back as it was before the run', () => {
    const early = cli('sync', 'ldap', '1', '--revert', ...conn())
    expect(early.status).toBe(1)
    expect(early.stderr).toMatch(/run 1 is applied: roll it back first/)
    expect(cli('rollback', '1', '--yes').status).toBe(0)
    // The sync's records are bookkeeping: the rollback is exact with them in the registry.
    expect(registryDigestOf(target)).toBe(scenario.digestBefore)
    const forward = cli('sync', 'ldap', '1', ...conn())
    expect(forward.stderr).toMatch(
      /run 1 was rolled back: undo its directory changes with `sapxep sync ldap 1 --revert`/,
    )

    const r = cli('sync', 'ldap', '1', '--revert', ...conn(), '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json).toMatchObject({direction: 'revert', skipped: 0})
    expect(r.json.applied).toBe(r.json.steps)
    expect(dump()).toBe(initial)
    const check = cli('sync', 'ldap', '1', '--check', ...conn(), '--json')
    expect(check.json).toMatchObject({ok: true})
    expect(cli('sync', 'ldap', '1', '--revert', ...conn(), '--json').json.applied).toBe(0)
  })

  it('LDAPS and StartTLS check the certificate: trusted with --ca-file, refused without', () => {
    const ca = scenario.caFile!
    const tls = ['--bind-dn', slapd.rootDn, '--password-file', scenario.passwordFile, '--base-dn', BASE]
    const ldaps = cli('sync', 'ldap', '--check', '--url', slapd.ldapsUrl!, '--ca-file', ca, ...tls)
    expect(ldaps.status, ldaps.stderr).toBe(0)
    const starttls = cli('sync', 'ldap', '--check', '--url', slapd.url, '--starttls', '--ca-file', ca, ...tls)
    expect(starttls.status, starttls.stderr).toBe(0)
    for (const args of [
      ['--url', slapd.ldapsUrl!],
      ['--url', slapd.url, '--starttls'],
    ]) {
      const r = cli('sync', 'ldap', '--check', ...args, ...tls)
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/TLS certificate is not trusted .*; give its CA with --ca-file/)
    }
  })
})
