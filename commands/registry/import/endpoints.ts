import {Args} from '@oclif/core'
import {RegistryCommand} from '../../../src/cli/base-command.js'
import {renderRecordsImport} from '../../../src/cli/render/imports.js'
import {importEndpoints, type ImportResult} from '../../../src/index.js'

export default class RegistryImportEndpoints extends RegistryCommand {
  static override summary =
    'Import document-exchange endpoints (provincial and national axes) from a CSV export.'
  static override description =
    'Columns: axis, agency_code, parent_code, agency_id, name, mail, status (header row required; see the README). ' +
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = ['<%= config.bin %> registry import endpoints endpoints.csv']
  static override args = {file: Args.string({description: 'CSV file', required: true})}

  async run(): Promise<ImportResult> {
    const {args, flags} = await this.parse(RegistryImportEndpoints)
    const result = await this.withRegistry(flags, (registry) => importEndpoints(registry, args.file))
    this.log(renderRecordsImport(result))
    return result
  }
}
