import type {Knex} from 'knex'
import type {z} from 'zod'
import {tableSpec, type TableName} from '../schema.js'
import type {Problems} from './problems.js'

/**
 * The language of the system-export formats (agencies, accounts, mailboxes, endpoints): one declarative
 * definition per export says its columns, rules, references and extra writes; `readExport` and
 * `importExport` run any of them. Table layout (column types, natural key) comes from the registry schema.
 */

/** A data row as read: column name → cleaned text, `null` for an empty cell or a column not in the file. */
export type RawRow = Record<string, string | null>

export interface ExportColumn<S extends z.ZodType = z.ZodType> {
  /** Format of a non-empty cell. */
  schema: S
  /** The header must have it and every row must give it a value. */
  required: boolean
  /** What an empty cell gives (the table's default). */
  default?: string
  /** A column of the table; `false` for one read only for `writes` (a mailbox's aliases). */
  stored: boolean
}
export type ExportColumns = Record<string, ExportColumn>

export const required = <S extends z.ZodType>(schema: S) => ({schema, required: true, stored: true}) as const

export function optional<S extends z.ZodType>(
  schema: S,
  opts?: {stored?: false},
): {schema: S; required: false; stored: boolean}
export function optional<S extends z.ZodType>(
  schema: S,
  opts: {default: z.output<S> & string},
): {schema: S; required: false; stored: true; default: string}
export function optional<S extends z.ZodType>(
  schema: S,
  opts: {stored?: false; default?: string} = {},
): ExportColumn<S> {
  return {schema, required: false, stored: opts.stored ?? true, default: opts.default}
}

type ValueOf<C> = C extends {schema: infer S extends z.ZodType}
  ? C extends {required: true} | {default: string}
    ? z.output<S>
    : z.output<S> | null
  : never
/** The typed record a row of an export becomes. */
export type RecordOf<Cs> = {[K in keyof Cs]: ValueOf<Cs[K]>}

/** A record's value in a column named by a string (the definitions name columns so). */
export const cell = (value: object, column: string): unknown => (value as Record<string, unknown>)[column]

export interface ExportRecord<R> {
  line: number
  value: R
}

/** One key, several (a mailbox's aliases), or none. Keys of several columns are joined by `keyOf`. */
export type Keys = string | null | readonly string[]

export const keyOf = (...parts: string[]): string => parts.join('\t')
export const keysOf = (keys: Keys): readonly string[] =>
  keys === null ? [] : typeof keys === 'string' ? [keys] : keys

/** How messages name a row of a table by its natural key. */
const ROW_NAMES: Partial<Record<TableName, (key: string[]) => string>> = {
  units: ([code]) => `unit ${code}`,
  agencies: ([id]) => `agency ${id}`,
  accounts: ([system, username]) => `account ${system}:${username}`,
  mailboxes: ([address]) => `mailbox ${address}`,
  endpoints: ([axis, code]) => `endpoint ${code} on the ${axis} axis`,
}
export const rowName = (table: TableName, key: string): string => ROW_NAMES[table]?.(key.split('\t')) ?? key

/** `--system S`: the exports of a single system leave the system out. */
export interface SystemOption {
  /** The column S stands for: an empty cell gets S; a row naming another system is refused. */
  column: string
  /** Which rows get S in an empty cell (default: every row). */
  fills?(row: RawRow): boolean
  /** Help of the `--system` flag. */
  help: string
}

/** Values that may appear once in a file, besides the natural key (checked for every export). */
export interface Unique<R> {
  keys(row: R): Keys
  /** The value as messages name it: `<name> is already on line N`. */
  name(key: string): string
  /** Check only the first row of each natural key: a repeated row is reported once, as a repeated row. */
  firstRowsOnly?: true
}

