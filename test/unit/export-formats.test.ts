import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import Export from '../../commands/export.js'
import {
  accountChangeRecords,
  accountEntry,
  baseDnOfDomain,
  DEFAULT_DISABLE,
  escapeDnValue,
  isSafeString,
  ldifText,
  parseDisable,
  scimBulkChunks,
  scimOperation,
  type DirectoryAccount,
  type DirectoryChange,
  type DirectoryOptions,
} from '../../src/directory/index.js'
import {changesOfPlan, journalKind, type ChangeSet} from '../../src/export/changes.js'
import {mailFiles, mailRecords, zmprovLine, zmprovQuote} from '../../src/export/mail.js'
import {checkExport, countProblems, type Manifest} from '../../src/export/manifest.js'
import {stringify} from 'csv-stringify/sync'
import {csvChunks, makeTable} from '../../src/export/table.js'
import type {SignedPlan} from '../../src/plan/types.js'

const options: DirectoryOptions = {baseDn: 'dc=ninhbinh,dc=gov,dc=vn', disable: DEFAULT_DISABLE}

const account = (over: Partial<DirectoryAccount> = {}): DirectoryAccount => ({
  username: 'nguyenvanan.13669',
  holder: 'Nguyễn Văn An',
  role: 'can_bo',
  unit: {code: '13669', name: 'Phường Nam Định'},
  agency: {id: '13669.ubnd', name: 'Ủy ban nhân dân phường Nam Định', identifierCode: '000.01.00.H21'},
  disabled: false,
  ...over,
})

/** A change set as a plan gives it, from operations. */
const planSet = (operations: SignedPlan['operations']): ChangeSet =>
  changesOfPlan({digest: 'sha256:x', province: null, operations} as unknown as SignedPlan)

describe('zmprov batch', () => {
  it('quotes names with apostrophes, quotes, backslashes and diacritics so they arrive as they are', () => {
    expect(zmprovQuote(`Trường THCS "Lê Lợi"`)).toBe(`"Trường THCS \\"Lê Lợi\\""`)
    expect(zmprovQuote(`Văn phòng O'Brien`)).toBe(`"Văn phòng O'Brien"`)
    expect(zmprovQuote('a\\b')).toBe('"a\\\\b"')
    expect(zmprovQuote('Hai\ndòng')).toBe('"Hai dòng"')
  })

  it('creates accounts with display names, adds old addresses as aliases and locks suspended mailboxes, in that order', () => {
    const set = planSet([
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
        after: {mailbox_address: 'ubnd.namdinh@ninhbinh.gov.vn', valid_until: null},
      },
      {
        op: 'mailbox.create',
        key: {address: 'ubnd.namdinh@ninhbinh.gov.vn'},
        unit: '13669',
        after: {display_name: `Ủy ban nhân dân phường "Nam Định" d'Arc`, kind: 'official'},
      },
      {
        op: 'mailbox.update',
        key: {address: 'hdnd.namdinh@ninhbinh.gov.vn'},
        unit: '13669',
        before: {display_name: 'Cũ'},
        after: {display_name: 'Hội đồng nhân dân phường Nam Định'},
      },
    ])
    const lines = mailRecords(set).map(zmprovLine)
    expect(lines).toEqual([
      `createAccount ubnd.namdinh@ninhbinh.gov.vn "" displayName "Ủy ban nhân dân phường \\"Nam Định\\" d'Arc" zimbraPasswordMustChange TRUE`,
      `modifyAccount hdnd.namdinh@ninhbinh.gov.vn displayName "Hội đồng nhân dân phường Nam Định"`,
      'addAccountAlias ubnd.namdinh@ninhbinh.gov.vn ubnd.myloc@namdinh.gov.vn',
      'modifyAccount ubnd.myloc@namdinh.gov.vn zimbraAccountStatus locked',
    ])
    const [batch] = mailFiles(mailRecords(set), 'vi', 'test')
    expect(batch.rows).toEqual({create: 1, rename: 1, alias: 1, lock: 1})
  })

  it('undoing a run removes the aliases, unlocks, renames back and locks (never deletes) what it created', () => {
    const set = {
      ...planSet([
        {op: 'mailbox.create', key: {address: 'a@x.gov.vn'}, unit: '1', after: {display_name: 'A'}},
        {op: 'alias.create', key: {alias: 'b@x.gov.vn'}, unit: '1', after: {mailbox_address: 'a@x.gov.vn'}},
        {
          op: 'mailbox.suspend',
          key: {address: 'b@x.gov.vn'},
          unit: '1',
          before: {status: 'active'},
          after: {status: 'suspended'},
        },
      ]),
      reverse: true,
    }
    expect(mailRecords(set).map(zmprovLine)).toEqual([
      'removeAccountAlias a@x.gov.vn b@x.gov.vn',
      'modifyAccount a@x.gov.vn zimbraAccountStatus locked',
      'modifyAccount b@x.gov.vn zimbraAccountStatus active',
    ])
  })
})

