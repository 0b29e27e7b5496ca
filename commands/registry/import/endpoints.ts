import {Args} from '@oclif/core'
import {BaseCommand} from '../../../src/cli/base-command.js'
import {registryFlags} from '../../../src/cli/flags.js'
import {withRegistry} from '../../../src/cli/open.js'
import {importEndpoints} from '../../../src/registry/import/endpoints.js'
import type {ImportResult} from '../../../src/registry/import/records.js'

export default class RegistryImportEndpoints extends BaseCommand {
  static override summary =
    'Import document-exchange endpoints (provincial and national axes) from a CSV export.'
  static override description =
    'Columns: axis, agency_code, parent_code, agency_id, name, mail, status (header row required; see the README). ' +
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = ['<%= config.bin %> registry import endpoints endpoints.csv']
  static override args = {file: Args.string({description: 'CSV file', required: true})}
  static override flags = {...registryFlags}

  async run(): Promise<ImportResult> {
    const {args, flags} = await this.parse(RegistryImportEndpoints)
    const result = await withRegistry(flags, (registry) => importEndpoints(registry, args.file))
    this.log(
      `${result.file}: ${result.rows} endpoints — ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged`,
    )
    return result
  }
}
