import {stringify} from 'csv-stringify/sync'

/**
 * A sheet of a hand-off file: titled columns (Vietnamese by default, English with `--lang en`) and rows
 * of text. The same table is written as a worksheet of an XLSX workbook and as a CSV file.
 */

export const LANGS = ['vi', 'en'] as const
export type Lang = (typeof LANGS)[number]

export interface Column<T> {
  vi: string
  en: string
  value: (row: T) => string | null
}

export interface Table {
  /** Worksheet name (≤ 31 characters, Excel's limit). */
  sheet: string
  /** Suffix of the CSV file's name: plain ASCII. */
  slug: string
  headers: string[]
  count: number
  /** The rows' cells, made as they are written (each file of the table walks them once). */
  rows: () => Iterable<(string | null)[]>
}

export function makeTable<T>(
  sheet: {slug: string; vi: string; en: string},
  columns: readonly Column<T>[],
  rows: readonly T[],
  lang: Lang,
): Table {
  return {
    sheet: sheet[lang],
    slug: sheet.slug,
    headers: columns.map((c) => c[lang]),
    count: rows.length,
    rows: function* () {
      for (const r of rows) yield columns.map((c) => c.value(r))
    },
  }
}

/** A field Excel would read as a formula gets a leading apostrophe (OWASP's advice for CSV files). */
const inert = (v: string | null): string => (v && /^[=+\-@\t\r]/.test(v) ? `'${v}` : (v ?? ''))

/**
 * UTF-8 with a byte-order mark, so that Excel shows Vietnamese; CRLF line ends. In pieces of a thousand
 * rows: each record is quoted on its own, so the pieces put together are the whole table's text.
 */
export function* csvChunks(table: Table): Generator<string> {
  const csv = (records: string[][]) => stringify(records, {record_delimiter: 'windows'})
  yield '\ufeff' + csv([table.headers])
  let batch: string[][] = []
  for (const r of table.rows()) {
    batch.push(r.map(inert))
    if (batch.length === 1000) {
      yield csv(batch)
      batch = []
    }
  }
  if (batch.length > 0) yield csv(batch)
}

/**
 * One worksheet per table; a bold, frozen header row and columns wide enough to read. Streamed to the
 * file (exceljs's WorkbookWriter: each row is written out as it is added, not held as cell objects), with
 * shared strings and styles as the in-memory workbook writes them.
 */
export async function writeWorkbook(file: string, tables: readonly Table[]): Promise<void> {
  // Loaded here, not at the top: exceljs and its zip libraries are a third of the code every command
  // would otherwise load at start-up, and only the export writes workbooks.
  const {default: ExcelJS} = await import('exceljs')
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useSharedStrings: true,
    useStyles: true,
  })
  // The document properties the in-memory workbook writes (empty ones included), so that core.xml
  // reads the same; fixed dates: the zip still stamps each part with the time it was written.
  Object.assign(book, {
    creator: 'sapxep',
    lastModifiedBy: 'Unknown',
    created: new Date(0),
    modified: new Date(0),
  })
  Object.assign(book, {title: '', subject: '', description: '', keywords: '', category: ''})
  for (const t of tables) {
    const sheet = book.addWorksheet(t.sheet, {views: [{state: 'frozen', ySplit: 1}]})
    // Widths before the first row: a streamed sheet writes its columns ahead of its rows.
    const longest = t.headers.map((h) => h.length)
    let n = 0
    for (const r of t.rows()) {
      if (n++ === 1000) break
      r.forEach((v, i) => (longest[i] = Math.max(longest[i], (v ?? '').length)))
    }
    sheet.columns = longest.map((l) => ({width: Math.min(60, Math.max(10, l + 2))}))
    const header = sheet.addRow(t.headers)
    header.font = {bold: true}
    header.commit()
    let written = 0
    for (const row of t.rows()) {
      sheet.addRow(row.map((v) => v ?? '')).commit()
      // Let the zip take what was written: without a turn of the event loop the sheet's XML piles up.
      if (++written % 1000 === 0) await new Promise(setImmediate)
    }
    sheet.commit()
  }
  await book.commit()
}
