import type {Knex} from 'knex'
import {z} from 'zod'
import {InputError} from '../../errors.js'
import {
  ADDRESS_PATTERN,
  AGENCY_ID_PATTERN,
  IDENTIFIER_CODE_PATTERN,
  SYSTEMS,
  UNIT_CODE_PATTERN,
  type System,
} from '../vocabulary.js'
import {readCsv} from './csv.js'

/**
 * The shared pipeline of the system-export imports (agencies, accounts, mailboxes, endpoints): read the
 * CSV, check its header, turn every row into a typed record with zod, collect every problem with its
 * line, then check duplicates and references before anything is written.
 */

export interface ExportColumns {
  required: readonly string[]
  optional: readonly string[]
}

export interface ExportRecord<T> {
  line: number
  value: T
}

export interface ImportResult {
  file: string
  table: string
  /** Data rows in the file. */
  rows: number
  inserted: number
  updated: number
  unchanged: number
}

/** How many problems are listed in one error message; the rest are counted. */
const LISTED_PROBLEMS = 10
const KEPT_PROBLEMS = 1000

/** Every problem found in one file; thrown at once as one `file:line: message` error (the first line first). */
export class Problems {
  private readonly list: {line: number; message: string}[] = []
  private dropped = 0

  constructor(readonly file: string) {}

  add(line: number, message: string): void {
    if (this.list.length < KEPT_PROBLEMS) this.list.push({line, message})
    else this.dropped++
  }

  get count(): number {
    return this.list.length + this.dropped
  }

  throwIfAny(): void {
    if (this.count === 0) return
    const sorted = [...this.list].sort((a, b) => a.line - b.line)
    const [first, ...rest] = sorted
    let message = first.message
    if (rest.length > 0) {
      const more = rest.slice(0, LISTED_PROBLEMS - 1).map((p) => `\n  ${this.file}:${p.line}: ${p.message}`)
      const unlisted = this.count - 1 - more.length
      message +=
        `\n${this.count - 1} more problem${this.count > 2 ? 's' : ''} in this file:` +
        more.join('') +
        (unlisted > 0 ? `\n  … and ${unlisted} more` : '')
    }
    throw new InputError(this.file, first.line, message)
  }
}

/** Zod turns a row (column name → cleaned text, `null` for an empty cell) into a typed record. */
export type RowSchema<T> = z.ZodType<T>

/**
 * Read an export: the header must hold every required column and nothing unknown (a misspelt column
 * would otherwise be silently ignored). Rows that fail the schema are collected in `problems`, with the
 * column named; the caller throws them together with the duplicate and reference checks.
 */
export async function readExport<T>(
  file: string,
  columns: ExportColumns,
  schema: RowSchema<T>,
  problems: Problems,
  opts: {fill?: Record<string, string>} = {},
): Promise<{present: Set<string>; records: ExportRecord<T>[]}> {
  const {header, rows} = await readCsv(file, {required: [...columns.required]})
  const known = new Set([...columns.required, ...columns.optional])
  const unknown = header.filter((h) => !known.has(h))
  if (unknown.length > 0)
    throw new InputError(
      file,
      1,
      `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')} ` +
        `(columns: ${columns.required.join(', ')}; optional: ${columns.optional.join(', ')})`,
    )
  const twice = header.find((h, i) => header.indexOf(h) !== i)
  if (twice) throw new InputError(file, 1, `column "${twice}" appears twice in the header`)
  const present = new Set(header)
  const records: ExportRecord<T>[] = []
  for (const {line, values} of rows) {
    const input: Record<string, string | null> = {}
    for (const column of known) input[column] = values[column] || opts.fill?.[column] || null
    const parsed = schema.safeParse(input)
    if (parsed.success) records.push({line, value: parsed.data})
    else problems.add(line, describeIssue(parsed.error.issues[0], input))
  }
  return {present, records}
}

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, string | null>): string {
  const column = issue.path[0]
  if (typeof column !== 'string') return issue.message
  if (input[column] === null && issue.code === 'invalid_type') return `column "${column}" is empty`
  // Cross-column rules read as a sentence about the column: `column "owner_username" is empty: …`.
  if (issue.code === 'custom') return `column "${column}" ${issue.message}`
  return `column "${column}": ${issue.message}`
}

