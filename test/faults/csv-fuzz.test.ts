import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {SapxepError} from '../../src/errors.js'
import type {Registry} from '../../src/registry/db.js'
import {registryDigest} from '../../src/registry/digest.js'
import {accountsExport} from '../../src/registry/import/accounts.js'
import {agenciesExport} from '../../src/registry/import/agencies.js'
import {endpointsExport} from '../../src/registry/import/endpoints.js'
import type {ExportFormat} from '../../src/registry/import/export-format.js'
import {importExport} from '../../src/registry/import/import-export.js'
import {mailboxesExport} from '../../src/registry/import/mailboxes.js'
import {importUnits} from '../../src/registry/import/units.js'
import {DATA, FIXTURES, freshRegistryTarget, openTarget} from '../helpers/registry.js'
import {runs, seed} from './scale.js'

// Generated CSV files through each import, against a registry: 0 crashes, every refusal positioned
// (`file:line`), the registry digest unchanged after every refused import.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-csv-fuzz-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

const FORMATS: [string, ExportFormat][] = [
  ['agencies', agenciesExport as unknown as ExportFormat],
  ['accounts', accountsExport as unknown as ExportFormat],
  ['mailboxes', mailboxesExport as unknown as ExportFormat],
  ['endpoints', endpointsExport as unknown as ExportFormat],
]

/** Values a column may get: the fixtures' real ones, and hostile ones. */
const cell = fc.oneof(
  fc.constantFrom(
    '13669.ubnd',
    '13669',
    'ubnd',
    'Ủy ban nhân dân phường Trần Đăng Ninh',
    '000.13.21.H40',
    '36.ubnd',
    'active',
    'retired',
    'disabled',
    'dvc',
    'sso',
    'nguyenvanan.13669',
    'NguyenVanAn.13669',
    'chu_tich',
    'trandangninh.namdinh@namdinh.gov.vn',
    'official',
    'personal',
    'provincial',
    'national',
    'registered',
    '',
    ' ',
    'a\u0000b',
    'x"y',
    'a,b',
    'line\nbreak',
    '\u202e',
    '🙂',
    'x'.repeat(300),
  ),
  fc.string({maxLength: 12}),
)
const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)

function csvText(format: ExportFormat) {
  const known = Object.keys(format.columns)
  const header = fc.oneof(
    fc.constant(known),
    fc.shuffledSubarray(known, {minLength: 1}),
    fc
      .tuple(fc.shuffledSubarray(known), fc.constantFrom('unknown', 'name', '', 'id '))
      .map(([h, x]) => [...h, x]),
  )
  return header.chain((h) =>
    fc
      .array(fc.array(cell, {minLength: Math.max(0, h.length - 1), maxLength: h.length + 1}), {maxLength: 8})
      .map((rows) => [h, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n'),
  )
}

/** The bytes of a text as a file may really come: UTF-8 (with or without BOM), Latin-1, UTF-16, or torn. */
const bytes = (text: string) =>
  fc.constantFrom('utf8', 'bom', 'latin1', 'utf16', 'torn').map((how) => {
    switch (how) {
      case 'utf8':
        return Buffer.from(text, 'utf8')
      case 'bom':
        return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
      case 'latin1':
        return iconv.encode(text, 'latin1')
      case 'utf16':
        return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
      case 'torn': {
        const b = Buffer.from(text, 'utf8')
        return b.subarray(0, Math.max(1, b.length - 1))
      }
    }
  })

describe('imports under generated CSV files', () => {
  let registry: Registry
  const digest = async () => (await registryDigest(registry.db)).digest

  beforeAll(async () => {
    registry = await openTarget(await freshRegistryTarget())
    await importUnits(registry, path.join(DATA, 'nam-dinh-units-2024-05-01.csv'))
    for (const [kind, format] of FORMATS)
      await importExport(registry, format, path.join(FIXTURES, 'csv', `${kind}.csv`), {
        system: kind === 'mailboxes' ? 'sso' : undefined,
      })
  })
  afterAll(() => registry?.close())

  for (const [kind, format] of FORMATS)
    it(`${kind}: ${runs(100, 1000)} generated files, 0 crashes, refusals positioned, nothing written when refused`, async () => {
      let n = 0
      let refused = 0
      await fc.assert(
        fc.asyncProperty(csvText(format).chain(bytes), async (content) => {
          const file = path.join(tmp, `${kind}-${n++}.csv`)
          fs.writeFileSync(file, content)
          const before = await digest()
          const err = await importExport(registry, format, file).then(
            () => undefined,
            (e: unknown) => e,
          )
          if (err === undefined) return
          refused++
          expect(err).toBeInstanceOf(SapxepError)
          expect((err as Error).message).toMatch(new RegExp(`^${file}:\\d+(:\\d+)?: `))
          expect(await digest()).toBe(before)
        }),
        {numRuns: runs(100, 1000), seed},
      )
      console.log(
        `csv fuzz ${kind}: ${n} files, ${refused} refused (all positioned, digest unchanged), 0 crashes`,
      )
    })
})
