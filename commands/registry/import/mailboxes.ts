import {Args, Flags} from '@oclif/core'
import {RegistryCommand} from '../../../src/cli/base-command.js'
import {renderMailboxesImport} from '../../../src/cli/render/imports.js'
import {importMailboxes, SYSTEMS, type ImportMailboxesResult} from '../../../src/index.js'

export default class RegistryImportMailboxes extends RegistryCommand {
  static override summary = 'Import official and personal mailboxes (with their aliases) from a CSV export.'
  static override description =
    'Columns: address, display_name, kind, owner_agency_id, owner_system, owner_username, status, aliases (separated by ";"; header row required; see the README). ' +
    'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
  static override examples = ['<%= config.bin %> registry import mailboxes mailboxes.csv --system sso']
  static override args = {file: Args.string({description: 'CSV file', required: true})}
  static override flags = {
    system: Flags.string({
      description: 'System of the owner accounts (fills an empty owner_system where owner_username is given)',
      options: [...SYSTEMS],
    }),
  }

  async run(): Promise<ImportMailboxesResult> {
    const {args, flags} = await this.parse(RegistryImportMailboxes)
    const result = await this.withRegistry(flags, (registry) =>
      importMailboxes(registry, args.file, {system: flags.system}),
    )
    this.log(renderMailboxesImport(result))
    return result
  }
}