describe('LDIF (RFC 2849)', () => {
  it('writes ASCII values as they are and base64 where the RFC requires it', () => {
    expect(isSafeString('ubnd.namdinh')).toBe(true)
    expect(isSafeString('Nguyễn')).toBe(false)
    expect(isSafeString(' leading space')).toBe(false)
    expect(isSafeString(':colon')).toBe(false)
    expect(isSafeString('<less')).toBe(false)
    expect(isSafeString('trailing ')).toBe(false)
    const text = ldifText([accountEntry(options, account())])
    expect(text).toContain('dn: uid=nguyenvanan.13669,ou=13669,dc=ninhbinh,dc=gov,dc=vn\nchangetype: add\n')
    expect(text).toContain(`cn:: ${Buffer.from('Nguyễn Văn An').toString('base64')}\n`)
    expect(text).toContain(`sn:: ${Buffer.from('Nguyễn').toString('base64')}\n`)
    expect(text).toContain('departmentNumber: 000.01.00.H21\n')
  })

  it('folds lines longer than 76 columns with a leading space, and the fold joins back to the value', () => {
    const name = 'Ủy ban nhân dân phường Nam Định, tỉnh Ninh Bình — một tên rất dài để gấp dòng'
    const text = ldifText([accountEntry(options, account({agency: {...account().agency, name}}))])
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(76)
    const unfolded = text.replace(/\n /g, '')
    expect(unfolded).toContain(`o:: ${Buffer.from(name).toString('base64')}\n`)
  })

  it('moves an account to its new unit with modrdn, then replaces the attributes that follow the agency', () => {
    const after = account({
      unit: {code: '13684', name: 'Phường Thành Nam'},
      agency: {id: '13684.ubnd', name: 'UBND', identifierCode: null},
    })
    const records = accountChangeRecords(options, {action: 'move', before: account(), after})
    expect(ldifText(records)).toContain(
      [
        'dn: uid=nguyenvanan.13669,ou=13669,dc=ninhbinh,dc=gov,dc=vn',
        'changetype: modrdn',
        'newrdn: uid=nguyenvanan.13669',
        'deleteoldrdn: 1',
        'newsuperior: ou=13684,dc=ninhbinh,dc=gov,dc=vn',
        '',
        'dn: uid=nguyenvanan.13669,ou=13684,dc=ninhbinh,dc=gov,dc=vn',
        'changetype: modify',
      ].join('\n'),
    )
    expect(ldifText(records)).toContain('replace: departmentNumber\n-\n')
  })

  it('disables with the configured attribute and enables by removing it', () => {
    const disable = parseDisable('pwdAccountLockedTime=000001010000Z')!
    const o = {...options, disable}
    expect(ldifText(accountChangeRecords(o, {action: 'disable', before: account()}))).toContain(
      'replace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n-',
    )
    expect(ldifText(accountChangeRecords(o, {action: 'enable', after: account()}))).toContain(
      'replace: pwdAccountLockedTime\n-',
    )
    expect(parseDisable('no equals sign')).toBeUndefined()
  })

  it('escapes DN values and derives the base from the mail domain', () => {
    expect(escapeDnValue('a,b+c "d" #e ')).toBe('a\\,b\\+c \\"d\\" #e\\ ')
    expect(escapeDnValue('#x')).toBe('\\#x')
    expect(baseDnOfDomain('ninhbinh.gov.vn')).toBe('dc=ninhbinh,dc=gov,dc=vn')
  })
})

