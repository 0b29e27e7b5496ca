import {Flags} from '@oclif/core'
import {RegistryCommand} from '../../src/cli/base-command.js'
import {withProgress} from '../../src/cli/progress.js'
import {nextAfterSeed} from '../../src/cli/render/next.js'
import {renderSeed, renderSeedWarnings} from '../../src/cli/render/seed.js'
import {MAX_SCALE, SAMPLES, seedRegistry, type SeedResult} from '../../src/registry/seed/seed.js'

const scaleFlag = Flags.custom<number>({
  parse: async (input) => {
    const scale = Number(input)
    if (input.trim() === '' || !Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE)
      throw new Error(
        `--scale must be a number above 0 and at most ${MAX_SCALE}, got ${JSON.stringify(input)}`,
      )
    return scale
  },
})

export default class RegistrySeed extends RegistryCommand {
  static override summary =
    'Fill the registry with a deterministic, realistic sample of agencies, accounts, mailboxes and endpoints.'
  static override description =
    'Generated on top of the units already imported (nam-dinh: Nam Định, 36, with Hà Nam and Ninh Bình when their units are there; national: every province). ' +
    'The same sample and seed always give the same rows; seeding again changes nothing. ' +
    'Level-1 identifier codes come from data/level1-codes.csv (12 known, the others synthetic). ' +
    '--scale F multiplies the staff of every unit — their accounts and personal mailboxes — by F ' +
    '(national at scale 1: about 1,000,000 accounts and 440,000 mailboxes); agencies, identifier codes, ' +
    'endpoints and official mailboxes stay the same, and every unit keeps its leaders.'
  static override examples = [
    '<%= config.bin %> registry seed --sample nam-dinh',
    '<%= config.bin %> registry seed --sample national --seed 7 --json',
    '<%= config.bin %> registry seed --sample national --scale 0.05',
  ]
  static override flags = {
    sample: Flags.string({description: 'Which sample to generate', options: [...SAMPLES], required: true}),
    seed: Flags.integer({description: 'Seed of the generator: same seed, same rows', default: 1, min: 0}),
    scale: scaleFlag({
      description: `Multiply the staff of every unit (accounts, personal mailboxes) by F, 0 < F ≤ ${MAX_SCALE}`,
      helpValue: 'F',
      default: 1,
    }),
  }

  async run(): Promise<SeedResult> {
    const {flags} = await this.parse(RegistrySeed)
    const started = Date.now()
    const result = await this.withRegistry(flags, (registry) =>
      withProgress(`Seeding the ${flags.sample} sample`, {json: this.jsonEnabled()}, () =>
        seedRegistry(registry, {
          sample: flags.sample as SeedResult['sample'],
          seed: flags.seed,
          scale: flags.scale,
        }),
      ),
    )
    this.log(renderSeed(result))
    const warnings = renderSeedWarnings(result)
    if (warnings) this.note(warnings)
    this.note(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    this.note(nextAfterSeed())
    return result
  }
}
