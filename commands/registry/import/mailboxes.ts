import {exportImportCommand} from '../../../src/cli/import-command.js'
import {mailboxesExport} from '../../../src/registry/import/mailboxes.js'

export default exportImportCommand(mailboxesExport, {
  summary: 'Import official and personal mailboxes (with their aliases) from a CSV export.',
  columnsNote: 'separated by ";"',
  examples: ['<%= config.bin %> registry import mailboxes mailboxes.csv --system sso'],
})
