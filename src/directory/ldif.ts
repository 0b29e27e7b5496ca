/**
 * LDIF change records (RFC 2849). A value is written as it is only when it is a SAFE-STRING (ASCII
 * without NUL, CR, LF, not starting with space, `:` or `<`, not ending with space); otherwise base64
 * (`attr:: …`), which is how Vietnamese names travel. Lines are folded at 76 columns.
 */

export type Modification = {op: 'add' | 'replace' | 'delete'; attribute: string; values: string[]}

export type LdifRecord =
  | {change: 'add'; dn: string; attributes: Array<[string, string[]]>}
  | {change: 'modify'; dn: string; modifications: Modification[]}
  | {change: 'modrdn'; dn: string; newRdn: string; deleteOldRdn: boolean; newSuperior?: string}
  | {change: 'delete'; dn: string}

// eslint-disable-next-line no-control-regex
const SAFE = /^(?:[\x01-\x09\x0b\x0c\x0e-\x1f\x21-\x39\x3b\x3d-\x7f][\x01-\x09\x0b\x0c\x0e-\x7f]*)?$/

/** True when RFC 2849 lets the value be written without base64. */
export const isSafeString = (value: string): boolean => SAFE.test(value) && !value.endsWith(' ')

/** `name: value` or `name:: base64`, folded. */
export function ldifLine(name: string, value: string): string {
  const line = isSafeString(value)
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`
  return fold(line)
}

/** Continuation lines start with one space; every line is ASCII here, so no character is split. */
function fold(line: string, width = 76): string {
  if (line.length <= width) return line
  const parts = [line.slice(0, width)]
  for (let i = width; i < line.length; i += width - 1) parts.push(' ' + line.slice(i, i + width - 1))
  return parts.join('\n')
}

function recordLines(r: LdifRecord): string[] {
  const lines = [ldifLine('dn', r.dn)]
  switch (r.change) {
    case 'add':
      lines.push('changetype: add')
      for (const [attribute, values] of r.attributes)
        for (const v of values) lines.push(ldifLine(attribute, v))
      break
    case 'modify':
      lines.push('changetype: modify')
      for (const m of r.modifications) {
        lines.push(`${m.op}: ${m.attribute}`)
        for (const v of m.values) lines.push(ldifLine(m.attribute, v))
        lines.push('-')
      }
      break
    case 'modrdn':
      lines.push(
        'changetype: modrdn',
        ldifLine('newrdn', r.newRdn),
        `deleteoldrdn: ${r.deleteOldRdn ? 1 : 0}`,
      )
      if (r.newSuperior !== undefined) lines.push(ldifLine('newsuperior', r.newSuperior))
      break
    case 'delete':
      lines.push('changetype: delete')
      break
  }
  return lines
}

/**
 * A whole LDIF file, in pieces: `version: 1`, optional comment lines, and the records separated by
 * blank lines.
 */
export function* ldifChunks(
  records: Iterable<LdifRecord>,
  comments: readonly string[] = [],
): Generator<string> {
  yield ['version: 1', ...comments.map((c) => `# ${c.replace(/[\r\n]+/g, ' ')}`)].join('\n')
  for (const r of records) yield '\n\n' + recordLines(r).join('\n')
  yield '\n'
}

export const ldifText = (records: readonly LdifRecord[], comments: readonly string[] = []): string =>
  [...ldifChunks(records, comments)].join('')

/** An attribute value inside a DN (RFC 4514): special characters and edge spaces escaped. */
export function escapeDnValue(value: string): string {
  // Most values (codes, usernames) need nothing: one test instead of three replaces per DN.
  if (!/[\\,+"<>;=]|^[ #]| $/.test(value)) return value
  return value
    .replace(/[\\,+"<>;=]/g, '\\$&')
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ')
}
