import fs from 'node:fs'
import path from 'node:path'
import type {Knex} from 'knex'
import {SapxepError} from '../errors.js'
import {loadMappingFile} from '../mapping/load.js'
import {resolveMapping} from '../mapping/model.js'
import {toolVersion} from '../version.js'
import {makePlan, type MappingInput, type PlanOptions} from './plan.js'
import type {SignedPlan} from './types.js'
import {pushAll} from '../collections.js'

const MAPPING_FILE = /\.(ya?ml|json)$/i

/** Mapping files named by the user: files as given, directories expanded to their mapping files (sorted). */
export function mappingFiles(paths: string[]): string[] {
  const files: string[] = []
  for (const p of paths) {
    let stat: fs.Stats
    try {
      stat = fs.statSync(p)
    } catch {
      throw new SapxepError(`${p}: no such file or directory`)
    }
    if (!stat.isDirectory()) {
      files.push(p)
      continue
    }
    const found = fs
      .readdirSync(p, {recursive: true, encoding: 'utf8'})
      .filter((f) => MAPPING_FILE.test(f) && !f.endsWith('.schema.json'))
      .map((f) => path.join(p, f))
      .sort()
    if (found.length === 0)
      throw new SapxepError(`${p}: no mapping files (*.yaml, *.yml, *.json) in this directory`)
    pushAll(files, found)
  }
  return files
}

/** Load, validate and resolve the mappings, then plan them against the registry. */
export async function planFromFiles(db: Knex, paths: string[], opts: PlanOptions = {}): Promise<SignedPlan> {
  const inputs: MappingInput[] = []
  for (const file of mappingFiles(paths)) {
    const loaded = await loadMappingFile(file)
    inputs.push({
      file: loaded.file,
      digest: loaded.digest,
      mapping: resolveMapping(loaded.mapping),
    })
  }
  return makePlan(db, inputs, toolVersion, opts)
}
