import fs from 'node:fs'
import type {z} from 'zod'
import {SapxepError} from '../errors.js'
import {MappingDocument} from '../mapping/document.js'
import {displayPath} from '../mapping/read.js'
import {DEFAULT_DISABLE, parseDisable, type DirectoryOptions} from './layout.js'
import {DEFAULT_SCHEMA, LdapSchemaFileSchema, schemaOfFile, type LdapSchema} from './schema.js'

/** A schema file read and checked: the schema, and its disable marker with the place it was given. */
export interface LdapSchemaRead {
  file: string
  schema: LdapSchema
  disable?: {attribute: string; value: string; at: string}
}

/** A zod issue at `file:line:column`, found through the document's positions. */
function issueLine(doc: MappingDocument, issue: z.core.$ZodIssue): string {
  let path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  let atKey = false
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    path = [...path, issue.keys[0]]
    atKey = true
  } else if (issue.code === 'invalid_key') atKey = true
  const {line, column} = doc.position(path, atKey)
  const where = path.length > 0 ? `${path.join('.')}: ` : ''
  return `${doc.file}:${line}:${column}: ${where}${issue.message}`
}

/** Parse a schema file's text (YAML, or JSON, which is YAML); every problem at its `file:line:column`. */
export function parseLdapSchema(file: string, text: string): LdapSchemaRead {
  const doc = MappingDocument.parse(file, text)
  const syntax = doc.findings.filter((f) => f.rule === 'syntax')
  if (syntax.length > 0 || !doc.wellFormed)
    throw new SapxepError(
      `${file}: not a readable LDAP schema file\n` +
        syntax.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message}`).join('\n'),
      {code: 'input'},
    )
  const parsed = LdapSchemaFileSchema.safeParse(doc.data ?? {})
  if (!parsed.success)
    throw new SapxepError(
      `${file}: not a valid LDAP schema file\n` +
        parsed.error.issues.map((i) => issueLine(doc, i)).join('\n'),
      {code: 'input'},
    )
  const d = parsed.data.disable
  let disable: LdapSchemaRead['disable']
  if (d) {
    const {line, column} = doc.position(['disable'], true)
    disable = {...d, at: `${file}:${line}:${column}`}
  }
  return {file, schema: schemaOfFile(parsed.data), disable}
}

/** Read and check `--ldap-schema FILE`. */
export function readLdapSchema(file: string): LdapSchemaRead {
  const shown = displayPath(file)
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(fs.readFileSync(file))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new SapxepError(
      `--ldap-schema ${shown}: ${code ? `cannot read the file (${code})` : 'the file is not UTF-8 text'}`,
      {code: 'input'},
    )
  }
  return parseLdapSchema(shown, text)
}

/**
 * The schema and disable marker from `--ldap-schema FILE` and `--ldap-disable ATTR=VALUE`: the marker
 * may be given in either, or in both when they agree; each defaults to inetOrgPerson and
 * `employeeType=disabled`.
 */
export function directorySchema(flags: {
  schemaFile?: string
  disable?: string
}): Pick<DirectoryOptions, 'disable' | 'schema'> {
  let flagged: DirectoryOptions['disable'] | undefined
  if (flags.disable !== undefined) {
    flagged = parseDisable(flags.disable)
    if (!flagged) throw new SapxepError(`--ldap-disable ${flags.disable}: expected ATTRIBUTE=VALUE`)
  }
  const read = flags.schemaFile === undefined ? undefined : readLdapSchema(flags.schemaFile)
  const inFile = read?.disable
  if (
    flagged &&
    inFile &&
    (flagged.attribute.toLowerCase() !== inFile.attribute.toLowerCase() || flagged.value !== inFile.value)
  )
    throw new SapxepError(
      `--ldap-disable ${flags.disable} disagrees with the schema file's disable (${inFile.attribute}=${inFile.value}, ${inFile.at}): give the disable marker in one place`,
      {code: 'usage'},
    )
  const disable = flagged ?? (inFile ? {attribute: inFile.attribute, value: inFile.value} : DEFAULT_DISABLE)
  return {disable: {...disable}, schema: read?.schema ?? DEFAULT_SCHEMA}
}
