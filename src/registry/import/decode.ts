import iconv from 'iconv-lite'
import {InputError, SapxepError} from '../../errors.js'

/**
 * Encodings a CSV file may be read in. UTF-8 is the default and is checked strictly; the others are what
 * Vietnamese Windows tools export (Windows-1258, and Latin-1/Windows-1252 from tools set to Western
 * European), decoded by iconv-lite.
 */
export const CSV_ENCODINGS = ['utf-8', 'windows-1258', 'windows-1252', 'latin1'] as const
export type CsvEncoding = (typeof CSV_ENCODINGS)[number]

export function isCsvEncoding(name: string): name is CsvEncoding {
  return (CSV_ENCODINGS as readonly string[]).includes(name)
}

const UTF8_BOM = [0xef, 0xbb, 0xbf]
const UTF16_BOMS: [number[], string][] = [
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
]

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b)

/**
 * A file's text. UTF-8 (the default) must be valid: a byte that is not UTF-8 would otherwise become "�"
 * in the registry, so the file is refused at the line of the first bad byte. A UTF-16 file is accepted
 * only with its byte-order mark (Excel's "Unicode" export), which says the encoding without guessing.
 */
export function decodeCsv(bytes: Buffer, file: string, encoding: CsvEncoding = 'utf-8'): string {
  if (encoding !== 'utf-8') return iconv.decode(bytes, encoding)
  for (const [bom, utf16] of UTF16_BOMS)
    if (startsWith(bytes, bom)) return iconv.decode(bytes.subarray(bom.length), utf16)
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes
  try {
    return new TextDecoder('utf-8', {fatal: true}).decode(body)
  } catch {
    throw notUtf8(body, file)
  }
}

/** Where the first invalid byte is: a newline byte never occurs inside a UTF-8 sequence, so lines decode alone. */
function notUtf8(bytes: Buffer, file: string): SapxepError {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  let line = 1
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end < 0) end = bytes.length
    const text = bytes.subarray(start, end)
    try {
      decoder.decode(text)
    } catch {
      const column = firstBadByte(text)
      const hex = text[column].toString(16).toUpperCase().padStart(2, '0')
      return new InputError(
        file,
        line,
        `not valid UTF-8 (byte 0x${hex}); nothing was imported. A file saved by a Windows tool is ` +
          `likely Windows-1258 (Vietnamese) or Latin-1: pass --encoding windows-1258 or --encoding latin1`,
        column + 1,
      )
    }
    line++
    start = end + 1
  }
  return new InputError(file, 1, 'not valid UTF-8')
}

/** The offset of the first byte of the first invalid sequence: fed byte by byte, the decoder says when a sequence ends. */
function firstBadByte(text: Buffer): number {
  const decoder = new TextDecoder('utf-8', {fatal: true})
  let boundary = 0
  for (let i = 0; i < text.length; i++) {
    try {
      if (decoder.decode(text.subarray(i, i + 1), {stream: true}) !== '') boundary = i + 1
    } catch {
      return boundary
    }
  }
  return boundary
}
