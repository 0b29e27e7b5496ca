import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {SapxepError} from '../errors.js'

/** A file under data/ of the installed package (found from src/ and from dist/src/ alike). */
export function dataFile(name: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'data', name)
    if (fs.existsSync(candidate)) return candidate
    const up = path.dirname(dir)
    if (up === dir) throw new SapxepError(`data file ${name} not found next to the sapxep package`)
    dir = up
  }
}