describe('SCIM 2.0 bulk operations', () => {
  it('writes the bulk request in pieces, byte for byte the request as one JSON text', () => {
    const request = (ops: unknown[]) =>
      JSON.stringify(
        {schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: ops},
        null,
        2,
      ) + '\n'
    const changes: DirectoryChange[] = [
      {action: 'create', after: account()},
      {action: 'disable', before: account({holder: 'Lê "Thị"\nBé'})},
    ]
    expect([...scimBulkChunks(changes)].join('')).toBe(request(changes.map(scimOperation)))
    expect([...scimBulkChunks([])].join('')).toBe(request([]))
  })

  it('POSTs new users with a bulkId and PATCHes moves and disables', () => {
    const create = scimOperation({action: 'create', after: account()})
    expect(create).toMatchObject({method: 'POST', path: '/Users', bulkId: 'nguyenvanan.13669'})
    expect(create.data).toMatchObject({
      userName: 'nguyenvanan.13669',
      displayName: 'Nguyễn Văn An',
      active: true,
    })
    expect(scimOperation({action: 'disable', before: account()})).toEqual({
      method: 'PATCH',
      path: '/Users/nguyenvanan.13669',
      data: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{op: 'replace', path: 'active', value: false}],
      },
    })
  })
})

describe('CSV and the journal', () => {
  it('writes UTF-8 with a BOM and defuses fields Excel would run as formulas', () => {
    const table = makeTable(
      {slug: 's', vi: 'Trang', en: 'Sheet'},
      [{vi: 'Tên', en: 'Name', value: (r: string) => r}],
      ['Nguyễn Thị Hà', '=HYPERLINK("x")', 'a,"b"'],
      'vi',
    )
    expect([...csvChunks(table)].join('')).toBe(
      '\ufeffTên\r\nNguyễn Thị Hà\r\n"\'=HYPERLINK(""x"")"\r\n"a,""b"""\r\n',
    )
  })

  it('writes a long table in pieces that put together are the whole table at once', () => {
    const rows = Array.from({length: 2500}, (_, i) => [`r${i}`, i % 7 === 0 ? 'a,"b"\nc' : null])
    const table = makeTable(
      {slug: 's', vi: 'Trang', en: 'Sheet'},
      [
        {vi: 'A', en: 'A', value: (r: (string | null)[]) => r[0]},
        {vi: 'B', en: 'B', value: (r: (string | null)[]) => r[1]},
      ],
      rows,
      'en',
    )
    const chunks = [...csvChunks(table)]
    expect(chunks.length).toBe(4)
    const whole = stringify([['A', 'B'], ...rows.map((r) => r.map((v) => v ?? ''))], {
      record_delimiter: 'windows',
    })
    expect(chunks.join('')).toBe('\ufeff' + whole)
  })

  it("names a journal entry's kind as the plan would", () => {
    const e = (table: string, before: object | null, after: object) =>
      ({table, key: {}, before, after}) as never
    expect(journalKind(e('accounts', null, {}))).toBe('account.create')
    expect(journalKind(e('accounts', {status: 'active'}, {status: 'disabled'}))).toBe('account.disable')
    expect(journalKind(e('accounts', {agency_id: 'a'}, {agency_id: 'b'}))).toBe('account.reassign')
    expect(journalKind(e('endpoints', {status: 'registered'}, {status: 'unregistered'}))).toBe(
      'endpoint.unregister',
    )
    expect(journalKind(e('mailboxes', {status: 'active'}, {status: 'suspended'}))).toBe('mailbox.suspend')
    expect(journalKind(e('unit_history', null, {}))).toBeUndefined()
  })

  it('finds counts that disagree with the source summary', () => {
    const m = {
      direction: 'forward',
      systems: ['dvc', 'mail'],
      summary: {byKind: {'mailbox.create': 2}, accountsBySystem: {dvc: {'account.reassign': 3}}},
      counts: {dvc: {create: 0, move: 2, disable: 0}, mail: {create: 2}},
    } as unknown as Manifest
    expect(countProblems(m)).toEqual(['dvc move: 2 rows, the source has 3'])
  })
})

describe('export --check exit code', () => {
  it('is 0 when the export matches its manifest and 3, naming the directory, when it does not', () => {
    const result = {dir: 'handoff', ok: true, source: null, files: 1, counts: {}, problems: []}
    expect(Export.outcome(result)).toEqual({exit: 0})
    expect(Export.outcome({...result, ok: false, problems: ['a.csv: missing']})).toEqual({
      exit: 3,
      message: 'handoff does not match its manifest',
    })
  })
})

describe('export --check of a directory that is not an export', () => {
  it('names the manifest it cannot read, or the format it expected', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-check-'))
    try {
      expect(() => checkExport(dir)).toThrow(
        `${path.join(dir, 'manifest.json')}: cannot read the export's manifest (ENOENT)`,
      )
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{"format": "other"}')
      expect(() => checkExport(dir)).toThrow('not a sapxep export manifest (format sapxep.export/1 expected)')
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{not json')
      expect(() => checkExport(dir)).toThrow(/manifest\.json: cannot read the export's manifest \(/)
    } finally {
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })
})
