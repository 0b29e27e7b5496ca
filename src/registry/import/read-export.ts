import {z} from 'zod'
import {InputError} from '../../errors.js'
import {SYSTEMS, isSystem} from '../vocabulary.js'
import {readCsv, type CsvRow} from './csv.js'
import type {CsvEncoding} from './decode.js'
import {
  cell,
  columnNames,
  keyOf,
  keysOf,
  naturalKey,
  rowName,
  type ExportColumns,
  type ExportFormat,
  type ExportRecord,
  type ExportTable,
  type Keys,
  type RawRow,
  type RecordOf,
} from './export-format.js'
import {Problems} from './problems.js'

/**
 * The part of an import that needs no database: read the CSV, check its header, turn every row into a
 * typed record with zod, then check the file against itself (`--system`, duplicates, rows naming
 * themselves, the format's file rule). Problems are collected with their line, not thrown, so that the
 * reference checks can add theirs and the user sees them all at once.
 */

export interface ExportOptions {
  /** `--system S` of a single-system export (see `SystemOption`); ignored by formats without one. */
  system?: string
  /** The file's encoding (default UTF-8, checked strictly; see CSV_ENCODINGS). */
  encoding?: CsvEncoding
}

export interface ExportFile<R> {
  /** Columns the file gives (or `--system` fills): the only ones updated on rows already in the registry. */
  present: Set<string>
  records: ExportRecord<R>[]
  /** Natural keys of the records. */
  fileKeys: Set<string>
  problems: Problems
}

export async function readExport<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
  file: string,
  options: ExportOptions = {},
): Promise<ExportFile<RecordOf<Cs>>> {
  checkOptions(format, file, options)
  const {header, rows} = await readCsv(file, {
    required: headerColumns(format).required,
    encoding: options.encoding,
  })
  checkHeader(format, file, header, options)
  const problems = new Problems(file)
  const records = parseRows(format, rows, options, problems)
  const fileKeys = checkFile(format, records, problems, options)
  const present = new Set(header)
  if (format.systemOption && options.system !== undefined) present.add(format.systemOption.column)
  return {present, records, fileKeys, problems}
}

function checkOptions(
  format: Pick<ExportFormat, 'systemOption'>,
  file: string,
  options: ExportOptions,
): void {
  if (format.systemOption && options.system !== undefined && !isSystem(options.system))
    throw new InputError(file, 1, `--system ${options.system} is not a system (${SYSTEMS.join(', ')})`)
}

type HeaderFormat = Pick<ExportFormat, 'columns' | 'systemOption'>

/** The columns a header must have and may have; the column `--system` stands for may be left out. */
export function headerColumns(format: HeaderFormat): {required: string[]; optional: string[]} {
  const byOption = format.systemOption?.column
  const all = columnNames(format, 'all')
  return {
    required: all.filter((c) => format.columns[c].required && c !== byOption),
    optional: all.filter((c) => !format.columns[c].required || c === byOption),
  }
}

/**
 * After `readCsv` has checked the required columns: nothing unknown (a misspelt column would otherwise be
 * silently ignored), nothing twice, and the column `--system` stands for unless the flag is given.
 */
