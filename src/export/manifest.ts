import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {parse} from 'csv-parse/sync'
import {SapxepError} from '../errors.js'
import type {OpKind} from '../plan/types.js'
import type {ChangeSet} from './changes.js'
import type {ExportFile} from './files.js'

/**
 * The manifest of an export (`manifest.json`): where it comes from, each file's sha256 and rows per
 * action, the counts per system and action, and the change counts of the source in the plan's terms
 * (`byKind`, `accountsBySystem`), which the counts must agree with. `export --check DIR` verifies it.
 */

export const EXPORT_FORMAT = 'sapxep.export/1'
export const MANIFEST = 'manifest.json'

export interface ManifestFile {
  path: string
  system: string
  format: ExportFile['format']
  sha256: string
  bytes: number
  rows: Record<string, number>
}

export interface Manifest {
  format: typeof EXPORT_FORMAT
  tool: {name: 'sapxep'; version: string}
  source: ChangeSet['source']
  direction: 'forward' | 'reverse'
  lang: string
  systems: string[]
  summary: {
    byKind: Partial<Record<OpKind, number>>
    accountsBySystem: Record<string, Partial<Record<OpKind, number>>>
  }
  /** Rows per system and action (accounts and axes from their workbooks, mail from the zmprov batch). */
  counts: Record<string, Record<string, number>>
  files: ManifestFile[]
}

export const sha256File = (file: string): string =>
  'sha256:' + createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** The source's changes counted in the plan's terms. */
export function sourceSummary(set: ChangeSet): Manifest['summary'] {
  const byKind: Partial<Record<OpKind, number>> = {}
  const accountsBySystem: Record<string, Partial<Record<OpKind, number>>> = {}
  for (const c of set.changes) {
    byKind[c.kind] = (byKind[c.kind] ?? 0) + 1
    if (c.table === 'accounts') {
      const s = (accountsBySystem[c.key.system] ??= {})
      s[c.kind] = (s[c.kind] ?? 0) + 1
    }
  }
  return {byKind, accountsBySystem}
}

/** What each action of a file counts, in the plan's kinds, forward and when undoing a run. */
const ACCOUNT_KIND = {
  forward: {create: 'account.create', move: 'account.reassign', disable: 'account.disable'},
  reverse: {disable: 'account.create', move: 'account.reassign', enable: 'account.disable'},
} as const
const AXIS_KIND = {
  forward: {register: 'endpoint.register', update: 'endpoint.update', unregister: 'endpoint.unregister'},
  reverse: {unregister: 'endpoint.register', update: 'endpoint.update', register: 'endpoint.unregister'},
} as const
const MAIL_KIND = {
  forward: {create: 'mailbox.create', alias: 'alias.create', lock: 'mailbox.suspend'},
  reverse: {lock: 'mailbox.create', unalias: 'alias.create', unlock: 'mailbox.suspend'},
} as const

/** Where the manifest's counts disagree with its summary. */
export function countProblems(m: Manifest): string[] {
  const problems: string[] = []
  const expect = (what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push(`${what}: ${actual} rows, the source has ${expected}`)
  }
  const dir = m.direction
  for (const system of m.systems) {
    const counts = m.counts[system] ?? {}
    if (system === 'mail')
      for (const [action, kind] of Object.entries(MAIL_KIND[dir]))
        expect(`mail ${action}`, counts[action] ?? 0, m.summary.byKind[kind] ?? 0)
    else if (system === 'provincial' || system === 'national') continue
    else
      for (const [action, kind] of Object.entries(ACCOUNT_KIND[dir]))
        expect(`${system} ${action}`, counts[action] ?? 0, m.summary.accountsBySystem[system]?.[kind] ?? 0)
  }
  const axes = m.systems.filter((s) => s === 'provincial' || s === 'national')
  if (axes.length === 2)
    for (const [action, kind] of Object.entries(AXIS_KIND[dir]))
      expect(
        `axes ${action}`,
        axes.reduce((n, a) => n + (m.counts[a]?.[action] ?? 0), 0),
        m.summary.byKind[kind] ?? 0,
      )
  return problems
}

export interface CheckResult {
  dir: string
  ok: boolean
  source: Manifest['source'] | null
  files: number
  counts: Manifest['counts']
  problems: string[]
}

function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST)
  let m: Manifest
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message
    throw new SapxepError(`${file}: cannot read the export's manifest (${reason})`)
  }
  if (m === null || typeof m !== 'object' || m.format !== EXPORT_FORMAT || !Array.isArray(m.files))
    throw new SapxepError(`${file}: not a sapxep export manifest (format ${EXPORT_FORMAT} expected)`)
  return m
}

/** Data rows of a CSV file (its header not counted). */
const csvRows = (file: string): number =>
  (parse(fs.readFileSync(file), {bom: true, relax_column_count: true}) as unknown[]).length - 1

/** Every listed file present with its sha256 and (CSV) its row count, nothing unlisted, counts agreeing. */
export function checkExport(dir: string): CheckResult {
  const m = readManifest(dir)
  const problems: string[] = []
  const listed = new Set(m.files.map((f) => f.path))
  for (const f of m.files) {
    const file = path.join(dir, ...f.path.split('/'))
    if (!fs.existsSync(file)) {
      problems.push(`${f.path}: missing`)
      continue
    }
    const actual = sha256File(file)
    if (actual !== f.sha256) problems.push(`${f.path}: sha256 is ${actual}, the manifest says ${f.sha256}`)
    else if (f.format === 'csv') {
      const expected = Object.values(f.rows).reduce((a, b) => a + b, 0)
      const rows = csvRows(file)
      if (rows !== expected) problems.push(`${f.path}: ${rows} rows, the manifest says ${expected}`)
    }
  }
  for (const rel of walk(dir))
    if (rel !== MANIFEST && !listed.has(rel)) problems.push(`${rel}: not in the manifest`)
  problems.push(...countProblems(m))
  return {dir, ok: problems.length === 0, source: m.source, files: m.files.length, counts: m.counts, problems}
}

function walk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name
    return e.isDirectory() ? walk(path.join(dir, e.name), rel) : [rel]
  })
}
