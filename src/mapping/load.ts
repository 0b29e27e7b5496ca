import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import {ExitCode, SapxepError} from '../errors.js'
import {MappingDocument} from './document.js'
import type {Finding} from './findings.js'
import {displayPath} from './read.js'
import {renderReportText} from './render.js'
import type {Mapping} from './schema.js'
import {checkDocument} from './validate.js'

export interface LoadedMapping {
  file: string
  /** `sha256:<hex>` of the file's bytes: what a plan records to bind itself to this mapping. */
  digest: string
  mapping: Mapping
  /** Warnings the file passed with (errors make loading fail). */
  warnings: Finding[]
}

/** Read, parse and validate one mapping file; throws a SapxepError (exit 1) listing every finding when it is invalid. */
export async function loadMappingFile(file: string): Promise<LoadedMapping> {
  const shown = displayPath(file)
  let bytes: Buffer
  try {
    bytes = await fs.readFile(file)
  } catch (err) {
    throw new SapxepError(
      `${shown}: cannot read the mapping (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      {code: 'mapping_unreadable'},
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(bytes)
  } catch {
    throw new SapxepError(`${shown}:1:1: the mapping is not UTF-8 text`, {code: 'invalid_mapping'})
  }
  const {model, report} = checkDocument(MappingDocument.parse(shown, text))
  if (!report.valid || !model?.schema.complete)
    throw new SapxepError(`invalid mapping ${shown}:\n${renderReportText({...report, warnings: []})}`, {
      exitCode: ExitCode.invalid,
      code: 'invalid_mapping',
      details: report,
    })
  return {
    file: shown,
    digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
    mapping: model.mapping,
    warnings: report.warnings,
  }
}