/** A column naming a row of a table by its natural key (or, with `clash`, a value that must not be one). */
export interface Reference<R> {
  column: string
  table: TableName
  keys(row: R): Keys
  /** The named row may be in this file too (any line, any order). */
  orInFile?: true
  /** A row may not name itself; the end of the message saying so. */
  notSelf?: string
  /** The value must NOT be a key of the table; the end of the message when it is. */
  clash?: string
}

export interface RegistryCheck<R> {
  records: readonly ExportRecord<R>[]
  /** Natural keys of the file's rows. */
  fileKeys: ReadonlySet<string>
  problems: Problems
}

/** Rows of another table written with each record (identifier codes, aliases); counted in the result. */
export interface ExtraWrite<R, K extends string> {
  table: TableName
  columns: readonly string[]
  /** The rows, as values in the order of `columns`. */
  rows(row: R): readonly (readonly string[])[]
  /** `never`: a key already there keeps its row. Default: its other columns are updated. */
  update?: 'never'
  /** The result's field, what it counts (new rows, or new and changed rows), and how the command says it. */
  result: K
  counts: 'inserted' | 'written'
  label: string
}

export type ExportTable = 'agencies' | 'accounts' | 'mailboxes' | 'endpoints'

export interface ExportFormat<Cs extends ExportColumns = ExportColumns, K extends string = string> {
  /** The table the rows go to; its natural key is the file's key. */
  table: ExportTable
  /** In the table's order (also the order of the header listing and of the checks of a row). */
  columns: Cs
  systemOption?: SystemOption
  /** A rule across the columns of one row (the row is then not checked further). */
  rowRule?(row: RecordOf<Cs>): {column: keyof Cs & string; message: string} | undefined
  unique?: readonly Unique<RecordOf<Cs>>[]
  references?: readonly Reference<RecordOf<Cs>>[]
  /** Problems of a row against the rest of the file. */
  fileRule?(row: RecordOf<Cs>, fileKeys: ReadonlySet<string>): readonly string[]
  /** Checks against the registry beyond references, inside the import's transaction. */
  registryRule?(trx: Knex.Transaction, check: RegistryCheck<RecordOf<Cs>>): Promise<void>
  /** The registry's invariants on the file's rows, checked once they are written (see invariants.ts). */
  invariants?(trx: Knex.Transaction, check: RegistryCheck<RecordOf<Cs>>): Promise<void>
  writes?: readonly ExtraWrite<RecordOf<Cs>, K>[]
}

/** What every import returns (its `--json`). */
export interface ImportResult {
  file: string
  table: string
  /** Data rows in the file. */
  rows: number
  inserted: number
  updated: number
  unchanged: number
}
export type ImportResultOf<K extends string> = ImportResult & {[P in K]: number}

/** Check a definition against the table it fills (a mistake here is a bug, not bad input). */
export function defineExport<const Cs extends ExportColumns, const K extends string = never>(
  format: ExportFormat<Cs, K>,
): ExportFormat<Cs, K> {
  const spec = tableSpec(format.table)
  for (const [name, column] of Object.entries(format.columns)) {
    if (column.stored && !Object.hasOwn(spec.columns, name))
      throw new Error(`export ${format.table}: column ${name} is not in the table`)
    if (column.default !== undefined && !column.schema.safeParse(column.default).success)
      throw new Error(`export ${format.table}: default of ${name} does not fit its format`)
  }
  for (const key of spec.key)
    if (!format.columns[key]?.required) throw new Error(`export ${format.table}: key ${key} is not required`)
  return format
}

/** Column names of an export by header role, in the definition's order. */
export const columnNames = (
  format: {columns: ExportColumns},
  which: 'required' | 'optional' | 'all',
): string[] =>
  Object.entries(format.columns)
    .filter(([, c]) => which === 'all' || c.required === (which === 'required'))
    .map(([name]) => name)

/** The export's natural key (the table's), in key order. */
export const naturalKey = (format: {table: ExportTable}): readonly string[] => tableSpec(format.table).key
