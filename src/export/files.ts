import fs from 'node:fs'
import {csvText, writeWorkbook, type Table} from './table.js'

/** A file of an export: where it goes, for which system, how many rows per action, and how to write it. */
export interface ExportFile {
  /** Relative to the export directory, `/`-separated. */
  path: string
  system: string
  format: 'xlsx' | 'csv' | 'zmprov' | 'ldif' | 'scim'
  rows: Record<string, number>
  write: (file: string) => Promise<void>
}

const countRows = (tables: readonly Table[]): Record<string, number> =>
  Object.fromEntries(tables.map((t) => [t.slug, t.rows.length]))

/** A workbook of the tables, and one CSV per table beside it (`dir/name-slug.csv`). */
export function workbookAndCsv(
  dir: string,
  name: string,
  system: string,
  tables: readonly Table[],
): ExportFile[] {
  return [
    {
      path: `${dir}/${name}.xlsx`,
      system,
      format: 'xlsx',
      rows: countRows(tables),
      write: (file) => writeWorkbook(file, tables),
    },
    ...tables.map((t): ExportFile => ({
      path: `${dir}/${name}-${t.slug}.csv`,
      system,
      format: 'csv',
      rows: {[t.slug]: t.rows.length},
      write: (file) => fs.promises.writeFile(file, csvText(t)),
    })),
  ]
}

/** A text file written as it is. */
export function textFile(
  path: string,
  system: string,
  format: ExportFile['format'],
  rows: Record<string, number>,
  text: string,
): ExportFile {
  return {path, system, format, rows, write: (file) => fs.promises.writeFile(file, text)}
}
