import fs from 'node:fs'
import {csvChunks, writeWorkbook, type Table} from './table.js'

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
  Object.fromEntries(tables.map((t) => [t.slug, t.count]))

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
      rows: {[t.slug]: t.count},
      write: async (file) => writeChunks(file, csvChunks(t)),
    })),
  ]
}

/** A text file written piece by piece, the pieces made as it is written. */
export function textFile(
  path: string,
  system: string,
  format: ExportFile['format'],
  rows: Record<string, number>,
  chunks: () => Iterable<string>,
): ExportFile {
  return {path, system, format, rows, write: async (file) => writeChunks(file, chunks())}
}

/** The pieces written out a megabyte or so at a time: no file is ever held as one string. */
export function writeChunks(file: string, chunks: Iterable<string>): void {
  const fd = fs.openSync(file, 'w')
  try {
    let pending = ''
    for (const c of chunks) {
      pending += c
      if (pending.length >= 1 << 20) {
        fs.writeSync(fd, pending)
        pending = ''
      }
    }
    if (pending) fs.writeSync(fd, pending)
  } finally {
    fs.closeSync(fd)
  }
}
