import fs from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  accountEntry,
  DEFAULT_DISABLE,
  ldifText,
  parseLdapSchema,
  unitEntry,
  type DirectoryOptions,
  type LdifRecord,
} from '../../src/directory/index.js'
import {readMailboxes, readSsoAccounts, readUnitNames} from '../../src/registry/directory-sync.js'
import {runCli} from '../helpers/cli.js'
import {testEngine} from '../helpers/engine.js'
import {mailboxSeed} from '../helpers/directory-seed.js'
import {openTarget, withDb, type TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario, registryDigestOf} from '../helpers/scenario.js'
import {makeTestCertificates, parseEntries, slapdMissing, startSlapd, type Slapd} from '../helpers/slapd.js'
import {startCli, waitForStderr} from '../helpers/spawn.js'

const BASE = 'dc=ninhbinh,dc=gov,dc=vn'
const options: DirectoryOptions = {baseDn: BASE, disable: DEFAULT_DISABLE}
const missing = slapdMissing()
// What is tested is the directory's side, the same on either engine: it runs in `npm run test:pg`, where the
// CLI starts faster (the embedded engine costs each of its many CLI runs over a second to open).
const skipped = missing ?? (testEngine === 'pglite' ? 'runs on PostgreSQL: npm run test:pg' : undefined)
/** The Nam Định sample at this scale: about 1,700 single-sign-on accounts, of the 17,000 of the full run. */
const SCALE = Number(process.env.SAPXEP_SYNC_SCALE ?? 0.1)

/**
 * Another directory layout, under its own base beside the default one: units as localities, accounts as
 * cosine `account`s, mailboxes as organizational roles named by address, other attribute names, another
 * disable value. None of its object classes is one the default --check reads.
 */
const ALT = `o=alt,${BASE}`
const CUSTOM_SCHEMA = `units:
  objectClasses: [top, locality]
  rdn: l
  attributes:
    description: name
accounts:
  objectClasses: [top, extensibleObject, account]
  rdn: uid
  attributes:
    description: holder
    title: role
    l: unitName
    o: agencyName
    businessCategory: agencyId
mailboxes:
  container: cn=hopthu
  objectClasses: [top, extensibleObject, organizationalRole]
  rdn: cn
  aliases: mail
  attributes:
    mail: address
    description: displayName
disable:
  attribute: employeeType
  value: locked
`
const custom: DirectoryOptions = {
  baseDn: ALT,
  disable: {attribute: 'employeeType', value: 'locked'},
  schema: parseLdapSchema('custom.yaml', CUSTOM_SCHEMA).schema,
}

/** The directory as the registry's single-sign-on accounts, units and mailboxes were before the run. */
async function seedLdif(target: TestRegistryTarget, o: DirectoryOptions = options): Promise<string> {
  const registry = await openTarget(target)
  try {
    const accounts = await readSsoAccounts(registry.db)
    const codes = (await registry.db.raw(`select distinct unit_code from agencies`)).rows.map(
      (r: {unit_code: string}) => r.unit_code,
    )
    const units = await readUnitNames(registry.db, codes)
    const records: LdifRecord[] = [
      o === options
        ? {
            change: 'add',
            dn: BASE,
            attributes: [
              ['objectClass', ['top', 'dcObject', 'organization']],
              ['dc', ['ninhbinh']],
              ['o', ['Tỉnh Ninh Bình']],
            ],
          }
        : {
            change: 'add',
            dn: ALT,
            attributes: [
              ['objectClass', ['top', 'organization']],
              ['o', ['alt']],
            ],
          },
      ...units.map((u) => unitEntry(o, u)),
      ...accounts.map((a) =>
        accountEntry(o, {
          username: a.username,
          holder: a.holder,
          role: a.role,
          unit: {code: a.unit_code, name: a.unit_name},
          agency: {id: a.agency_id, name: a.agency_name, identifierCode: a.identifier_code},
          disabled: a.status === 'disabled',
        }),
      ),
      ...(await mailboxSeed(
        registry.db,
        o,
        o === options
          ? undefined
          : [
              ['objectClass', ['top', 'organizationalRole']],
              ['cn', ['hopthu']],
            ],
      )),
    ]
    return ldifText(records)
  } finally {
    await registry.close()
  }
}

