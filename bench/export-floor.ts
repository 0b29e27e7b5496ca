/**
 * The export's floor: what writing the same files costs the database and the disk, and nothing more — a
 * bare script that reads the run's journal (every change it made, before and after, in one query) and
 * writes the bytes the export wrote, file for file, into a new folder. What the export does beyond it
 * (reading the rows' states, deciding each system's records, formatting XLSX, CSV, LDIF, SCIM and the
 * manifest) is its overhead.
 */
import fs from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import type {BenchTarget} from './engines.js'

export interface ExportFloor {
  seconds: number
  journalRows: number
  files: number
  bytes: number
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort()
}

/** Time the floor of `sapxep export RUN` whose files are in `exported`, writing into the new folder `into`. */
export async function exportFloor(
  target: BenchTarget,
  run: number,
  exported: string,
  into: string,
): Promise<ExportFloor> {
  // The files' bytes, read before the clock starts: the script is handed what to write.
  const files = filesUnder(exported).map((f) => ({file: f, bytes: fs.readFileSync(path.join(exported, f))}))
  const client = await target.open()
  try {
    const started = performance.now()
    const {rowCount} = await client.query(
      `select table_name, key::text, before::text, after::text from journal where run_id = $1 order by seq`,
      [run],
    )
    for (const {file, bytes} of files) {
      fs.mkdirSync(path.dirname(path.join(into, file)), {recursive: true})
      fs.writeFileSync(path.join(into, file), bytes)
    }
    return {
      seconds: (performance.now() - started) / 1000,
      journalRows: rowCount,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.bytes.length, 0),
    }
  } finally {
    await client.close()
  }
}