/** Report the second and later rows that repeat a natural key. */
export function checkDuplicates<T>(
  problems: Problems,
  records: ExportRecord<T>[],
  key: (value: T) => string | null,
  label: (value: T) => string,
): void {
  const first = new Map<string, number>()
  for (const {line, value} of records) {
    const k = key(value)
    if (k === null) continue
    const seen = first.get(k)
    if (seen === undefined) first.set(k, line)
    else problems.add(line, `${label(value)} is already on line ${seen}`)
  }
}

/** Which of `keys` exist as `column` of `table` (batched `= any(…)` lookups). */
export async function existingKeys(
  trx: Knex.Transaction,
  table: string,
  column: string,
  keys: Iterable<string>,
  where = 'true',
): Promise<Set<string>> {
  const all = [...new Set(keys)]
  const found = new Set<string>()
  for (let i = 0; i < all.length; i += 20_000) {
    const {rows} = await trx.raw(
      `select ${column} as k from ${table} where ${column} = any(?::text[]) and ${where}`,
      [all.slice(i, i + 20_000)],
    )
    for (const r of rows as {k: string}[]) found.add(r.k)
  }
  return found
}

/** Report every row whose reference (if it has one) is not known. */
export function checkReferences<T>(
  problems: Problems,
  records: ExportRecord<T>[],
  reference: (value: T) => string | null,
  known: (key: string) => boolean,
  message: (value: T, key: string) => string,
): void {
  for (const {line, value} of records) {
    const k = reference(value)
    if (k !== null && !known(k)) problems.add(line, message(value, k))
  }
}

/** Column arrays for `upsertRows`, one per column, in order. */
export function columnsOf<T>(records: ExportRecord<T>[], getters: ((value: T) => unknown)[]): unknown[][] {
  return getters.map((get) => records.map((r) => get(r.value)))
}

export function withUnchanged(
  base: {file: string; table: string; rows: number},
  counts: {inserted: number; updated: number},
): ImportResult {
  return {...base, ...counts, unchanged: base.rows - counts.inserted - counts.updated}
}

// Formats shared by the schemas. Messages quote the offending value so the user sees what was read.
const quoted = (input: unknown) => JSON.stringify(input)

export const identifierCode = z.string().regex(IDENTIFIER_CODE_PATTERN, {
  error: (iss) =>
    `${quoted(iss.input)} is not an identifier code (QCVN 102 format V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.00.H40)`,
})

export const agencyId = z.string().regex(AGENCY_ID_PATTERN, {
  error: (iss) =>
    `${quoted(iss.input)} is not an agency id (letters, digits, '.', '_', '-', e.g. 13669.ubnd)`,
})

export const unitCode = z.string().regex(UNIT_CODE_PATTERN, {
  error: (iss) => `${quoted(iss.input)} is not a unit code (2, 3 or 5 digits with leading zeros)`,
})

export const slug = (what: string) =>
  z.string().regex(/^[a-z][a-z0-9_]*$/, {
    error: (iss) =>
      `${quoted(iss.input)} is not a ${what} (lower-case letters, digits and '_', e.g. ${what === 'role' ? 'van_thu' : 'ubnd'})`,
  })

export const text = z.string()

/** Addresses are compared and stored in lower case (mail systems treat them so). */
export const address = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(
    z.string().regex(ADDRESS_PATTERN, {
      error: (iss) =>
        `${quoted(iss.input)} is not a mail address (lower-case letters, digits, '.', '_', '-' before and after one '@')`,
    }),
  )

export {SYSTEMS, type System}

export const system = z.enum(SYSTEMS, {
  error: (iss) => `${quoted(iss.input)} is not a system (${SYSTEMS.join(', ')})`,
})

export const oneOf = <const V extends readonly [string, ...string[]]>(values: V) =>
  z.enum(values, {error: (iss) => `${quoted(iss.input)} is not one of ${values.join(', ')}`})
