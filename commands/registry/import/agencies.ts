import {Args} from '@oclif/core'
import {RegistryCommand} from '../../../src/cli/base-command.js'
import {renderAgenciesImport} from '../../../src/cli/render/imports.js'
import {importAgencies, type ImportAgenciesResult} from '../../../src/index.js'

export default class RegistryImportAgencies extends RegistryCommand {
  static override summary =
    'Import agencies (bodies serving a unit, with their identifier codes) from a CSV export.'
  static override description =
    'Columns: id, unit_code, kind, name, identifier_code, parent_id, status (header row required; see the README). ' +
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = ['<%= config.bin %> registry import agencies agencies.csv']
  static override args = {file: Args.string({description: 'CSV file', required: true})}

  async run(): Promise<ImportAgenciesResult> {
    const {args, flags} = await this.parse(RegistryImportAgencies)
    const result = await this.withRegistry(flags, (registry) => importAgencies(registry, args.file))
    this.log(renderAgenciesImport(result))
    return result
  }
}
