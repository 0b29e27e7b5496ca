import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {z} from 'zod'
import {accountsExport} from '../../src/registry/import/accounts.js'
import {agenciesExport} from '../../src/registry/import/agencies.js'
import {endpointsExport} from '../../src/registry/import/endpoints.js'
import {
  columnNames,
  naturalKey,
  type ExportColumns,
  type ExportFormat,
} from '../../src/registry/import/export-format.js'
import {mailboxesExport} from '../../src/registry/import/mailboxes.js'
import {Problems} from '../../src/registry/import/problems.js'
import {
  checkFile,
  headerColumns,
  parseRows,
  readExport,
  type ExportOptions,
} from '../../src/registry/import/read-export.js'
import {TABLES} from '../../src/registry/schema.js'

const FORMATS = [agenciesExport, accountsExport, mailboxesExport, endpointsExport] as const
const ROOT = path.resolve(import.meta.dirname, '../..')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-csv-formats-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

function csvFile(name: string, text: string): string {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text)
  return file
}

/** The message a file's problems are thrown with ('' when there are none). */
function messageOf(problems: Problems): string {
  try {
    problems.throwIfAny()
    return ''
  } catch (err) {
    return (err as Error).message
  }
}

/** Read a file of the format up to the file checks; the problems as the user would see them. */
async function problemsOf<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
  text: string,
  options: ExportOptions = {},
): Promise<string> {
  const {problems} = await readExport(format, csvFile('rows.csv', text), options)
  return messageOf(problems)
}

/** Rows given as objects, parsed and checked against the rest of the "file" (lines from 2). */
function checkRows<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
  rows: Record<string, string>[],
  options: ExportOptions = {},
) {
  const problems = new Problems('f.csv')
  const records = parseRows(
    format,
    rows.map((values, i) => ({line: i + 2, values})),
    options,
    problems,
  )
  checkFile(format, records, problems, options)
  return {records: records.map((r) => r.value), message: messageOf(problems)}
}

describe('the header of an export', () => {
  it('names the missing required columns on the header line', async () => {
    const file = csvFile('missing.csv', 'id,name\n36.ubnd,UBND\n')
    await expect(readExport(agenciesExport, file)).rejects.toThrow(
      `${file}:1: missing columns "unit_code", "kind" (header has: id, name)`,
    )
  })

  it('refuses unknown columns and lists the ones the format knows', async () => {
    const file = csvFile('unknown.csv', 'id,unit_code,kind,name,identifer_code,note\n')
    await expect(readExport(agenciesExport, file)).rejects.toThrow(
      `${file}:1: unknown columns "identifer_code", "note" (columns: id, unit_code, kind, name; optional: identifier_code, parent_id, status)`,
    )
  })

  it('refuses a column given twice', async () => {
    const file = csvFile('twice.csv', 'axis,agency_code,agency_id,name,name\n')
    await expect(readExport(endpointsExport, file)).rejects.toThrow(
      `${file}:1: column "name" appears twice in the header`,
    )
  })

  it('lets a single-system export leave out the system column only with --system', async () => {
    expect(headerColumns(accountsExport)).toEqual({
      required: ['username', 'holder', 'agency_id', 'role'],
      optional: ['system', 'status', 'reason', 'successor_username'],
    })
    const file = csvFile('dvc.csv', 'username,holder,agency_id,role\nan.13669,An,13669.ubnd,van_thu\n')
    await expect(readExport(accountsExport, file)).rejects.toThrow(
      `${file}:1: missing column "system" (or pass --system for a single-system export)`,
    )
    const {records} = await readExport(accountsExport, file, {system: 'dvc'})
    expect(records.map((r) => [r.line, r.value.system, r.value.username])).toEqual([[2, 'dvc', 'an.13669']])
  })

  it('refuses a --system that is not a system before reading the file', async () => {
    await expect(
      readExport(mailboxesExport, path.join(tmp, 'absent.csv'), {system: 'email'}),
    ).rejects.toThrow(
      /absent\.csv:1: --system email is not a system \(dvc, qlvb, ecert, reporting, feedback, sso\)/,
    )
  })
})

