import fs from 'node:fs/promises'
import path from 'node:path'
import type {Registry} from '../registry/db.js'
import {readRegistryUnits} from '../registry/units.js'
import {MappingDocument} from './document.js'
import {displayPath, readMappingDocuments} from './read.js'
import {makeReport, type Finding, type ValidationReport} from './findings.js'
import {buildFileModel, checkFile, checkSet, type FileModel} from './rules/index.js'
import {pushAll} from '../collections.js'

export interface ValidateOptions {
  /** Check codes against this registry's units (as they are now, then after each earlier file of the set). */
  registry?: Registry
  /** Warnings make the set invalid too. */
  strict?: boolean
}

const MAPPING_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/**
 * Validate mapping files and folders (searched recursively for .yaml/.yml/.json, JSON Schema files left
 * out) as one set: every problem in one report, each at `file:line:column` with a rule id.
 */
export async function validateMappings(
  paths: string[],
  opts: ValidateOptions = {},
): Promise<ValidationReport> {
  const {files, findings} = await expandPaths(paths)
  const read = await readMappingDocuments(files)
  const docs = read.filter((d): d is MappingDocument => d instanceof MappingDocument)
  pushAll(
    findings,
    read.filter((d): d is Finding => !(d instanceof MappingDocument)),
    docs.flatMap((d) => d.findings),
  )
  const models: FileModel[] = docs.filter((d) => d.wellFormed).map(buildFileModel)
  for (const m of models) pushAll(findings, m.schema.findings, checkFile(m))
  const registry = opts.registry ? await readRegistryUnits(opts.registry) : undefined
  pushAll(findings, checkSet(models, registry))
  return makeReport(findings, opts.strict)
}

/** Parse and check one document already in memory (the import uses it to check what it writes). */
export function validateText(file: string, text: string): ValidationReport {
  return checkDocument(MappingDocument.parse(file, text)).report
}

/** One document checked on its own: its findings, and its model when it is well-formed. */
export function checkDocument(doc: MappingDocument): {model?: FileModel; report: ValidationReport} {
  const findings = [...doc.findings]
  const model = doc.wellFormed ? buildFileModel(doc) : undefined
  if (model) pushAll(findings, model.schema.findings, checkFile(model), checkSet([model]))
  return {model, report: makeReport(findings)}
}

/** Paths as the user gave them, folders expanded; a path that does not exist is a finding, not a crash. */
async function expandPaths(paths: string[]): Promise<{files: string[]; findings: Finding[]}> {
  const files: string[] = []
  const findings: Finding[] = []
  const problem = (file: string, message: string) =>
    findings.push({file: displayPath(file), line: 1, column: 1, path: '', rule: 'file', message})
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined)
    if (!stat) problem(p, 'no such file or folder')
    else if (stat.isDirectory()) {
      const found = await walk(p)
      if (found.length === 0) problem(p, 'no mapping files (.yaml, .yml, .json) in this folder')
      pushAll(files, found)
    } else files.push(p)
  }
  return {files: [...new Set(files.map((f) => path.normalize(f)))].sort(), findings}
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await fs.readdir(dir, {withFileTypes: true})) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) pushAll(out, await walk(full))
    else if (
      MAPPING_EXTENSIONS.has(path.extname(entry.name).toLowerCase()) &&
      !entry.name.endsWith('.schema.json')
    )
      out.push(full)
  }
  return out
}
