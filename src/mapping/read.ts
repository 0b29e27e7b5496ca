import fs from 'node:fs'
import path from 'node:path'
import {MappingDocument} from './document.js'
import type {Finding} from './findings.js'

/** Paths relative to the working folder with forward slashes: what editors and GitHub annotations expect. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file))
  return (rel === '' ? file : rel).split(path.sep).join('/')
}

/** Read and parse one file; a file that cannot be read is a finding, not a crash. */
export async function readMappingDocument(file: string): Promise<MappingDocument | Finding> {
  const shown = displayPath(file)
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(await fs.promises.readFile(file))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return {
      file: shown,
      line: 1,
      column: 1,
      path: '',
      rule: 'file',
      message: code ? `cannot read the file (${code})` : 'the file is not UTF-8 text',
    }
  }
  return MappingDocument.parse(shown, text)
}

/** Read and parse files, in the given order. */
export async function readMappingDocuments(files: string[]): Promise<Array<MappingDocument | Finding>> {
  return Promise.all(files.map(readMappingDocument))
}