describe('the rows of an export', () => {
  it('reports the first problem of each row with its line and column, first line first', async () => {
    const message = await problemsOf(
      agenciesExport,
      'id,unit_code,kind,name,status\n36.ubnd,36,ubnd,UBND,gone\n36 x,3,X,,\n36.hdnd,36,hdnd,,active\n',
    )
    expect(message.split('\n')).toEqual([
      `${tmp}/rows.csv:2: column "status": "gone" is not one of active, retired`,
      '2 more problems in this file:',
      `  ${tmp}/rows.csv:3: column "id": "36 x" is not an agency id (letters, digits, '.', '_', '-', e.g. 13669.ubnd)`,
      `  ${tmp}/rows.csv:4: column "name" is empty`,
    ])
  })

  it('gives an empty optional cell the table default, or null', () => {
    const {records, message} = checkRows(endpointsExport, [
      {axis: 'national', agency_code: '000.00.00.H40', agency_id: '36.ubnd', name: 'UBND', status: ''},
    ])
    expect(message).toBe('')
    expect(records).toEqual([
      {
        axis: 'national',
        agency_code: '000.00.00.H40',
        parent_code: null,
        agency_id: '36.ubnd',
        name: 'UBND',
        mail: null,
        status: 'registered',
      },
    ])
  })

  it('lower-cases addresses and splits aliases', () => {
    const {records} = checkRows(mailboxesExport, [
      {
        address: 'UBND@NamDinh.gov.vn',
        display_name: 'UBND',
        kind: 'official',
        owner_agency_id: '36.ubnd',
        aliases: 'A@namdinh.gov.vn; a@namdinh.gov.vn;b@namdinh.gov.vn;',
      },
    ])
    expect(records[0]).toMatchObject({
      address: 'ubnd@namdinh.gov.vn',
      aliases: ['a@namdinh.gov.vn', 'b@namdinh.gov.vn'],
    })
  })

  it('applies a rule across the columns of a row as a sentence about one column', () => {
    const personal = {address: 'an@namdinh.gov.vn', display_name: 'An', kind: 'personal'}
    expect(checkRows(mailboxesExport, [{...personal, owner_username: 'an.13669'}]).message).toBe(
      'f.csv:2: column "owner_system" is empty but owner_username is set (or pass --system)',
    )
    expect(checkRows(mailboxesExport, [personal]).message).toBe(
      'f.csv:2: column "owner_username" is empty: a personal mailbox belongs to an account',
    )
  })

  it('fills the column --system stands for where the format says, and refuses another system', () => {
    const personal = {address: 'an@namdinh.gov.vn', display_name: 'An', kind: 'personal'}
    const official = {
      address: 'ubnd@namdinh.gov.vn',
      display_name: 'UBND',
      kind: 'official',
      owner_agency_id: '36.ubnd',
    }
    const {records, message} = checkRows(
      mailboxesExport,
      [
        {...personal, owner_username: 'an.13669'},
        official,
        {...personal, address: 'b@x.vn', owner_system: 'dvc', owner_username: 'b'},
      ],
      {system: 'sso'},
    )
    expect(records.map((m) => m.owner_system)).toEqual(['sso', null, 'dvc'])
    expect(message).toBe('f.csv:4: column "owner_system": dvc, but --system sso was given')
  })
})

describe('checks of a file against itself', () => {
  const agency = (id: string, more: Record<string, string> = {}) => ({
    id,
    unit_code: '36',
    kind: 'ubnd',
    name: 'UBND',
    ...more,
  })

  it('reports a repeated natural key on the later line, naming the first', () => {
    expect(checkRows(agenciesExport, [agency('36.ubnd'), agency('36.hdnd'), agency('36.ubnd')]).message).toBe(
      'f.csv:4: agency 36.ubnd is already on line 2',
    )
    const account = {system: 'sso', username: 'an', holder: 'An', agency_id: '36.ubnd', role: 'can_bo'}
    expect(checkRows(accountsExport, [account, {...account, system: 'dvc'}, account]).message).toBe(
      'f.csv:4: account sso:an is already on line 2',
    )
  })

  it('reports a repeated row once, not again for its other unique values', () => {
    const code = {identifier_code: '000.00.00.H40'}
    expect(
      checkRows(agenciesExport, [
        agency('36.ubnd', code),
        agency('36.ubnd', code),
        agency('36.hdnd', code),
        agency('36.old', {...code, status: 'retired'}),
      ]).message.split('\n'),
    ).toEqual([
      'f.csv:3: agency 36.ubnd is already on line 2',
      '1 more problem in this file:',
      '  f.csv:4: identifier code 000.00.00.H40 (of an active agency) is already on line 2',
    ])
  })

  it('finds a value repeated across rows of lists (aliases) and a row naming itself', () => {
    const mailbox = (address: string, aliases: string) => ({
      address,
      display_name: 'X',
      kind: 'official',
      owner_agency_id: '36.ubnd',
      aliases,
    })
    expect(
      checkRows(mailboxesExport, [
        mailbox('a@x.vn', 'one@x.vn;two@x.vn'),
        mailbox('b@x.vn', 'two@x.vn;a@x.vn'),
      ]).message.split('\n'),
    ).toEqual([
      'f.csv:3: alias two@x.vn is already on line 2',
      '1 more problem in this file:',
      '  f.csv:3: column "aliases": a@x.vn is a mailbox address in this file',
    ])
    expect(checkRows(agenciesExport, [agency('36.ubnd', {parent_id: '36.ubnd'})]).message).toBe(
      'f.csv:2: column "parent_id": agency 36.ubnd cannot be its own parent',
    )
  })

  it('lists ten problems and counts the rest', () => {
    const rows = Array.from({length: 13}, () => agency('36.ubnd'))
    const lines = checkRows(agenciesExport, rows).message.split('\n')
    expect(lines[0]).toBe('f.csv:3: agency 36.ubnd is already on line 2')
    expect(lines[1]).toBe('11 more problems in this file:')
    expect(lines).toHaveLength(2 + 9 + 1)
    expect(lines.at(-1)).toBe('  … and 2 more')
  })
})

