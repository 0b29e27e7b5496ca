import {SEED_TABLES, type RegistryDigest, type RegistryStats, type SeedResult} from '../../index.js'
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

/** `sapxep registry seed`: the sample, the units it was generated on, and the rows per table. */
export function renderSeed(result: SeedResult): string {
  const scale = result.scale === 1 ? '' : `, scale ${result.scale}`
  return [
    `Sample ${result.sample} (seed ${result.seed}${scale}) on ${count(result.units.province)} provinces, ` +
      `${count(result.units.district)} districts, ${count(result.units.commune)} communes:`,
    ...SEED_TABLES.map(
      (table) =>
        `  ${table.padEnd(17)} ${count(result.rows[table]).padStart(10)} rows, ${count(result.changed[table])} new or changed`,
    ),
  ].join('\n')
}

/** The seed's warnings (stderr), one per line; '' when there are none. */
export function renderSeedWarnings(result: SeedResult): string {
  return result.warnings.map((w) => `Warning: ${w}`).join('\n')
}
