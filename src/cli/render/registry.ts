import type {RegistryDigest} from '../../registry/digest.js'
import type {RegistryStats} from '../../registry/stats.js'
import {count} from './format.js'

/** `sapxep registry stats`: active rows by kind. */
export function renderRegistryStats(stats: RegistryStats): string {
  return [
    `provinces  ${count(stats.units.province)}`,
    `districts  ${count(stats.units.district)}`,
    `communes   ${count(stats.units.commune)}`,
    `agencies   ${count(stats.agencies)}`,
    `accounts   ${count(stats.accounts)}`,
    `mailboxes  ${count(stats.mailboxes)}`,
    `endpoints  ${count(stats.endpoints)}`,
  ].join('\n')
}

/** `sapxep registry digest`: the digest, then one per table. */
export function renderRegistryDigest(digest: RegistryDigest): string {
  return [
    digest.digest,
    ...Object.entries(digest.tables).map(([table, d]) => `  ${table.padEnd(17)} ${d}`),
  ].join('\n')
}
