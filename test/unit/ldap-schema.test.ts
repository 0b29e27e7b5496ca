import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {
  accountChangeRecords,
  accountEntry,
  DEFAULT_DISABLE,
  DEFAULT_SCHEMA,
  directorySchema,
  ldifText,
  mailboxEntry,
  parseLdapSchema,
  readLdapSchema,
  unitEntry,
  type DirectoryAccount,
  type DirectoryOptions,
  type LdapSchema,
} from '../../src/directory/index.js'
import {changesOfPlan, type ChangeSet} from '../../src/export/changes.js'
import {directorySteps, mailboxChanges} from '../../src/export/directory-files.js'
import type {SignedPlan} from '../../src/plan/types.js'

const SHIPPED = path.resolve(import.meta.dirname, '../../data/ldap-schema.yaml')
const BASE = 'dc=ninhbinh,dc=gov,dc=vn'
const options: DirectoryOptions = {baseDn: BASE, disable: DEFAULT_DISABLE}

const account = (over: Partial<DirectoryAccount> = {}): DirectoryAccount => ({
  username: 'nguyenvanan.13669',
  holder: 'Nguyễn Văn An',
  role: 'can_bo',
  unit: {code: '13669', name: 'Phường Nam Định'},
  agency: {id: '13669.ubnd', name: 'Ủy ban nhân dân phường Nam Định', identifierCode: '000.01.00.H21'},
  disabled: false,
  ...over,
})

const planSet = (operations: unknown[], reverse = false): ChangeSet => ({
  ...changesOfPlan({digest: 'sha256:x', province: null, operations} as unknown as SignedPlan),
  reverse,
})

/** A run's mailbox changes: one created (and an old address aliased to it), one suspended, one renamed. */
const MAIL_OPS = [
  {
    op: 'mailbox.create',
    key: {address: 'ubnd.namdinh@ninhbinh.gov.vn'},
    unit: '13669',
    after: {
      display_name: 'Ủy ban nhân dân phường Nam Định',
      kind: 'official',
      owner_agency_id: '13669.ubnd',
      owner_system: null,
      owner_username: null,
      status: 'active',
    },
  },
  {
    op: 'mailbox.suspend',
    key: {address: 'ubnd.myloc@namdinh.gov.vn'},
    unit: '13669',
    before: {status: 'active'},
    after: {status: 'suspended'},
  },
  {
    op: 'alias.create',
    key: {alias: 'ubnd.myloc@namdinh.gov.vn'},
    unit: '13669',
    after: {mailbox_address: 'ubnd.namdinh@ninhbinh.gov.vn', valid_until: '2026-07-01'},
  },
  {
    op: 'mailbox.update',
    key: {address: 'stttt@ninhbinh.gov.vn'},
    unit: '37',
    before: {display_name: 'Sở Thông tin và Truyền thông'},
    after: {display_name: 'Sở Khoa học và Công nghệ'},
  },
]

/** A schema with other object classes and attribute names for every kind. */
const CUSTOM_YAML = `# a 389-DS-like directory
units:
  objectClasses: [top, organizationalUnit, extensibleObject]
  rdn: ou
  attributes:
    l: name
    description: code
accounts:
  objectClasses: [top, person, organizationalPerson, inetOrgPerson]
  rdn: cn
  attributes:
    uid: username
    sn: familyName
    givenName: holder
    employeeNumber: role
    o: agencyName
    street: unitName
mailboxes:
  container: ou=thu
  objectClasses: [top, organizationalRole]
  rdn: cn
  aliases: roleOccupant
  attributes:
    description: displayName
disable:
  attribute: nsAccountLock
  value: "true"
`

const tmpFile = (name: string, text: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-ldap-schema-'))
  const file = path.join(dir, name)
  fs.writeFileSync(file, text)
  return file
}

