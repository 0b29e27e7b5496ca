import {z} from 'zod'
import type {DocPath, MappingDocument} from './document.js'
import {formatPath, type Finding} from './findings.js'
import {describeAt, knownKeys} from './schema-paths.js'
import {UNIT_CODE_PATTERN} from '../registry/vocabulary.js'
import {
  MAPPING_FORMAT,
  MappingSchema,
  PoliciesSchema,
  RetireSchema,
  SourceSchema,
  UnitSchema,
  type Mapping,
  type MappingSource,
  type MappingUnit,
} from './schema.js'

/**
 * A file's content as far as it is valid. When the whole file parses, `mapping` is the zod output and
 * `complete` is true. Otherwise the valid parts are kept (invalid units are left out, invalid policies
 * fall back to their defaults) so the semantic rules still run and every problem shows in one run.
 */
export interface SchemaResult {
  findings: Finding[]
  complete: boolean
  mapping: Mapping
  /** Document index of each entry of `mapping.units` / `mapping.retire` (they differ when entries were left out). */
  unitIndex: number[]
  retireIndex: number[]
  /** Per entry of `mapping.units`, the document index of each of its `from` rows (rows may be left out too). */
  sourceIndex: number[][]
  /** The parts that failed, so rules that depend on them stand aside instead of reporting consequences. */
  broken: {decision: boolean; province: boolean; units: boolean; expect: boolean}
  /** Codes written inside entries that failed: absence-based rules do not report them. */
  taintedCodes: Set<string>
}

const CODE_KEYS = new Set(['code', 'parent'])

export function checkSchema(doc: MappingDocument): SchemaResult {
  const data = doc.data
  const parsed = MappingSchema.safeParse(data, {reportInput: true})
  if (parsed.success) {
    const n = parsed.data.units.length
    return {
      findings: [],
      complete: true,
      mapping: parsed.data,
      unitIndex: Array.from({length: n}, (_, i) => i),
      retireIndex: parsed.data.retire.map((_, i) => i),
      sourceIndex: parsed.data.units.map((u) => (u.from ?? []).map((_, j) => j)),
      broken: {decision: false, province: false, units: false, expect: false},
      taintedCodes: new Set(),
    }
  }
  const findings = parsed.error.issues.flatMap((issue) => issueFindings(doc, issue))
  return {findings, complete: false, ...lenient(data)}
}

function lenient(data: unknown): Omit<SchemaResult, 'findings' | 'complete'> {
  const obj = (data !== null && typeof data === 'object' && !Array.isArray(data) ? data : {}) as Record<
    string,
    unknown
  >
  const shape = MappingSchema.shape
  const part = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined => {
    const r = schema.safeParse(value)
    return r.success ? r.data : undefined
  }
  const decision = part(shape.decision, obj.decision)
  const province = part(shape.province, obj.province)
  const expect = part(shape.expect, obj.expect)
  const taintedCodes = new Set<string>()
  const units: Mapping['units'] = []
  const unitIndex: number[] = []
  const sourceIndex: number[][] = []
  const rawUnits = Array.isArray(obj.units) ? obj.units : []
  rawUnits.forEach((raw, i) => {
    const u = lenientUnit(raw, taintedCodes)
    if (u) {
      units.push(u.unit)
      unitIndex.push(i)
      sourceIndex.push(u.sourceIndex)
    }
  })
  const retire: Mapping['retire'] = []
  const retireIndex: number[] = []
  ;(Array.isArray(obj.retire) ? obj.retire : []).forEach((raw, i) => {
    const r = part(RetireSchema, raw)
    if (r) {
      retire.push(r)
      retireIndex.push(i)
    } else collectCodes(raw, taintedCodes)
  })
  const mapping: Mapping = {
    format: MAPPING_FORMAT,
    // Placeholder for a broken decision: `broken.decision` keeps it out of the rules that need it.
    decision: decision ?? {number: '', effective: '', official: false},
    province,
    scope: part(shape.scope, obj.scope) ?? 'partial',
    abolish: part(shape.abolish, obj.abolish) ?? [],
    units,
    retire,
    policies: part(PoliciesSchema, obj.policies) ?? PoliciesSchema.parse({}),
    expect: expect ?? {},
  }
  return {
    mapping,
    unitIndex,
    retireIndex,
    sourceIndex,
    broken: {
      decision: decision === undefined,
      province: obj.province !== undefined && province === undefined,
      units: unitIndex.length !== rawUnits.length || (obj.units !== undefined && !Array.isArray(obj.units)),
      expect: obj.expect !== undefined && expect === undefined,
    },
    taintedCodes,
  }
}

