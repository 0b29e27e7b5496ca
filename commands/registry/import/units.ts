import {Args, Flags} from '@oclif/core'
import {RegistryCommand} from '../../../src/cli/base-command.js'
import {withProgress} from '../../../src/cli/progress.js'
import {renderUnitsImport} from '../../../src/cli/render/imports.js'
import {nextAfterUnitsImport} from '../../../src/cli/render/next.js'
import {importUnits, type ImportUnitsResult} from '../../../src/registry/import/units.js'

export default class RegistryImportUnits extends RegistryCommand {
  static override summary = 'Import administrative units from a GSO list or a province snapshot (CSV).'
  static override description =
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing. ' +
    'Stale rows of the 2025 GSO lists (data/errata/gso-units-2025.csv: units dissolved in 2019–2024) are recorded as retired, with their successor where known, and reported; --as-printed imports the list as published.'
  static override examples = ['<%= config.bin %> registry import units data/gso-units-2025-03-01.csv']
  static override args = {file: Args.string({description: 'CSV file', required: true})}
  static override flags = {
    'as-printed': Flags.boolean({
      description: 'the list exactly as published: do not apply the documented errata (data/errata/)',
      exclusive: ['errata'],
    }),
    errata: Flags.string({
      description: 'errata to apply instead of the shipped data/errata/gso-units-2025.csv',
    }),
  }

  async run(): Promise<ImportUnitsResult> {
    const {args, flags} = await this.parse(RegistryImportUnits)
    const result = await this.withRegistry(
      flags,
      (registry) =>
        withProgress(`Importing units from ${args.file}`, {json: this.jsonEnabled()}, () =>
          importUnits(registry, args.file, {asPrinted: flags['as-printed'], errata: flags.errata}),
        ),
      {
        mustExist: false,
      },
    )
    this.log(renderUnitsImport(result))
    this.note(nextAfterUnitsImport())
    return result
  }
}
