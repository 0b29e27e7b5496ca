import {Args} from '@oclif/core'
import {BaseCommand} from '../../../src/cli/base-command.js'
import {registryFlags} from '../../../src/cli/flags.js'
import {withRegistry} from '../../../src/cli/open.js'
import {importUnits, type ImportUnitsResult} from '../../../src/registry/import/units.js'

export default class RegistryImportUnits extends BaseCommand {
  static override summary = 'Import administrative units from a GSO list or a province snapshot (CSV).'
  static override description =
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = ['<%= config.bin %> registry import units data/gso-units-2025-01-04.csv']
  static override args = {file: Args.string({description: 'CSV file', required: true})}
  static override flags = {...registryFlags}

  async run(): Promise<ImportUnitsResult> {
    const {args, flags} = await this.parse(RegistryImportUnits)
    const result = await withRegistry(flags, (registry) => importUnits(registry, args.file))
    const u = result.units
    this.log(
      `${result.file} (${result.format}): ${u.province} provinces, ${u.district} districts, ${u.commune} communes — ` +
        `${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged`,
    )
    return result
  }
}