// Made once: zod compiles each schema it is given, and a mapping may have 100,000 invalid units.
const UNIT_WITHOUT_SOURCES = UnitSchema.omit({from: true})

/**
 * A unit entry as far as it is valid: unknown keys ignored, invalid `from` rows left out (their codes
 * tainted), a code written as a number read as the digits it shows. Undefined when its own code, name
 * or type is unusable.
 */
function lenientUnit(
  raw: unknown,
  tainted: Set<string>,
): {unit: MappingUnit; sourceIndex: number[]} | undefined {
  const full = UnitSchema.safeParse(raw)
  if (full.success) return {unit: full.data, sourceIndex: (full.data.from ?? []).map((_, j) => j)}
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined
  const known = pickKnown(readableCodes(raw as Record<string, unknown>), Object.keys(UnitSchema.shape))
  const {from, ...own} = known
  const base = UNIT_WITHOUT_SOURCES.safeParse(own)
  if (!base.success) {
    collectCodes(raw, tainted)
    return undefined
  }
  if (!Array.isArray(from))
    return {unit: from === undefined ? base.data : {...base.data, from: []}, sourceIndex: []}
  const sources: MappingSource[] = []
  const sourceIndex: number[] = []
  from.forEach((row, j) => {
    const r = SourceSchema.safeParse(
      row !== null && typeof row === 'object'
        ? pickKnown(readableCodes(row as Record<string, unknown>), Object.keys(SourceSchema.shape))
        : row,
    )
    if (r.success) {
      sources.push(r.data)
      sourceIndex.push(j)
    } else collectCodes(row, tainted)
  })
  return {unit: {...base.data, from: sources}, sourceIndex}
}

function pickKnown(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)))
}

/** `code: 13324` (a YAML number) is reported, then read as "13324" so the rest of the checks still see it. */
function readableCodes(obj: Record<string, unknown>): Record<string, unknown> {
  const out = {...obj}
  for (const k of CODE_KEYS)
    if (typeof out[k] === 'number' && UNIT_CODE_PATTERN.test(String(out[k]))) out[k] = String(out[k])
  return out
}

function collectCodes(raw: unknown, into: Set<string>): void {
  if (Array.isArray(raw)) raw.forEach((v) => collectCodes(v, into))
  else if (raw !== null && typeof raw === 'object')
    for (const [k, v] of Object.entries(raw)) {
      if (CODE_KEYS.has(k) && (typeof v === 'string' || typeof v === 'number')) into.add(String(v))
      else collectCodes(v, into)
    }
}

