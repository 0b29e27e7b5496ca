import fs from 'node:fs'
import {parse} from 'csv-parse'
import {InputError, SapxepError} from '../../errors.js'
import {cleanText} from '../../naming/text.js'
import {decodeCsv, type CsvEncoding} from './decode.js'

/** One CSV data row: cleaned (NFC, trimmed) values by header name, and its line in the file. */
export interface CsvRow {
  line: number
  values: Record<string, string>
}

export interface ReadCsvOptions {
  /** Header names that must be present (after cleaning). */
  required: string[]
  /** Lines before the header to skip (e.g. a title line). */
  skipLines?: number
  /** How the file is encoded (default UTF-8, checked strictly). */
  encoding?: CsvEncoding
}

/**
 * Read a whole CSV file (exports of the real systems are small enough; the national conversion table is
 * 1.5 MB) and check its header. Every value is NFC-normalised and trimmed; a record with a different
 * number of fields than the header is an error on its own line.
 */
export async function readCsv(
  file: string,
  opts: ReadCsvOptions,
): Promise<{header: string[]; rows: CsvRow[]}> {
  let input: Buffer
  try {
    input = await fs.promises.readFile(file)
  } catch (err) {
    throw new SapxepError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
  const text = decodeCsv(input, file, opts.encoding)
  const records: {record: string[]; line: number}[] = []
  const parser = parse(text, {
    relax_column_count: true,
    skip_empty_lines: true,
    from_line: (opts.skipLines ?? 0) + 1,
    info: true,
  })
  try {
    for await (const {record, info} of parser as AsyncIterable<{record: string[]; info: {lines: number}}>) {
      records.push({record, line: info.lines})
    }
  } catch (err) {
    const e = err as Error & {lines?: number}
    throw new InputError(file, e.lines ?? 0, `malformed CSV: ${e.message.replace(/^Invalid [^:]*: /, '')}`)
  }
  if (records.length === 0) throw new InputError(file, 1, 'the file is empty: a header row is required')
  const header = records[0].record.map((h) => cleanText(h))
  const missing = opts.required.filter((name) => !header.includes(name))
  if (missing.length > 0)
    throw new InputError(
      file,
      records[0].line,
      `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')} (header has: ${header.join(', ')})`,
    )
  const rows: CsvRow[] = []
  for (const {record, line} of records.slice(1)) {
    // Trailing empty fields (a stray comma at the end of every line) are tolerated.
    const fields = trimTrailingEmpty(record, header.length)
    if (fields.length !== header.length)
      throw new InputError(
        file,
        line,
        `expected ${header.length} fields (${header.join(', ')}), found ${fields.length}`,
      )
    const values: Record<string, string> = {}
    header.forEach((name, i) => {
      const value = fields[i] ?? ''
      const control = CONTROL.exec(value)
      if (control)
        throw new InputError(
          file,
          line,
          `column "${name}" contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}; nothing was imported`,
        )
      values[name] = cleanText(value)
    })
    rows.push({line, values})
  }
  return {header, rows}
}

/** C0 controls but tab and line breaks, and DEL: never part of a name, and NUL is refused by the database. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/u

function trimTrailingEmpty(record: string[], width: number): string[] {
  let end = record.length
  while (end > width && record[end - 1].trim() === '') end--
  return end === record.length ? record : record.slice(0, end)
}
