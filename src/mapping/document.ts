import {isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node} from 'yaml'
import {cleanText} from '../naming/text.js'
import {formatPath, type Finding, type RuleId} from './findings.js'

export type DocPath = ReadonlyArray<string | number>

/** Free-text fields keep their line breaks; everything else (names, codes, types…) is cleaned. */
const FREE_TEXT_KEYS = new Set(['notes', 'note', 'source', 'title', '$schema'])

/**
 * A mapping file parsed with positions: the YAML (or JSON, which is YAML) document, its text normalised
 * to NFC with names trimmed, and a way to turn a document path into `line:column`.
 */
export class MappingDocument {
  readonly findings: Finding[] = []
  /** The content as plain data, text normalised; undefined when the file is not well-formed. */
  readonly data: unknown

  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {
    for (const err of doc.errors) {
      const {line, col} = lineCounter.linePos(err.pos[0])
      this.findings.push({
        file,
        line,
        column: col,
        path: '',
        rule: 'syntax',
        message: syntaxMessage(err.message),
      })
    }
    if (this.findings.length === 0) {
      try {
        this.data = this.normalise(doc.toJS({maxAliasCount: 100}), [])
      } catch (err) {
        // e.g. an alias bomb: report it like any other syntax problem
        this.findings.push(this.finding('syntax', [], (err as Error).message))
      }
    }
  }

  static parse(file: string, text: string): MappingDocument {
    const body = text.startsWith('\uFEFF') ? text.slice(1) : text
    const lineCounter = new LineCounter()
    const doc = parseDocument(body, {lineCounter, prettyErrors: false, uniqueKeys: true})
    return new MappingDocument(file, body, doc, lineCounter)
  }

  get wellFormed(): boolean {
    return this.data !== undefined
  }

  /** A finding at `path` (or at its key, for a key that should not be there). */
  finding(rule: RuleId, path: DocPath, message: string, opts: {atKey?: boolean} = {}): Finding {
    const {line, column} = this.position(path, opts.atKey ?? false)
    return {file: this.file, line, column, path: formatPath(path), rule, message}
  }

  /** `line:column` of the node at `path`, or of the closest enclosing node that exists. */
  position(path: DocPath, atKey = false): {line: number; column: number} {
    const {doc, lineCounter} = this
    let node: Node | null | undefined = doc.contents
    let offset = node?.range?.[0] ?? 0
    for (let i = 0; i < path.length && node; i++) {
      if (isAlias(node)) node = node.resolve(doc) as Node | undefined
      const seg = path[i]
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg)
        if (!pair) break
        const key = pair.key as Node | null
        if (key?.range) offset = key.range[0]
        if (atKey && i === path.length - 1) break
        node = pair.value as Node | null
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg] as Node | null
      } else break
      if (node?.range) offset = node.range[0]
    }
    const {line, col} = lineCounter.linePos(offset)
    return {line, column: col}
  }

  /** The source text of the scalar at `path` as written (e.g. `01` for a code YAML read as the number 1). */
  sourceText(path: DocPath): string | undefined {
    const node = this.doc.getIn(path as (string | number)[], true) as Node | undefined
    if (!node?.range) return undefined
    return this.text.slice(node.range[0], node.range[1])
  }

  /** NFC everywhere; names, codes and other one-line values trimmed, with a warning where that changed them. */
  private normalise(value: unknown, path: (string | number)[]): unknown {
    if (typeof value === 'string') {
      // Fast path: most text is already NFC and clean (the check is much cheaper than the fix).
      const key = path.at(-1)
      const freeText = typeof key === 'string' && FREE_TEXT_KEYS.has(key)
      if (value.normalize('NFC') === value && (freeText || !/^\s|\s$|\s\s|[\t\n\r\f\v\u00a0]/.test(value)))
        return value
      const nfc = value.normalize('NFC')
      if (nfc !== value)
        this.findings.push(
          this.finding('text-nfc', [...path], `text is not in Unicode NFC (read as ${JSON.stringify(nfc)})`),
        )
      if (freeText) return nfc
      const clean = cleanText(nfc)
      if (clean !== nfc)
        this.findings.push(
          this.finding(
            'text-whitespace',
            [...path],
            `stray whitespace in ${JSON.stringify(nfc)} (read as ${JSON.stringify(clean)})`,
          ),
        )
      return clean
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i)
        value[i] = this.normalise(value[i], path)
        path.pop()
      }
      return value
    }
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
      const obj = value as Record<string, unknown>
      for (const k of Object.keys(obj)) {
        path.push(k)
        const v = this.normalise(obj[k], path)
        // yaml makes a `__proto__` key an own property; assigning it would change the prototype instead
        if (k === '__proto__')
          Object.defineProperty(obj, k, {value: v, enumerable: true, writable: true, configurable: true})
        else obj[k] = v
        path.pop()
      }
      return obj
    }
    return value
  }
}

/** The yaml package's messages end with "at line L, column C" and a code excerpt; the finding carries the position. */
function syntaxMessage(message: string): string {
  return message
    .replace(/\s+at line \d+, column \d+:[\s\S]*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
}