/** One zod issue → findings with a message a person understands. */
function issueFindings(doc: MappingDocument, issue: z.core.$ZodIssue): Finding[] {
  const path = issue.path as (string | number)[]
  const key = path.at(-1)
  const where = path.length === 0 ? 'the file' : formatPath(path)
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(path)
      return issue.keys.map((k) => {
        const hint = suggest(k, known)
        return doc.finding(
          'unknown-key',
          [...path, k],
          `unknown key "${k}" in ${path.length === 0 ? 'the file' : formatPath(path)}` +
            (hint ? ` — did you mean "${hint}"?` : known.length > 0 ? ` (known: ${known.join(', ')})` : ''),
          {atKey: true},
        )
      })
    }
    case 'invalid_type': {
      if (path.length === 0 && (issue.input === undefined || issue.input === null))
        return [
          doc.finding('schema', [], 'the file is empty: a mapping starts with `format: sapxep/mapping@1`'),
        ]
      if (issue.input === undefined) {
        const description = describeAt(path)
        return [
          doc.finding(
            'schema',
            path.slice(0, -1),
            `${path.length === 1 ? 'the file' : formatPath(path.slice(0, -1))} needs "${String(key)}"` +
              (description ? `: ${description}` : ''),
          ),
        ]
      }
      if (path.length === 0)
        return [
          doc.finding(
            'schema',
            [],
            `the file must be a mapping of keys (format, decision, units…), not ${typeName(issue.input)}`,
          ),
        ]
      if (typeof key === 'string' && CODE_KEYS.has(key)) return [codeFinding(doc, path, issue.input)]
      return [
        doc.finding(
          'schema',
          path,
          `${where} must be ${article(issue.expected)}, not ${typeName(issue.input)}`,
        ),
      ]
    }
    case 'invalid_format': {
      if (typeof key === 'string' && CODE_KEYS.has(key)) return [codeFinding(doc, path, issue.input)]
      if (key === 'effective')
        return [
          doc.finding(
            'schema',
            path,
            `${show(issue.input)} is not a date: write an ISO date like "2025-07-01"`,
          ),
        ]
      if (key === 'domain')
        return [
          doc.finding(
            'schema',
            path,
            `${show(issue.input)} is not a mail domain like ninhbinh.gov.vn (lower case)`,
          ),
        ]
      if (key === 'pattern')
        return [
          doc.finding('schema', path, `${show(issue.input)} is not a mail pattern: it ${issue.message}`),
        ]
      if (key === 'level1')
        return [
          doc.finding(
            'schema',
            path,
            `${show(issue.input)} is not "inherit" or a level-1 identifier code like H40`,
          ),
        ]
      return [doc.finding('schema', path, `${show(issue.input)} has the wrong form for ${where}`)]
    }
    case 'invalid_value': {
      if (path.length === 1 && key === 'format')
        return [
          doc.finding(
            'format-version',
            path,
            `unsupported format ${show(issue.input)}: this sapxep reads "${MAPPING_FORMAT}"`,
          ),
        ]
      return [
        doc.finding(
          'schema',
          path,
          `${show(issue.input)} is not allowed for ${String(key ?? 'the file')}: use one of ${issue.values.map((v) => String(v)).join(', ')}`,
        ),
      ]
    }
    case 'invalid_union':
      if (key === 'level1')
        return [
          doc.finding(
            'schema',
            path,
            `${show(issue.input)} is not "inherit" or a level-1 identifier code like H40`,
          ),
        ]
      return [doc.finding('schema', path, `${show(issue.input)} is not allowed for ${where}`)]
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string')
        return [doc.finding('schema', path, `${where} must not be empty`)]
      return [doc.finding('schema', path, `${where} must be at least ${String(issue.minimum)}`)]
    default:
      return [doc.finding('schema', path, `${where}: ${issue.message}`)]
  }
}

function codeFinding(doc: MappingDocument, path: DocPath, input: unknown): Finding {
  const written = doc.sourceText(path)?.trim() ?? String(input)
  if (typeof input === 'number' && /^[0-9]+$/.test(written) && [2, 3, 5].includes(written.length))
    return doc.finding(
      'code-format',
      path,
      `code ${written} is read as a number; codes are strings (leading zeros matter): write "${written}"`,
    )
  return doc.finding(
    'code-format',
    path,
    `${show(typeof input === 'number' ? written : input)} is not a unit code: codes are quoted strings of 2 (province), 3 (district) or 5 (commune) digits`,
  )
}

/** The closest known key within edit distance 2 (typos like `efective`, `parnet`). */
function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase())
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  return best
}

function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = cur
    }
  }
  return row[b.length]
}

function typeName(v: unknown): string {
  if (v === null) return 'empty (null)'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  if (typeof v === 'string') return `the text ${JSON.stringify(v)}`
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : typeof v} ${String(v)}`
}

function article(expected: string): string {
  const names: Record<string, string> = {
    string: 'text',
    number: 'a number',
    boolean: 'true or false',
    object: 'a mapping (key: value)',
    array: 'a list',
  }
  return names[expected] ?? expected
}

function show(v: unknown): string {
  return typeof v === 'string'
    ? JSON.stringify(v)
    : v === undefined
      ? 'the value'
      : (JSON.stringify(v) ?? String(v))
}