/** The values of an enum column's schema (undefined for other formats). */
const enumValues = (column: {schema: z.ZodType}): readonly string[] | undefined =>
  column.schema instanceof z.ZodEnum ? (column.schema.options as string[]) : undefined

describe('the format definitions', () => {
  it.each(FORMATS.map((f) => [f.table, f] as const))(
    '%s agrees with the registry schema (columns, values, defaults, key)',
    (table, format) => {
      const spec = TABLES[table]
      const columns = spec.columns as Record<string, {values?: readonly unknown[]; ddl?: string}>
      for (const [name, column] of Object.entries(format.columns as ExportColumns)) {
        if (!column.stored) continue
        expect(Object.keys(columns), name).toContain(name)
        if (columns[name].values) expect(enumValues(column), name).toEqual(columns[name].values)
        expect(column.default, name).toBe(columns[name].ddl?.match(/default '([^']*)'/)?.[1])
      }
      for (const key of spec.key)
        expect(format.columns[key as keyof typeof format.columns].required).toBe(true)
    },
  )

  it('are described truly by README "System exports"', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
    const names = (cell: string) =>
      [...cell.replace(/\([^)]*\)/g, '').matchAll(/`([^`]*)`/g)].flatMap((m) => m[1].split(/,\s*/))
    for (const format of FORMATS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| ${format.table} |`))
      expect(row, format.table).toBeDefined()
      const [, , required, optional, key] = row!.split('|').map((c) => c.trim())
      expect(names(required).sort(), format.table).toEqual(columnNames(format, 'required').sort())
      expect(names(optional).sort(), format.table).toEqual(columnNames(format, 'optional').sort())
      expect(names(key), format.table).toEqual(naturalKey(format))
    }
  })

  it('are described truly by docs/csv-formats.md (columns, required, values, default, key)', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/csv-formats.md'), 'utf8')
    for (const format of FORMATS) {
      const section = doc.split(/\n## /).find((s) => s.startsWith(`${format.table}\n`))!
      expect(section, format.table).toBeDefined()
      const keyLine = section.split('\n').find((l) => l.includes('Key:'))!
      expect([...keyLine.split('Key:')[1].matchAll(/`([^`]*)`/g)].map((m) => m[1])).toEqual(
        naturalKey(format),
      )
      const rows = section
        .split('\n')
        .filter((l) => /^\| `/.test(l))
        .map((l) => l.split('|').map((c) => c.trim()))
      expect(
        rows.map((r) => r[1].replaceAll('`', '')),
        format.table,
      ).toEqual(columnNames(format, 'all'))
      for (const [, name, required, formatCell] of rows) {
        const column = format.columns[name.replaceAll('`', '') as keyof typeof format.columns]
        expect(required.startsWith('yes'), name).toBe(column.required)
        const values = enumValues(column)
        const listed = [...formatCell.matchAll(/`([^`]*)`/g)].map((m) => m[1])
        if (values && listed.length > 0) {
          expect(listed, name).toEqual(values)
          expect(formatCell.match(/`([^`]*)` \(default\)/)?.[1], name).toBe(column.default)
        }
      }
    }
  })
})
