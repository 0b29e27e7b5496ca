import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {importAgencies} from '../../src/registry/import/agencies.js'
import {importUnits} from '../../src/registry/import/units.js'
import {runCli} from '../helpers/cli.js'
import {
  DATA,
  FIXTURES,
  freshRegistryTarget,
  openTarget,
  withDb,
  type TestRegistryTarget,
} from '../helpers/registry.js'
import {registryDigestOf} from '../helpers/scenario.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-encoding-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

const file = (name: string, bytes: Buffer | string) => {
  const f = path.join(tmp, name)
  fs.writeFileSync(f, bytes)
  return f
}
const utf8 = (s: string) => Buffer.from(s, 'utf8')
/** "Ủy ban nhân dân phường Trần Đăng Ninh" as a Latin-1 tool writes it: the tone marks lost, one byte a letter. */
const LATIN1_NAME = Buffer.from('\xdcy ban nh\xe2n d\xe2n ph\xfd\xf5ng Tr\xe2n \xd0\xe3ng Ninh', 'latin1')
const NAME = 'Ủy ban nhân dân phường Trần Đăng Ninh'
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu
/** Windows-1258 has â, ơ, ư … but not their toned forms: the tone follows as a combining mark. */
const windows1258Form = (s: string) =>
  [...s]
    .map((c) => {
      const d = c.normalize('NFD')
      return d.replace(TONE_MARKS, '').normalize('NFC') + (d.match(TONE_MARKS) ?? []).join('')
    })
    .join('')

/** One row per kind with a name column given as the bytes a Windows tool writes. */
const ROWS: Record<string, [string, string, string]> = {
  agencies: ['id,unit_code,kind,name\n', '13669.ubnd,13669,ubnd,', '\n'],
  accounts: ['system,username,holder,agency_id,role\n', 'dvc,an.13669,', ',13669.ubnd,can_bo\n'],
  mailboxes: [
    'address,display_name,kind,owner_agency_id\n',
    'ubnd.tdn@namdinh.gov.vn,',
    ',official,13669.ubnd\n',
  ],
  endpoints: ['axis,agency_code,agency_id,name\n', 'provincial,000.13.21.H40,13669.ubnd,', '\n'],
}

describe('registry import: file encodings', () => {
  let target: TestRegistryTarget
  const cli = (...args: string[]) => runCli([...args, '--json', ...target.cliArgs], target.env)

  // The refused imports come first and write nothing, so the digest stays the one taken here.
  let unchanged: string
  beforeAll(async () => {
    target = await freshRegistryTarget()
    await withDb(target, async (registry) => {
      await importUnits(registry, path.join(DATA, 'nam-dinh-units-2024-05-01.csv'))
      await importAgencies(registry, path.join(FIXTURES, 'csv', 'agencies.csv'))
    })
    unchanged = registryDigestOf(target)
  })

  for (const [kind, [header, before, after]] of Object.entries(ROWS)) {
    it(`${kind}: a Latin-1 name in a UTF-8 import is refused at its line and column, nothing written`, () => {
      const f = file(`${kind}-latin1.csv`, Buffer.concat([utf8(header + before), LATIN1_NAME, utf8(after)]))
      const r = cli('registry', 'import', kind, f)
      expect(r.status).toBe(1)
      expect(r.json.error.message).toContain(`${f}:2:${before.length + 1}: not valid UTF-8 (byte 0xDC)`)
      expect(r.json.error.message).toContain('--encoding windows-1258')
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
      expect(registryDigestOf(target)).toBe(unchanged)
    })
  }

  it('one bad row in an otherwise UTF-8 file is refused on its own line', () => {
    const f = file(
      'agencies-one-bad.csv',
      Buffer.concat([
        utf8(`id,unit_code,kind,name\n13669.ubnd,13669,ubnd,${NAME}\n13669.hdnd,13669,hdnd,`),
        Buffer.from('H\xf4i \xf0\xf4ng', 'latin1'),
        utf8('\n'),
      ]),
    )
    const r = cli('registry', 'import', 'agencies', f)
    expect(r.status).toBe(1)
    expect(r.json.error.message).toMatch(new RegExp(`^${f}:3:24: not valid UTF-8 \\(byte 0xF4\\)`))
    expect(registryDigestOf(target)).toBe(unchanged)
  })

  it('a NUL byte in a name is refused with its line and column name, not a raw SQL error', () => {
    const f = file('agencies-nul.csv', `id,unit_code,kind,name\n13669.ubnd,13669,ubnd,${NAME}\u0000x\n`)
    const r = cli('registry', 'import', 'agencies', f)
    expect(r.status).toBe(1)
    expect(r.json.error.message).toBe(
      `${f}:2: column "name" contains the control character U+0000; nothing was imported`,
    )
    expect(registryDigestOf(target)).toBe(unchanged)
  })

  it('--encoding windows-1258 reads a Vietnamese Windows export exactly (decomposed tone marks composed)', async () => {
    const f = file(
      'agencies-1258.csv',
      iconv.encode(
        `id,unit_code,kind,name\n13669.ubnd,13669,ubnd,${windows1258Form(NAME)}\n`,
        'windows-1258',
      ),
    )
    const r = cli('registry', 'import', 'agencies', f, '--encoding', 'windows-1258')
    expect(r.status, r.stderr).toBe(0)
    const registry = await openTarget(target)
    try {
      const {rows} = await registry.db.raw(`select name from agencies where id = '13669.ubnd'`)
      expect(rows[0].name).toBe(NAME)
    } finally {
      await registry.close()
    }
  })

  it('UTF-16 with a byte-order mark is decoded as such; an unknown --encoding is a usage error', async () => {
    const f = file(
      'agencies-utf16.csv',
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        iconv.encode(
          `id,unit_code,kind,name\n13669.hdnd,13669,hdnd,Hội đồng nhân dân phường Trần Đăng Ninh\n`,
          'utf-16le',
        ),
      ]),
    )
    expect(cli('registry', 'import', 'agencies', f).status).toBe(0)
    const registry = await openTarget(target)
    try {
      const {rows} = await registry.db.raw(`select name from agencies where id = '13669.hdnd'`)
      expect(rows[0].name).toBe('Hội đồng nhân dân phường Trần Đăng Ninh')
    } finally {
      await registry.close()
    }
    expect(cli('registry', 'import', 'agencies', f, '--encoding', 'koi8-r').status).toBe(1)
  })
})
