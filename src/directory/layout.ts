import {escapeDnValue} from './ldif.js'
import {DEFAULT_SCHEMA, type LdapSchema} from './schema.js'

/**
 * How sapxep's registry maps onto a directory tree: one organizational unit per administrative unit
 * (`ou=<unit code>,<base>`; codes, not names, because names change and codes do not), one inetOrgPerson
 * per single-sign-on account under its unit (`uid=<username>,ou=<unit code>,<base>`). A disabled account
 * keeps its entry and carries the disable attribute, which directories mark in different ways. Official
 * and personal mailboxes sit in one container under the base (`mail=<address>,ou=mail,<base>`). The
 * object classes and attribute names are the schema's (`--ldap-schema`; inetOrgPerson by default).
 */
export interface DirectoryOptions {
  baseDn: string
  /** The attribute and value that mark a disabled account (default `employeeType: disabled`). */
  disable: {attribute: string; value: string}
  /** Object classes and attribute names (default DEFAULT_SCHEMA). */
  schema?: LdapSchema
}

export const schemaOf = (o: DirectoryOptions): LdapSchema => o.schema ?? DEFAULT_SCHEMA

export const DEFAULT_DISABLE = {attribute: 'employeeType', value: 'disabled'} as const

/** `ninhbinh.gov.vn` → `dc=ninhbinh,dc=gov,dc=vn`. */
export const baseDnOfDomain = (domain: string): string =>
  domain
    .split('.')
    .map((p) => `dc=${escapeDnValue(p)}`)
    .join(',')

/** `employeeType=disabled` → the attribute and value; undefined when it is not `attribute=value`. */
export function parseDisable(text: string): DirectoryOptions['disable'] | undefined {
  const m = /^([A-Za-z][A-Za-z0-9-]*)=(.+)$/.exec(text)
  return m ? {attribute: m[1], value: m[2]} : undefined
}

export const unitDn = (o: DirectoryOptions, unitCode: string): string =>
  `${schemaOf(o).units.rdn}=${escapeDnValue(unitCode)},${o.baseDn}`

export const accountRdn = (o: DirectoryOptions, username: string): string =>
  `${schemaOf(o).accounts.rdn}=${escapeDnValue(username)}`

export const accountDn = (o: DirectoryOptions, username: string, unitCode: string): string =>
  `${accountRdn(o, username)},${unitDn(o, unitCode)}`

/** The entry that holds the mailboxes (`ou=mail,<base>`); undefined when the schema writes none. */
export const mailboxContainerDn = (o: DirectoryOptions): string | undefined => {
  const m = schemaOf(o).mailboxes
  return m ? `${m.container},${o.baseDn}` : undefined
}

export const mailboxDn = (o: DirectoryOptions, address: string): string => {
  const m = schemaOf(o).mailboxes
  if (!m) throw new Error('the directory schema writes no mailboxes')
  return `${m.rdn}=${escapeDnValue(address)},${m.container},${o.baseDn}`
}