/** The message of what `fn` throws. */
const thrown = (fn: () => unknown): string => {
  try {
    fn()
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('expected an error')
}

describe('--ldap-schema file', () => {
  it('the shipped data/ldap-schema.yaml is the default: same schema, same disable marker', () => {
    const read = readLdapSchema(SHIPPED)
    expect(read.schema).toEqual(DEFAULT_SCHEMA)
    expect({attribute: read.disable?.attribute, value: read.disable?.value}).toEqual(DEFAULT_DISABLE)
  })

  it('reads JSON as well as YAML, and a part left out is the default’s', () => {
    const file = tmpFile(
      's.json',
      JSON.stringify({units: {objectClasses: ['organizationalUnit'], rdn: 'ou', attributes: {l: 'name'}}}),
    )
    const {schema, disable} = readLdapSchema(file)
    expect(schema.units.attributes).toEqual({l: 'name'})
    expect(schema.accounts).toEqual(DEFAULT_SCHEMA.accounts)
    expect(schema.mailboxes).toEqual(DEFAULT_SCHEMA.mailboxes)
    expect(disable).toBeUndefined()
    expect(parseLdapSchema('m.yaml', 'mailboxes: null\n').schema.mailboxes).toBeNull()
  })

  it('names every problem at file:line:column: unknown field, bad attribute name, unknown key, no object class', () => {
    const text = [
      'units:',
      '  objectClasses: [top, organizationalUnit]',
      '  rdn: "o u"',
      '  attributes: {description: nom}',
      'accounts:',
      '  objectClasses: []',
      '  rdn: uid',
      '  attributes: {cn: holder}',
      '  colour: blue',
      '',
    ].join('\n')
    const message = thrown(() => parseLdapSchema('bad.yaml', text))
    expect(message).toMatch(/^bad\.yaml: not a valid LDAP schema file\n/)
    expect(message).toContain('bad.yaml:3:8: units.rdn: expected an LDAP attribute name')
    expect(message).toMatch(/bad\.yaml:4:29: units\.attributes\.description: .*"code"\|"name"/)
    expect(message).toContain('bad.yaml:6:18: accounts.objectClasses: give at least one object class')
    expect(message).toContain('bad.yaml:9:3: accounts.colour: Unrecognized key: "colour"')
    expect(thrown(() => parseLdapSchema('s.yaml', 'units: [\n'))).toMatch(
      /^s\.yaml: not a readable LDAP schema file\ns\.yaml:2:1: /,
    )
    expect(thrown(() => readLdapSchema('/nonexistent/schema.yaml'))).toMatch(
      /cannot read the file \(ENOENT\)/,
    )
  })

  it('--ldap-disable and the file’s disable: either, or both when they agree; refused when they differ', () => {
    const file = tmpFile('d.yaml', 'disable:\n  attribute: nsAccountLock\n  value: "true"\n')
    expect(directorySchema({schemaFile: file}).disable).toEqual({attribute: 'nsAccountLock', value: 'true'})
    expect(directorySchema({schemaFile: file, disable: 'nsAccountLock=true'}).disable).toEqual({
      attribute: 'nsAccountLock',
      value: 'true',
    })
    expect(directorySchema({disable: 'nsAccountLock=true'}).disable.attribute).toBe('nsAccountLock')
    expect(directorySchema({}).disable).toEqual(DEFAULT_DISABLE)
    expect(thrown(() => directorySchema({schemaFile: file, disable: 'employeeType=disabled'}))).toBe(
      `--ldap-disable employeeType=disabled disagrees with the schema file's disable (nsAccountLock=true, ${path.relative(process.cwd(), file)}:1:1): give the disable marker in one place`,
    )
    expect(thrown(() => directorySchema({disable: 'no-equals'}))).toMatch(/expected ATTRIBUTE=VALUE/)
  })
})

describe('directory records under a schema', () => {
  const custom: LdapSchema = parseLdapSchema('custom.yaml', CUSTOM_YAML).schema
  const o: DirectoryOptions = {
    baseDn: BASE,
    disable: {attribute: 'nsAccountLock', value: 'true'},
    schema: custom,
  }

  it('the default schema writes what it always wrote', () => {
    expect(ldifText([unitEntry(options, {code: '13669', name: 'Phường Nam Định'})])).toBe(
      [
        'version: 1',
        '',
        'dn: ou=13669,dc=ninhbinh,dc=gov,dc=vn',
        'changetype: add',
        'objectClass: top',
        'objectClass: organizationalUnit',
        'ou: 13669',
        `description:: ${Buffer.from('Phường Nam Định').toString('base64')}`,
        '',
      ].join('\n'),
    )
    const e = accountEntry(options, account({disabled: true}))
    expect(e.change === 'add' && e.attributes.map(([a]) => a)).toEqual([
      'objectClass',
      'uid',
      'cn',
      'sn',
      'displayName',
      'title',
      'ou',
      'o',
      'departmentNumber',
      'businessCategory',
      'employeeType',
    ])
  })

  it('a custom schema names the entries and attributes it says, for units, accounts and mailboxes', () => {
    expect(unitEntry(o, {code: '13669', name: 'Phường Nam Định'})).toEqual({
      change: 'add',
      dn: `ou=13669,${BASE}`,
      attributes: [
        ['objectClass', ['top', 'organizationalUnit', 'extensibleObject']],
        ['ou', ['13669']],
        ['l', ['Phường Nam Định']],
        ['description', ['13669']],
      ],
    })
    expect(accountEntry(o, account({disabled: true}))).toEqual({
      change: 'add',
      dn: `cn=nguyenvanan.13669,ou=13669,${BASE}`,
      attributes: [
        ['objectClass', ['top', 'person', 'organizationalPerson', 'inetOrgPerson']],
        ['cn', ['nguyenvanan.13669']],
        ['uid', ['nguyenvanan.13669']],
        ['sn', ['Nguyễn']],
        ['givenName', ['Nguyễn Văn An']],
        ['employeeNumber', ['can_bo']],
        ['o', ['Ủy ban nhân dân phường Nam Định']],
        ['street', ['Phường Nam Định']],
        ['nsAccountLock', ['true']],
      ],
    })
    const moved = account({
      unit: {code: '13684', name: 'Phường Thành Nam'},
      agency: {id: 'g', name: 'UBND', identifierCode: null},
    })
    const records = accountChangeRecords(o, {action: 'move', before: account(), after: moved})
    expect(records[0]).toMatchObject({
      change: 'modrdn',
      newRdn: 'cn=nguyenvanan.13669',
      newSuperior: `ou=13684,${BASE}`,
    })
    // Only the attributes that hold the unit and agency follow a move.
    expect(records[1]).toMatchObject({
      modifications: [
        {op: 'replace', attribute: 'o', values: ['UBND']},
        {op: 'replace', attribute: 'street', values: ['Phường Thành Nam']},
      ],
    })
    expect(
      mailboxEntry(o, {
        address: 'vp@ninhbinh.gov.vn',
        displayName: 'Văn phòng',
        kind: 'official',
        agencyId: null,
        aliases: ['vp@namdinh.gov.vn'],
        disabled: true,
      }),
    ).toEqual({
      change: 'add',
      dn: `cn=vp@ninhbinh.gov.vn,ou=thu,${BASE}`,
      attributes: [
        ['objectClass', ['top', 'organizationalRole']],
        ['cn', ['vp@ninhbinh.gov.vn']],
        ['description', ['Văn phòng']],
        ['roleOccupant', ['vp@namdinh.gov.vn']],
        ['nsAccountLock', ['true']],
      ],
    })
  })

  it('a run’s mailbox changes: created with its alias in one step, locked, renamed; undone, locked, unlocked, unaliased, renamed back', () => {
    const forward = directorySteps(planSet(MAIL_OPS), [], options).phases[1]
    expect(forward.map((step) => step.map((r) => `${r.change} ${r.dn}`))).toEqual([
      [`modify mail=stttt@ninhbinh.gov.vn,ou=mail,${BASE}`],
      [`modify mail=ubnd.myloc@namdinh.gov.vn,ou=mail,${BASE}`],
      [
        `add mail=ubnd.namdinh@ninhbinh.gov.vn,ou=mail,${BASE}`,
        `modify mail=ubnd.namdinh@ninhbinh.gov.vn,ou=mail,${BASE}`,
      ],
    ])
    const text = ldifText(forward.flat())
    expect(text).toContain(
      `replace: displayName\ndisplayName:: ${Buffer.from('Sở Khoa học và Công nghệ').toString('base64')}\n-`,
    )
    expect(text).toContain('replace: employeeType\nemployeeType: disabled\n-')
    expect(text).toContain('add: mail\nmail: ubnd.myloc@namdinh.gov.vn\n-')
    expect(text).toContain('businessCategory: 13669.ubnd\n')

    const back = mailboxChanges(planSet(MAIL_OPS, true))
    expect(Object.fromEntries(back)).toEqual({
      'ubnd.namdinh@ninhbinh.gov.vn': [
        {action: 'lock', address: 'ubnd.namdinh@ninhbinh.gov.vn'},
        {action: 'unalias', address: 'ubnd.namdinh@ninhbinh.gov.vn', alias: 'ubnd.myloc@namdinh.gov.vn'},
      ],
      'ubnd.myloc@namdinh.gov.vn': [{action: 'unlock', address: 'ubnd.myloc@namdinh.gov.vn'}],
      'stttt@ninhbinh.gov.vn': [
        {action: 'rename', address: 'stttt@ninhbinh.gov.vn', displayName: 'Sở Thông tin và Truyền thông'},
      ],
    })
    const undo = ldifText(directorySteps(planSet(MAIL_OPS, true), [], options).phases[1].flat())
    expect(undo).toContain('delete: mail\nmail: ubnd.myloc@namdinh.gov.vn\n-')
    expect(undo).toContain('replace: employeeType\n-')
  })

  it('mailboxes: null writes none; a schema without aliases drops the alias records', () => {
    const none = {...options, schema: {...DEFAULT_SCHEMA, mailboxes: null}}
    expect(directorySteps(planSet(MAIL_OPS), [], none).phases[1]).toEqual([])
    const noAliases = {
      ...options,
      schema: {...DEFAULT_SCHEMA, mailboxes: {...DEFAULT_SCHEMA.mailboxes!, aliases: null}},
    }
    const steps = directorySteps(planSet(MAIL_OPS), [], noAliases).phases[1]
    expect(
      steps.flat().some((r) => r.change === 'modify' && r.modifications.some((m) => m.op === 'add')),
    ).toBe(false)
    expect(steps).toHaveLength(3)
  })
})
