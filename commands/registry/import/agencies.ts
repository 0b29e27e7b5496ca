import {Args} from '@oclif/core'
import {BaseCommand} from '../../../src/cli/base-command.js'
import {registryFlags} from '../../../src/cli/flags.js'
import {withRegistry} from '../../../src/cli/open.js'
import {importAgencies, type ImportAgenciesResult} from '../../../src/registry/import/agencies.js'

export default class RegistryImportAgencies extends BaseCommand {
  static override summary =
    'Import agencies (bodies serving a unit, with their identifier codes) from a CSV export.'
  static override description =
    'Columns: id, unit_code, kind, name, identifier_code, parent_id, status (header row required; see the README). ' +
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = ['<%= config.bin %> registry import agencies agencies.csv']
  static override args = {file: Args.string({description: 'CSV file', required: true})}
  static override flags = {...registryFlags}

  async run(): Promise<ImportAgenciesResult> {
    const {args, flags} = await this.parse(RegistryImportAgencies)
    const result = await withRegistry(flags, (registry) => importAgencies(registry, args.file))
    this.log(
      `${result.file}: ${result.rows} agencies — ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged; ` +
        `${result.identifierCodesIssued} identifier codes issued`,
    )
    return result
  }
}
