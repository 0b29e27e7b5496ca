import {escapeDnValue} from './ldif.js'

/**
 * How sapxep's registry maps onto a directory tree: one organizational unit per administrative unit
 * (`ou=<unit code>,<base>`; codes, not names, because names change and codes do not), one inetOrgPerson
 * per single-sign-on account under its unit (`uid=<username>,ou=<unit code>,<base>`). A disabled account
 * keeps its entry and carries the disable attribute, which directories mark in different ways.
 */
export interface DirectoryOptions {
  baseDn: string
  /** The attribute and value that mark a disabled account (default `employeeType: disabled`). */
  disable: {attribute: string; value: string}
}

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
  `ou=${escapeDnValue(unitCode)},${o.baseDn}`

export const accountRdn = (username: string): string => `uid=${escapeDnValue(username)}`

export const accountDn = (o: DirectoryOptions, username: string, unitCode: string): string =>
  `${accountRdn(username)},${unitDn(o, unitCode)}`
