import {Args, Flags} from '@oclif/core'
import {RegistryCommand} from '../../../src/cli/base-command.js'
import {renderRecordsImport} from '../../../src/cli/render/imports.js'
import {importAccounts, SYSTEMS, type ImportResult} from '../../../src/index.js'

export default class RegistryImportAccounts extends RegistryCommand {
  static override summary = 'Import accounts of the government systems from a CSV export.'
  static override description =
    'Columns: system, username, holder, agency_id, role, status, reason, successor_username (header row required; see the README). ' +
    'A single-system export may leave out the system column and pass --system. ' +
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = [
    '<%= config.bin %> registry import accounts accounts.csv',
    '<%= config.bin %> registry import accounts dvc-users.csv --system dvc',
  ]
  static override args = {file: Args.string({description: 'CSV file', required: true})}
  static override flags = {
    system: Flags.string({
      description:
        'System of every row (fills a missing or empty system column; rows of another system are refused)',
      options: [...SYSTEMS],
    }),
  }

  async run(): Promise<ImportResult> {
    const {args, flags} = await this.parse(RegistryImportAccounts)
    const result = await this.withRegistry(flags, (registry) =>
      importAccounts(registry, args.file, {system: flags.system}),
    )
    this.log(renderRecordsImport(result))
    return result
  }
}