/**
 * `sapxep sync ldap` against a real OpenLDAP server: the Ninh Bình run (on a tenth of the Nam Định
 * sample) carried into a directory that holds the accounts as they were before it; an interrupted sync
 * resumed; a second sync that changes nothing; drift found by --check; the run reverted after a rollback,
 * back to the directory it started from; a wrong password; LDAPS and StartTLS with a throwaway CA.
 */
describe.skipIf(skipped !== undefined)(`sync ldap${skipped ? ` (skipped: ${skipped})` : ''}`, () => {
  let target: TestRegistryTarget
  let dir: string
  let slapd: Slapd
  let passwordFile: string
  let initial: string
  let digestBefore: string
  let schemaFile: string
  /** The run's mailbox operations (from its plan). */
  let mailOps: Array<{op: string; key: {address?: string; alias?: string}; after: {mailbox_address?: string}}>
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const conn = () => ['--url', slapd.url, '--bind-dn', slapd.rootDn, '--password-file', passwordFile]
  /** Every account, unit and mailbox with the attributes sapxep writes, sorted (but those of `leave`). */
  const dump = (leave: ReadonlySet<string> = new Set()) => {
    const found = parseEntries(
      slapd.tool('ldapsearch', [
        '-LLL',
        '-o',
        'ldif-wrap=no',
        '-b',
        BASE,
        '(|(objectClass=inetOrgPerson)(objectClass=organizationalUnit))',
        '*',
      ]),
    )
    return [...found]
      .filter(([dn]) => !leave.has(dn))
      .map(
        ([dn, attrs]) =>
          `${dn}\n${[...attrs]
            .map(([a, v]) => `${a}=${[...v].sort().join('|')}`)
            .sort()
            .join('\n')}`,
      )
      .sort()
      .join('\n\n')
  }
  const countUnder = (filter: string) =>
    parseEntries(slapd.tool('ldapsearch', ['-LLL', '-b', BASE, filter, '1.1'])).size

  let planFile: string
  beforeAll(async () => {
    ;({target, dir, planFile} = await ninhBinhScenario({scale: SCALE}))
    slapd = await startSlapd(BASE, {tls: makeTestCertificates(fs.mkdtempSync(path.join(dir, 'tls-')))})
    fs.writeFileSync(path.join(dir, 'before.ldif'), await seedLdif(target))
    slapd.tool('ldapadd', ['-f', path.join(dir, 'before.ldif')])
    fs.writeFileSync(path.join(dir, 'alt.ldif'), await seedLdif(target, custom))
    slapd.tool('ldapadd', ['-f', path.join(dir, 'alt.ldif')])
    schemaFile = path.join(dir, 'custom-schema.yaml')
    fs.writeFileSync(schemaFile, CUSTOM_SCHEMA)
    mailOps = JSON.parse(fs.readFileSync(planFile, 'utf8')).operations.filter((o: {op: string}) =>
      /^(mailbox|alias)\./.test(o.op),
    )
    initial = dump()
    passwordFile = path.join(dir, 'pw')
    fs.writeFileSync(passwordFile, slapd.password + '\n')
    digestBefore = registryDigestOf(target)
    const r = cli('apply', planFile, '--yes', '--json')
    expect(r.status, r.stderr).toBe(0)
  }, 300_000)

  afterAll(() => {
    slapd?.stop()
    if (dir) fs.rmSync(dir, {recursive: true, force: true})
  })

  it('--dry-run prints the LDIF it would send, without a directory', () => {
    const r = cli('sync', 'ldap', '1', '--dry-run')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^version: 1\n# sapxep run 1 sha256:/)
    const moves = (r.stdout.match(/^changetype: modrdn$/gm) ?? []).length
    expect(moves).toBeGreaterThan(100)
    expect(r.stdout).toMatch(/^newsuperior: ou=\d{5},dc=ninhbinh,dc=gov,dc=vn$/m)
    // Mailboxes: created, locked, old addresses added as aliases.
    expect(r.stdout).toMatch(/^dn: mail=[^,]+,ou=mail,dc=ninhbinh,dc=gov,dc=vn\nchangetype: add$/m)
    expect(r.stdout).toMatch(
      /^dn: mail=[^,]+,ou=mail,.*\nchangetype: modify\nreplace: employeeType\nemployeeType: disabled$/m,
    )
    expect(r.stdout).toMatch(/^dn: mail=[^,]+,ou=mail,.*\nchangetype: modify\nadd: mail\nmail: /m)
  })

  it('the export’s SCIM request carries the same accounts as its LDIF, those that follow their agency included', async () => {
    const out = path.join(dir, 'handoff')
    const r = cli('export', '1', '--out', out, '--system', 'sso', '--json')
    expect(r.status, r.stderr).toBe(0)
    const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    const rows = (file: string) => m.files.find((f: {path: string}) => f.path === file).rows
    // The SCIM request carries the accounts only: not the units, nor the mailboxes.
    const {units: _units, mailboxes: _mailboxes, ...ldifAccounts} = rows('directory/sso.ldif')
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
    const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'))
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

  it('a bad --ldap-schema file: its line and column, exit 1, nothing done; a disable marker given twice differently is refused', () => {
    const bad = path.join(dir, 'bad-schema.yaml')
    fs.writeFileSync(
      bad,
      'units:\n  objectClasses: [top, organizationalUnit]\n  rdn: "o u"\n  attributes: {description: nom}\n',
    )
    for (const command of [
      ['sync', 'ldap', '1', '--dry-run'],
      ['export', '1', '--out', path.join(dir, 'never')],
    ]) {
      const r = cli(...command, '--ldap-schema', bad)
      expect(r.status).toBe(1)
      expect(r.stderr).toMatch(/bad-schema\.yaml:3:8: units\.rdn: expected an LDAP attribute name/)
      expect(r.stderr).toMatch(/bad-schema\.yaml:4:29: units\.attributes\.description: /)
      expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    }
    expect(fs.existsSync(path.join(dir, 'never'))).toBe(false)
    const both = cli(
      'sync',
      'ldap',
      '1',
      '--dry-run',
      '--ldap-schema',
      schemaFile,
      '--ldap-disable',
      'employeeType=disabled',
    )
    expect(both.status).toBe(1)
    expect(both.stderr).toMatch(
      /--ldap-disable employeeType=disabled disagrees with the schema file's disable \(employeeType=locked, .*custom-schema\.yaml:\d+:1\)/,
    )
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

    // The mailboxes in the directory: every one the run created, locked or aliased, as the registry has it.
    const boxes = parseEntries(
      slapd.tool('ldapsearch', [
        '-LLL',
        '-o',
        'ldif-wrap=no',
        '-b',
        `ou=mail,${BASE}`,
        '(mail=*)',
        'mail',
        'displayName',
        'employeeType',
      ]),
    )
    const registry = new Map((await withDb(target, (r) => readMailboxes(r.db))).map((m) => [m.address, m]))
    expect(boxes.size).toBe(registry.size)
    const counts = {create: 0, 'mailbox.suspend': 0, 'alias.create': 0}
    for (const o of mailOps) {
      const address = o.key.address ?? o.after.mailbox_address!
      const entry = boxes.get(`mail=${address},ou=mail,${BASE}`)
      const m = registry.get(address)!
      if (o.op === 'mailbox.create') {
        expect(entry?.get('displayName')).toEqual([m.display_name])
        counts.create++
      } else if (o.op === 'mailbox.suspend') {
        expect(entry?.get('employeeType')).toEqual(['disabled'])
        counts['mailbox.suspend']++
      } else if (o.op === 'alias.create') {
        expect(entry?.get('mail')).toContain(o.key.alias)
        counts['alias.create']++
      }
    }
    expect(Object.values(counts).every((n) => n > 0)).toBe(true)
    console.log(
      `mailboxes in the directory after the sync: ${boxes.size}; the run's: ${JSON.stringify(counts)}`,
    )
  }, 600_000) // a loaded 2-core machine: each CLI call of the run takes seconds

  it('a second sync changes nothing', () => {
    const before = slapd.tool('ldapsearch', ['-LLL', '-b', BASE, '(objectClass=*)', 'entryCSN'])
    const r = cli('sync', 'ldap', '1', ...conn())
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/all [\d,]+ step\(s\) were already synced; nothing to do/)
    expect(slapd.tool('ldapsearch', ['-LLL', '-b', BASE, '(objectClass=*)', 'entryCSN'])).toBe(before)
  })

  it('--ldap-schema: another layout (object classes, attribute names, disable value) synced, checked and read back; the default mapping on its records is refused', async () => {
    const alt = [...conn(), '--base-dn', ALT, '--ldap-schema', schemaFile]
    const r = cli('sync', 'ldap', '1', ...alt, '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json.applied).toBe(r.json.steps)
    const check = cli('sync', 'ldap', '1', '--check', ...alt, '--json')
    expect(check.json, JSON.stringify(check.json).slice(0, 2000)).toMatchObject({
      ok: true,
      missing: [],
      extra: [],
      drift: [],
    })

    const read = (filter: string, ...attrs: string[]) =>
      parseEntries(slapd.tool('ldapsearch', ['-LLL', '-o', 'ldif-wrap=no', '-b', ALT, filter, ...attrs]))
    const accounts = read('(objectClass=account)', 'description', 'l', 'o', 'employeeType', 'objectClass')
    const after = await withDb(target, (db) => readSsoAccounts(db.db))
    expect(accounts.size).toBe(after.length)
    for (const a of after) {
      const e = accounts.get(`uid=${a.username},l=${a.unit_code},${ALT}`)
      expect(e, a.username).toBeDefined()
      expect(e!.get('description')).toEqual([a.holder])
      expect(e!.get('l')).toEqual([a.unit_name])
      expect(e!.get('o')).toEqual([a.agency_name])
      expect(e!.get('employeeType') ?? []).toEqual(a.status === 'disabled' ? ['locked'] : [])
    }
    const boxes = read('(objectClass=organizationalRole)', 'mail', 'description', 'employeeType')
    const mailboxes = await withDb(target, (db) => readMailboxes(db.db))
    expect(boxes.size).toBe(mailboxes.length + 1) // and the container
    for (const m of mailboxes) {
      const e = boxes.get(`cn=${m.address},cn=hopthu,${ALT}`)
      expect(e, m.address).toBeDefined()
      expect(e!.get('description')).toEqual([m.display_name])
      expect([...e!.get('mail')!].sort()).toEqual([m.address, ...m.aliases].sort())
      expect(e!.get('employeeType') ?? []).toEqual(m.status === 'suspended' ? ['locked'] : [])
    }
    expect(read('(objectClass=inetOrgPerson)').size + read('(objectClass=organizationalUnit)').size).toBe(0)

    // The same directory without the schema: other DNs than the recorded steps, refused before any change.
    const csn = slapd.tool('ldapsearch', ['-LLL', '-b', ALT, '(objectClass=*)', 'entryCSN'])
    const other = cli('sync', 'ldap', '1', ...conn(), '--base-dn', ALT)
    expect(other.status).toBe(1)
    expect(other.stderr).toMatch(
      /the directory mapping differs from the earlier sync \(another --ldap-schema/,
    )
    expect(slapd.tool('ldapsearch', ['-LLL', '-b', ALT, '(objectClass=*)', 'entryCSN'])).toBe(csn)
  }, 600_000) // a loaded 2-core machine: each CLI call of the run takes seconds

  it('--check lists drift injected with ldapmodify (missing, extra, attribute) and exits 3', () => {
    const entries = parseEntries(
      slapd.tool('ldapsearch', [
        '-LLL',
        '-o',
        'ldif-wrap=no',
        '-b',
        BASE,
        '(&(objectClass=inetOrgPerson)(uid=*)(!(employeeType=*)))',
        'uid',
      ]),
    )
    const [changed, removed] = [...entries.keys()]
    const extra = `uid=khong.co.trong.so,${[...entries.keys()][2].split(',').slice(1).join(',')}`
    // A mailbox the run created, renamed by hand; an alias the run added, removed by hand.
    const create = mailOps.find((o) => o.op === 'mailbox.create')! as unknown as {
      key: {address: string}
      after: {display_name: string}
    }
    const alias = mailOps.find(
      (o) => o.op === 'alias.create' && o.after.mailbox_address !== create.key.address,
    )!
    const renamedBox = `mail=${create.key.address},ou=mail,${BASE}`
    const unaliasedBox = `mail=${alias.after.mailbox_address},ou=mail,${BASE}`
    const ldif = path.join(dir, 'drift.ldif')
    fs.writeFileSync(
      ldif,
      ldifText([
        {
          change: 'modify',
          dn: changed,
          modifications: [{op: 'replace', attribute: 'cn', values: ['Người Lạ']}],
        },
        {
          change: 'modify',
          dn: renamedBox,
          modifications: [{op: 'replace', attribute: 'displayName', values: ['Hộp thư lạ']}],
        },
        {
          change: 'modify',
          dn: unaliasedBox,
          modifications: [{op: 'delete', attribute: 'mail', values: [alias.key.alias!]}],
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
    const cn = parseEntries(
      slapd.tool('ldapsearch', [
        '-LLL',
        '-o',
        'ldif-wrap=no',
        '-b',
        changed,
        '-s',
        'base',
        '(objectClass=*)',
        'cn',
      ]),
    )
      .get(changed)!
      .get('cn')!
    slapd.tool('ldapmodify', ['-f', ldif])

    const r = cli('sync', 'ldap', '1', '--check', ...conn(), '--json')
    expect(r.status).toBe(3)
    expect(r.json.ok).toBe(false)
    expect(r.json.missing).toEqual([removed])
    expect(r.json.drift).toHaveLength(3)
    expect(r.json.drift).toEqual(
      expect.arrayContaining([
        expect.objectContaining({dn: changed, attribute: 'cn', found: ['Người Lạ']}),
        expect.objectContaining({
          dn: renamedBox,
          attribute: 'displayName',
          expected: [create.after.display_name],
          found: ['Hộp thư lạ'],
        }),
        expect.objectContaining({
          dn: unaliasedBox,
          attribute: 'mail',
          expected: expect.arrayContaining([alias.key.alias]),
        }),
      ]),
    )
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
        {
          change: 'modify',
          dn: renamedBox,
          modifications: [{op: 'replace', attribute: 'displayName', values: [create.after.display_name]}],
        },
        {
          change: 'modify',
          dn: unaliasedBox,
          modifications: [{op: 'add', attribute: 'mail', values: [alias.key.alias!]}],
        },
      ]),
    )
    slapd.tool('ldapmodify', ['-f', ldif])
    expect(cli('sync', 'ldap', '--check', '--base-dn', BASE, ...conn()).status).toBe(0)
  })

  it('--revert after `sapxep rollback` puts the directory back as it was before the run (the mailboxes it created stay, locked)', () => {
    const early = cli('sync', 'ldap', '1', '--revert', ...conn())
    expect(early.status).toBe(1)
    expect(early.stderr).toMatch(/run 1 is applied: roll it back first/)
    expect(cli('rollback', '1', '--yes').status).toBe(0)
    // The sync's records are bookkeeping: the rollback is exact with them in the registry.
    expect(registryDigestOf(target)).toBe(digestBefore)
    const forward = cli('sync', 'ldap', '1', ...conn())
    expect(forward.stderr).toMatch(
      /run 1 was rolled back: undo its directory changes with `sapxep sync ldap 1 --revert`/,
    )

    const r = cli('sync', 'ldap', '1', '--revert', ...conn(), '--json')
    expect(r.status, r.stderr).toBe(0)
    expect(r.json).toMatchObject({direction: 'revert', skipped: 0})
    expect(r.json.applied).toBe(r.json.steps)
    const created = new Set(
      mailOps.filter((o) => o.op === 'mailbox.create').map((o) => `mail=${o.key.address},ou=mail,${BASE}`),
    )
    expect(dump(created)).toBe(initial)
    const locked = parseEntries(
      slapd.tool('ldapsearch', ['-LLL', '-b', `ou=mail,${BASE}`, '(employeeType=disabled)', '1.1']),
    )
    expect([...created].filter((dn) => !locked.has(dn))).toEqual([])
    const check = cli('sync', 'ldap', '1', '--check', ...conn(), '--json')
    expect(check.json).toMatchObject({ok: true})
    expect(cli('sync', 'ldap', '1', '--revert', ...conn(), '--json').json.applied).toBe(0)
  })

  it('LDAPS and StartTLS check the certificate: trusted with --ca-file, refused without', () => {
    const ca = path.join(
      path.dirname(passwordFile),
      fs.readdirSync(dir).find((f) => f.startsWith('tls-'))!,
      'ca.pem',
    )
    const tls = ['--bind-dn', slapd.rootDn, '--password-file', passwordFile, '--base-dn', BASE]
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
