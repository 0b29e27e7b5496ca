import {SEED_TABLES, type SeedResult} from '../../registry/seed/seed.js'
import {count} from './format.js'

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
