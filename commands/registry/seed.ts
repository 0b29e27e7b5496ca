import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {withRegistry} from '../../src/cli/open.js'
import {SAMPLES, SEED_TABLES, seedRegistry, type SeedResult} from '../../src/registry/seed/seed.js'

export default class RegistrySeed extends BaseCommand {
  static override summary =
    'Fill the registry with a deterministic, realistic sample of agencies, accounts, mailboxes and endpoints.'
  static override description =
    'Generated on top of the units already imported (nam-dinh: province 36; national: every province). ' +
    'The same sample and seed always give the same rows; seeding again changes nothing. ' +
    'Level-1 identifier codes come from data/level1-codes.csv (12 known, the others synthetic).'
  static override examples = [
    '<%= config.bin %> registry seed --sample nam-dinh',
    '<%= config.bin %> registry seed --sample national --seed 7 --json',
  ]
  static override flags = {
    ...registryFlags,
    sample: Flags.string({description: 'Which sample to generate', options: [...SAMPLES], required: true}),
    seed: Flags.integer({description: 'Seed of the generator: same seed, same rows', default: 1, min: 0}),
  }

  async run(): Promise<SeedResult> {
    const {flags} = await this.parse(RegistrySeed)
    const started = Date.now()
    const result = await withRegistry(flags, (registry) =>
      seedRegistry(registry, {sample: flags.sample as SeedResult['sample'], seed: flags.seed}),
    )
    const n = (x: number) => x.toLocaleString('en-US')
    this.log(
      `Sample ${result.sample} (seed ${result.seed}) on ${n(result.units.province)} provinces, ` +
        `${n(result.units.district)} districts, ${n(result.units.commune)} communes:`,
    )
    for (const table of SEED_TABLES)
      this.log(
        `  ${table.padEnd(17)} ${n(result.rows[table]).padStart(10)} rows, ${n(result.changed[table])} new or changed`,
      )
    for (const warning of result.warnings) this.note(`Warning: ${warning}`)
    this.note(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return result
  }
}