export function checkHeader(
  format: HeaderFormat,
  file: string,
  header: readonly string[],
  options: ExportOptions,
): void {
  const {required, optional} = headerColumns(format)
  const unknown = header.filter((h) => !Object.hasOwn(format.columns, h))
  if (unknown.length > 0)
    throw new InputError(
      file,
      1,
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} ` +
        `(columns: ${required.join(', ')}; optional: ${optional.join(', ')})`,
    )
  const twice = header.find((h, i) => header.indexOf(h) !== i)
  if (twice) throw new InputError(file, 1, `column "${twice}" appears twice in the header`)
  const byOption = format.systemOption?.column
  if (byOption && format.columns[byOption].required && !header.includes(byOption) && !options.system)
    throw new InputError(
      file,
      1,
      `missing column "${byOption}" (or pass --system for a single-system export)`,
    )
}

/** Rows that fit the format become records; the others add one problem each, naming the column. */
export function parseRows<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
  rows: readonly CsvRow[],
  options: ExportOptions,
  problems: Problems,
): ExportRecord<RecordOf<Cs>>[] {
  const schema = rowSchema(format)
  const columns = columnNames(format, 'all')
  const option = format.systemOption
  const records: ExportRecord<RecordOf<Cs>>[] = []
  for (const {line, values} of rows) {
    const row: RawRow = {}
    for (const column of columns) row[column] = values[column] || null
    if (
      option &&
      options.system !== undefined &&
      row[option.column] === null &&
      (option.fills?.(row) ?? true)
    )
      row[option.column] = options.system
    const parsed = schema.safeParse(row)
    if (parsed.success) records.push({line, value: parsed.data})
    else problems.add(line, describeIssue(parsed.error.issues[0], row))
  }
  return records
}

/** One zod object over the columns (in the definition's order, so the first problem of a row is reported). */
function rowSchema<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
): z.ZodType<RecordOf<Cs>> {
  const shape: Record<string, z.ZodType> = {}
  for (const [name, column] of Object.entries(format.columns)) {
    const {schema, default: value} = column
    shape[name] = column.required
      ? schema
      : value === undefined
        ? schema.nullable()
        : schema.nullable().transform((v) => v ?? value)
  }
  // The shape is built from the definition at run time; its output is the record type the columns declare.
  const object = z.object(shape) as unknown as z.ZodType<RecordOf<Cs>>
  const rule = format.rowRule?.bind(format)
  if (!rule) return object
  return object.superRefine((row, ctx) => {
    const broken = rule(row)
    if (broken) ctx.addIssue({code: 'custom', path: [broken.column], message: broken.message})
  })
}

function describeIssue(issue: z.core.$ZodIssue, row: RawRow): string {
  const column = issue.path[0]
  if (typeof column !== 'string') return issue.message
  if (row[column] === null && issue.code === 'invalid_type') return `column "${column}" is empty`
  // Cross-column rules read as a sentence about the column: `column "owner_username" is empty: …`.
  if (issue.code === 'custom') return `column "${column}" ${issue.message}`
  return `column "${column}": ${issue.message}`
}

/** The natural key of a record (several columns joined by `keyOf`). */
export function recordKey(format: {table: ExportTable}): (value: object) => string {
  const key = naturalKey(format)
  return (value) => keyOf(...key.map((c) => String(cell(value, c))))
}

/**
 * Checks of the file against itself, in the order their problems are listed on a line: rows of another
 * system than `--system`, repeated natural keys, other repeated values, rows naming themselves, the
 * format's file rule. Returns the natural keys of the file.
 */
export function checkFile<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
  records: readonly ExportRecord<RecordOf<Cs>>[],
  problems: Problems,
  options: ExportOptions,
): Set<string> {
  const keyOfRow = recordKey(format)
  const option = format.systemOption
  if (option && options.system !== undefined)
    for (const {line, value} of records) {
      const named = cell(value, option.column)
      if (named !== null && named !== options.system)
        problems.add(line, `column "${option.column}": ${named}, but --system ${options.system} was given`)
    }
  const firstRows = reportRepeats(records, keyOfRow, (key) => rowName(format.table, key), problems)
  for (const unique of format.unique ?? [])
    reportRepeats(unique.firstRowsOnly ? firstRows : records, unique.keys, unique.name, problems)
  for (const reference of format.references ?? []) {
    if (!reference.notSelf) continue
    for (const {line, value} of records) {
      const own = keyOfRow(value)
      if (keysOf(reference.keys(value)).includes(own))
        problems.add(
          line,
          `column "${reference.column}": ${rowName(reference.table, own)} ${reference.notSelf}`,
        )
    }
  }
  const fileKeys = new Set(records.map((r) => keyOfRow(r.value)))
  if (format.fileRule)
    for (const {line, value} of records)
      for (const message of format.fileRule(value, fileKeys)) problems.add(line, message)
  return fileKeys
}

/** Report every row that repeats a value of an earlier row; returns the rows that repeat none. */
export function reportRepeats<R>(
  records: readonly ExportRecord<R>[],
  keys: (value: R) => Keys,
  name: (key: string) => string,
  problems: Problems,
): ExportRecord<R>[] {
  const firstLine = new Map<string, number>()
  const firstRows: ExportRecord<R>[] = []
  for (const record of records) {
    let repeats = false
    for (const key of keysOf(keys(record.value))) {
      const seen = firstLine.get(key)
      if (seen === undefined) firstLine.set(key, record.line)
      else {
        problems.add(record.line, `${name(key)} is already on line ${seen}`)
        repeats = true
      }
    }
    if (!repeats) firstRows.push(record)
  }
  return firstRows
}
