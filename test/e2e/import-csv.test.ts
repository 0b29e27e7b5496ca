import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {registryDigest} from '../../src/registry/digest.js'
import {importAccounts} from '../../src/registry/import/accounts.js'
import {importAgencies} from '../../src/registry/import/agencies.js'
import {importEndpoints} from '../../src/registry/import/endpoints.js'
import {importMailboxes} from '../../src/registry/import/mailboxes.js'
import {importUnits} from '../../src/registry/import/units.js'
import {seedRegistry} from '../../src/registry/seed/seed.js'
import type {Registry} from '../../src/registry/db.js'
import {runCli} from '../helpers/cli.js'
import {
  DATA,
  FIXTURES,
  freshRegistryTarget,
  rows,
  withDb,
  type TestRegistryTarget,
} from '../helpers/registry.js'

const NAM_DINH_UNITS = path.join(DATA, 'nam-dinh-units-2024-05-01.csv')
const fixture = (name: string) => path.join(FIXTURES, 'csv', name)
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-import-csv-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

/** A CSV written for one test (variations of the fixtures). */
function csvFile(name: string, text: string): string {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text)
  return file
}

describe('registry import agencies|accounts|mailboxes|endpoints', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const digest = () => withDb(target, async (registry) => (await registryDigest(registry.db)).digest)

  beforeAll(async () => {
    target = await freshRegistryTarget()
    await withDb(target, (registry) => importUnits(registry, NAM_DINH_UNITS))
  })

  describe('agencies', () => {
    it('imports every row, NFC and trimmed, parents in any order, codes recorded as issued', async () => {
      const r = cli('registry', 'import', 'agencies', fixture('agencies.csv'), '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toEqual({
        file: fixture('agencies.csv'),
        table: 'agencies',
        rows: 6,
        inserted: 6,
        updated: 0,
        unchanged: 0,
        identifierCodesIssued: 5,
      })
      await withDb(target, async (registry) => {
        const [hdnd] = await rows(registry, `select * from agencies where id = '13669.hdnd'`)
        // The fixture spells this name in NFD with spaces around it.
        expect(hdnd).toMatchObject({
          name: 'Hội đồng nhân dân phường Trần Đăng Ninh'.normalize('NFC'),
          parent_id: '13669.ubnd',
          status: 'active',
          identifier_code: '001.13.21.H40',
        })
        expect(hdnd.name).toBe(hdnd.name.normalize('NFC'))
        expect(
          await rows(registry, `select code, agency_id, status from identifier_codes order by code`),
        ).toEqual([
          {code: '000.00.00.H40', agency_id: '36.ubnd', status: 'issued'},
          {code: '000.00.10.H40', agency_id: '36.so_tt_tt', status: 'issued'},
          {code: '000.00.21.H40', agency_id: '356.ubnd', status: 'issued'},
          {code: '000.13.21.H40', agency_id: '13669.ubnd', status: 'issued'},
          {code: '001.13.21.H40', agency_id: '13669.hdnd', status: 'issued'},
        ])
      })
    })

    it('changes nothing when the same file is imported again', async () => {
      const before = await digest()
      const r = cli('registry', 'import', 'agencies', fixture('agencies.csv'), '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toMatchObject({rows: 6, inserted: 0, updated: 0, unchanged: 6, identifierCodesIssued: 0})
      expect(await digest()).toBe(before)
    })

    it('updates only the rows that changed, and leaves columns missing from the header alone', async () => {
      const file = csvFile(
        'agencies-renamed.csv',
        'id,unit_code,kind,name\n36.so_tt_tt,36,so_thong_tin_truyen_thong,Sở Khoa học và Công nghệ tỉnh Nam Định\n36.ubnd,36,ubnd,Ủy ban nhân dân tỉnh Nam Định\n',
      )
      const r = cli('registry', 'import', 'agencies', file, '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toMatchObject({rows: 2, inserted: 0, updated: 1, unchanged: 1})
      await withDb(target, async (registry) => {
        expect(
          await rows(
            registry,
            `select name, identifier_code, parent_id from agencies where id = '36.so_tt_tt'`,
          ),
        ).toEqual([
          {
            name: 'Sở Khoa học và Công nghệ tỉnh Nam Định',
            identifier_code: '000.00.10.H40',
            parent_id: '36.ubnd',
          },
        ])
      })
    })

    it('refuses to give an issued identifier code to another agency', () => {
      const file = csvFile(
        'agencies-steal-code.csv',
        'id,unit_code,kind,name,identifier_code\n36.hdnd,36,hdnd,Hội đồng nhân dân tỉnh Nam Định,000.00.10.H40\n',
      )
      const r = cli('registry', 'import', 'agencies', file)
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(
        `${file}:2: column "identifier_code": 000.00.10.H40 was issued to agency 36.so_tt_tt`,
      )
    })

    it('names an unknown column in the header', () => {
      const file = csvFile(
        'agencies-typo.csv',
        'id,unit_code,kind,name,identifer_code\n36.ubnd,36,ubnd,Ủy ban nhân dân tỉnh Nam Định,\n',
      )
      const r = cli('registry', 'import', 'agencies', file)
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(`${file}:1: unknown column "identifer_code"`)
    })
  })

  describe('accounts', () => {
    it('imports accounts of several systems', async () => {
      const r = cli('registry', 'import', 'accounts', fixture('accounts.csv'), '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toMatchObject({table: 'accounts', rows: 5, inserted: 5, updated: 0, unchanged: 0})
      await withDb(target, async (registry) => {
        expect(
          await rows(
            registry,
            `select system, username, holder, agency_id, role, status from accounts order by system, username`,
          ),
        ).toEqual([
          {
            system: 'dvc',
            username: 'nguyenvanan.13669',
            holder: 'Nguyễn Văn An',
            agency_id: '13669.ubnd',
            role: 'chu_tich',
            status: 'active',
          },
          {
            system: 'ecert',
            username: 'lethihoa.13669',
            holder: 'Lê Thị Hoà',
            agency_id: '13669.ubnd',
            role: 'can_bo',
            status: 'disabled',
          },
          {
            system: 'qlvb',
            username: 'nguyenvanan.13669',
            holder: 'Nguyễn Văn An',
            agency_id: '13669.ubnd',
            role: 'chu_tich',
            status: 'active',
          },
          {
            system: 'sso',
            username: 'nguyenvanan.13669',
            holder: 'Nguyễn Văn An',
            agency_id: '13669.ubnd',
            role: 'chu_tich',
            status: 'active',
          },
          // NFD in the file, with a doubled space: stored NFC with one space.
          {
            system: 'sso',
            username: 'tranthibinh.13669',
            holder: 'Trần Thị Bình',
            agency_id: '13669.hdnd',
            role: 'can_bo',
            status: 'active',
          },
        ])
      })
      const again = cli('registry', 'import', 'accounts', fixture('accounts.csv'), '--json')
      expect(again.json).toMatchObject({inserted: 0, updated: 0, unchanged: 5})
    })

    it('takes the system of a single-system export from --system', async () => {
      const without = cli('registry', 'import', 'accounts', fixture('accounts-dvc.csv'))
      expect(without.status).toBe(1)
      expect(without.stderr).toContain(
        `${fixture('accounts-dvc.csv')}:1: missing column "system" (or pass --system`,
      )

      const r = cli(
        'registry',
        'import',
        'accounts',
        fixture('accounts-dvc.csv'),
        '--system',
        'dvc',
        '--json',
      )
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toMatchObject({rows: 2, inserted: 2})
      await withDb(target, async (registry) => {
        expect(
          await rows(
            registry,
            `select system, username from accounts where username in ('phamvancuong.13669', 'hoangthidung.13669') order by 2`,
          ),
        ).toEqual([
          {system: 'dvc', username: 'hoangthidung.13669'},
          {system: 'dvc', username: 'phamvancuong.13669'},
        ])
      })
    })

    it('refuses rows of another system than --system', () => {
      const r = cli('registry', 'import', 'accounts', fixture('accounts.csv'), '--system', 'dvc')
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(
        `${fixture('accounts.csv')}:3: column "system": qlvb, but --system dvc was given`,
      )
    })

    it('rejects an unknown --system value as a usage error', () => {
      const r = cli('registry', 'import', 'accounts', fixture('accounts-dvc.csv'), '--system', 'email')
      expect(r.status).toBe(1)
    })
  })

  describe('mailboxes', () => {
    it('imports addresses in lower case with their aliases; --system fills the owner system', async () => {
      const r = cli('registry', 'import', 'mailboxes', fixture('mailboxes.csv'), '--system', 'sso', '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toMatchObject({table: 'mailboxes', rows: 4, inserted: 4, aliasesWritten: 2})
      await withDb(target, async (registry) => {
        expect(
          await rows(
            registry,
            `select address, kind, owner_agency_id, owner_system, owner_username, status from mailboxes order by address`,
          ),
        ).toEqual([
          {
            address: 'hdnd.trandangninh.namdinh@namdinh.gov.vn',
            kind: 'official',
            owner_agency_id: '13669.hdnd',
            owner_system: null,
            owner_username: null,
            status: 'active',
          },
          {
            address: 'nguyenvanan.trandangninh@namdinh.gov.vn',
            kind: 'personal',
            owner_agency_id: null,
            owner_system: 'sso',
            owner_username: 'nguyenvanan.13669',
            status: 'active',
          },
          {
            address: 'trandangninh.namdinh@namdinh.gov.vn',
            kind: 'official',
            owner_agency_id: '13669.ubnd',
            owner_system: null,
            owner_username: null,
            status: 'active',
          },
          {
            address: 'tranthibinh.trandangninh@namdinh.gov.vn',
            kind: 'personal',
            owner_agency_id: null,
            owner_system: 'sso',
            owner_username: 'tranthibinh.13669',
            status: 'suspended',
          },
        ])
        expect(
          await rows(registry, `select alias, mailbox_address from mailbox_aliases order by alias`),
        ).toEqual([
          {alias: 'tdn@namdinh.gov.vn', mailbox_address: 'trandangninh.namdinh@namdinh.gov.vn'},
          {alias: 'ubnd.trandangninh@namdinh.gov.vn', mailbox_address: 'trandangninh.namdinh@namdinh.gov.vn'},
        ])
      })
      const before = await digest()
      const again = cli(
        'registry',
        'import',
        'mailboxes',
        fixture('mailboxes.csv'),
        '--system',
        'sso',
        '--json',
      )
      expect(again.json).toMatchObject({inserted: 0, updated: 0, unchanged: 4, aliasesWritten: 0})
      expect(await digest()).toBe(before)
    })

    it('needs the owner system when a row names an owner account', () => {
      const r = cli('registry', 'import', 'mailboxes', fixture('mailboxes.csv'))
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(
        `${fixture('mailboxes.csv')}:5: column "owner_system" is empty but owner_username is set`,
      )
    })

    it('refuses an alias that is a mailbox address', () => {
      const file = csvFile(
        'mailboxes-alias-clash.csv',
        'address,display_name,kind,owner_agency_id,aliases\nhdnd.x@namdinh.gov.vn,HĐND,official,13669.hdnd,trandangninh.namdinh@namdinh.gov.vn\n',
      )
      const r = cli('registry', 'import', 'mailboxes', file)
      expect(r.status).toBe(1)
      expect(r.stderr).toContain(
        `${file}:2: column "aliases": trandangninh.namdinh@namdinh.gov.vn is the address of a mailbox in the registry`,
      )
    })
  })

  describe('endpoints', () => {
    it('imports both axes; a parent outside the registry (a ministry) is accepted', async () => {
      const r = cli('registry', 'import', 'endpoints', fixture('endpoints.csv'), '--json')
      expect(r.status, r.stderr).toBe(0)
      expect(r.json).toMatchObject({table: 'endpoints', rows: 4, inserted: 4})
      await withDb(target, async (registry) => {
        expect(
          await rows(
            registry,
            `select axis, agency_code, parent_code, agency_id, mail, status from endpoints where agency_id = '36.ubnd' order by axis`,
          ),
        ).toEqual([
          {
            axis: 'national',
            agency_code: '000.00.00.H40',
            parent_code: '000.00.00.G22',
            agency_id: '36.ubnd',
            mail: 'ubnd@namdinh.gov.vn',
            status: 'registered',
          },
          {
            axis: 'provincial',
            agency_code: '000.00.00.H40',
            parent_code: null,
            agency_id: '36.ubnd',
            mail: null,
            status: 'registered',
          },
        ])
      })
      expect(cli('registry', 'import', 'endpoints', fixture('endpoints.csv'), '--json').json).toMatchObject({
        unchanged: 4,
      })
    })
  })

  describe('bad rows', () => {
    // None of these writes anything, so the digest stays the one taken here.
    let before: string
    beforeAll(async () => {
      before = await digest()
    })

    it.each([
      [
        'agencies',
        'agencies-bad-code.csv',
        3,
        /column "identifier_code": "000\.00\.00\.K4" is not an identifier code/,
      ],
      ['agencies', 'agencies-missing-column.csv', 1, /missing column "kind"/],
      ['agencies', 'agencies-unknown-unit.csv', 4, /column "unit_code": unit 99999 is not in the registry/],
      [
        'agencies',
        'agencies-unknown-parent.csv',
        3,
        /column "parent_id": agency 36\.ubdn is neither in the file nor in the registry/,
      ],
      ['agencies', 'agencies-duplicate.csv', 4, /agency 36\.ubnd is already on line 2/],
      [
        'accounts',
        'accounts-unknown-agency.csv',
        3,
        /column "agency_id": agency 13669\.ubdn is not in the registry/,
      ],
      ['accounts', 'accounts-bad-system.csv', 3, /column "system": "email" is not a system/],
      [
        'mailboxes',
        'mailboxes-unknown-owner.csv',
        3,
        /column "owner_username": account sso:lethihoa\.13669 is not in the registry/,
      ],
      [
        'mailboxes',
        'mailboxes-bad-alias.csv',
        2,
        /column "aliases" lists "so tttt@namdinh\.gov\.vn", which is not a mail address/,
      ],
      [
        'endpoints',
        'endpoints-bad-axis.csv',
        3,
        /column "axis": "regional" is not one of provincial, national/,
      ],
    ])(
      '%s %s: exit 1, file:%i and the column named, nothing written',
      async (entity, name, line, message) => {
        const file = fixture(name)
        const r = cli('registry', 'import', entity, file)
        expect(r.status).toBe(1)
        expect(r.stderr).toContain(`${file}:${line}: `)
        expect(r.stderr).toMatch(message)
        expect(r.stderr).not.toMatch(/\n\s+at /)
        expect(await digest()).toBe(before)
      },
    )

    it('lists every bad row of a file at once, first line first', () => {
      const file = csvFile(
        'accounts-many-bad.csv',
        'system,username,holder,agency_id,role\nsso,a.13669,A,13669.nope,can_bo\nsso,b 13669,B,13669.ubnd,can_bo\nsso,c.13669,,13669.ubnd,can_bo\n',
      )
      const r = cli('registry', 'import', 'accounts', file, '--json')
      expect(r.status).toBe(1)
      expect(r.json.error).toMatchObject({code: 'input', exit: 1})
      const message: string = r.json.error.message
      expect(message.startsWith(`${file}:2: column "agency_id"`)).toBe(true)
      expect(message).toContain(`${file}:3: column "username": "b 13669" is not a username`)
      expect(message).toContain(`${file}:4: column "holder" is empty`)
    })

    it('a bad row after good ones leaves the good ones unwritten too', async () => {
      await withDb(target, async (registry) => {
        await expect(importAgencies(registry, fixture('agencies-unknown-unit.csv'))).rejects.toThrow(
          /agencies-unknown-unit\.csv:4:/,
        )
        // 36.hdnd, on line 3 of that file, is valid but must not have been written.
        expect(await rows(registry, `select id from agencies where id = '36.hdnd'`)).toEqual([])
      })
    })
  })
})

describe('a seeded registry exported to CSV', () => {
  it('imports back into a registry holding only the units to the same digest', async () => {
    const seeded = await freshRegistryTarget()
    const exported = await withDb(seeded, async (registry) => {
      await importUnits(registry, NAM_DINH_UNITS)
      await seedRegistry(registry, {sample: 'nam-dinh', seed: 3})
      const files = {
        agencies: await exportCsv(
          registry,
          'agencies',
          'select id, unit_code, kind, name, identifier_code, parent_id, status from agencies',
        ),
        accounts: await exportCsv(
          registry,
          'accounts',
          'select system, username, holder, agency_id, role, status from accounts',
        ),
        mailboxes: await exportCsv(
          registry,
          'mailboxes',
          'select address, display_name, kind, owner_agency_id, owner_system, owner_username, status from mailboxes',
        ),
        endpoints: await exportCsv(
          registry,
          'endpoints',
          'select axis, agency_code, parent_code, agency_id, name, mail, status from endpoints',
        ),
      }
      return {files, digest: (await registryDigest(registry.db)).digest}
    })

    const target = await freshRegistryTarget()
    await withDb(target, async (registry) => {
      await importUnits(registry, NAM_DINH_UNITS)
      expect((await importAgencies(registry, exported.files.agencies)).inserted).toBeGreaterThan(1000)
      expect((await importAccounts(registry, exported.files.accounts)).inserted).toBeGreaterThan(20_000)
      await importMailboxes(registry, exported.files.mailboxes)
      await importEndpoints(registry, exported.files.endpoints)
      expect((await registryDigest(registry.db)).digest).toBe(exported.digest)
    })
  })
})

/** Write the rows of a query as CSV (header from the column names, RFC 4180 quoting). */
async function exportCsv(registry: Registry, name: string, sql: string): Promise<string> {
  const result = await registry.db.raw(sql)
  const columns: string[] = result.fields.map((f: {name: string}) => f.name)
  const quote = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v)
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  const lines = [
    columns.join(','),
    ...result.rows.map((row: Record<string, unknown>) => columns.map((c) => quote(row[c])).join(',')),
  ]
  const file = path.join(tmp, `export-${name}.csv`)
  fs.writeFileSync(file, lines.join('\n') + '\n')
  return file
}
