import {SapxepError} from '../errors.js'
import {LOCAL_BODIES, type LocalKind} from '../registry/vocabulary.js'
import {fold, splitUnitName} from './text.js'

/** Short name of a body in official addresses (`ubnd.namdinh@…`); other kinds are folded. */
export function bodyShort(kind: string): string {
  return LOCAL_BODIES[kind as LocalKind]?.mail ?? fold(kind)
}

/** The mail domain of a province: its proper name folded, under gov.vn (`Tỉnh Nam Định` → `namdinh.gov.vn`). */
export function provinceDomain(provinceName: string): string {
  return `${fold(splitUnitName(provinceName).proper)}.gov.vn`
}

export interface AddressVars {
  body: string
  unit: string
  district?: string
  province: string
}

const PLACEHOLDER = /\{([a-z]+)\}/g

/**
 * Expand a mailbox pattern such as `{body}.{unit}` into a local part. Empty parts (no district once the
 * district level is gone) drop out with their dots rather than leaving `..`.
 */
export function expandAddressPattern(pattern: string, vars: AddressVars): string {
  const local = pattern.replace(PLACEHOLDER, (_, name: string) => {
    if (!(name in vars) && name !== 'district')
      throw new SapxepError(
        `mail pattern "${pattern}": unknown placeholder {${name}} (use {body}, {unit}, {district}, {province})`,
      )
    return (vars as unknown as Record<string, string | undefined>)[name] ?? ''
  })
  return local
    .split('.')
    .filter((p) => p !== '')
    .join('.')
}

/** Candidate addresses for one mailbox, in the order they are tried when earlier ones are taken. */
export function addressCandidates(local: string, domain: string, count = 5): string[] {
  return Array.from({length: count}, (_, i) => `${i === 0 ? local : `${local}${i + 1}`}@${domain}`)
}
