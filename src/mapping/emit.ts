import {Document, isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap} from 'yaml'
import type {MappingInput} from './schema.js'

export interface EmitOptions {
  /** Comment lines at the top of the file (without `#`). */
  header?: string[]
  /** `$schema` reference for the YAML language server (editor completion), e.g. `../mapping.schema.json`. */
  schemaRef?: string
  /** Trailing comments by document path, e.g. {'policies.mail.domain': 'assumption: …'}. */
  comments?: Record<string, string>
}

/**
 * A mapping as YAML made for review: one block per unit, each `from` row on one line, codes always
 * quoted, dates quoted, no line folding. Same input, same bytes.
 */
export function mappingToYaml(mapping: MappingInput, opts: EmitOptions = {}): string {
  const doc = new Document(mapping)
  const root = doc.contents as YAMLMap
  for (const key of ['province', 'expect', 'abolish']) flowAt(root, [key])
  const units = root.get('units', true)
  if (isSeq(units))
    for (const unit of units.items) {
      const from = isMap(unit) ? unit.get('from', true) : undefined
      if (isSeq(from)) {
        // A province's constituents fit on one line; communes get one line per constituent.
        const provinceLevel = isMap(unit) && String(unit.get('code')).length === 2
        if (provinceLevel) from.flow = true
        for (const item of from.items) if (isMap(item)) item.flow = true
      }
    }
  const retire = root.get('retire', true)
  if (isSeq(retire)) for (const item of retire.items) if (isMap(item)) item.flow = true
  quoteAll(doc.contents as Node, (key) => key === 'code' || key === 'parent' || key === 'effective')
  flowScalarLists(doc.contents as Node)
  const notes = doc.getIn(['decision', 'notes'], true)
  if (isScalar(notes) && typeof notes.value === 'string') {
    notes.value = wrap(notes.value, 100)
    notes.type = Scalar.BLOCK_LITERAL
  }
  for (const [path, comment] of Object.entries(opts.comments ?? {})) {
    const node = doc.getIn(path.split('.'), true) as Node | undefined
    if (node) node.comment = ` ${comment}`
  }
  const header = [
    ...(opts.schemaRef ? [` yaml-language-server: $schema=${opts.schemaRef}`] : []),
    ...(opts.header ?? []).map((l) => (l ? ` ${l}` : '')),
  ]
  if (header.length > 0) doc.commentBefore = header.join('\n')
  return doc.toString({lineWidth: 0, flowCollectionPadding: false, indentSeq: true})
}

/** Lists of plain values (`[district]`, `[chu_tich]`) on one line. */
function flowScalarLists(node: Node | null | undefined): void {
  if (isMap(node)) for (const pair of node.items as Pair<Node, Node>[]) flowScalarLists(pair.value)
  else if (isSeq(node)) {
    if (node.items.length > 0 && node.items.every((i) => isScalar(i))) node.flow = true
    else for (const item of node.items as Node[]) flowScalarLists(item)
  }
}

/** Break text into lines of at most `width` characters at spaces. */
function wrap(text: string, width: number): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines.join('\n')
}

function flowAt(root: YAMLMap, path: string[]): void {
  const node = root.getIn(path, true)
  if (isMap(node) || isSeq(node)) node.flow = true
}

/** Codes and dates are written in double quotes so no YAML reader takes them for numbers or timestamps. */
function quoteAll(node: Node | null | undefined, quoted: (key: string) => boolean): void {
  if (isMap(node))
    for (const pair of node.items as Pair<Node, Node>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : ''
      if (isScalar(pair.value) && typeof pair.value.value === 'string' && quoted(key))
        pair.value.type = Scalar.QUOTE_DOUBLE
      else quoteAll(pair.value, quoted)
    }
  else if (isSeq(node)) for (const item of node.items as Node[]) quoteAll(item, quoted)
}
