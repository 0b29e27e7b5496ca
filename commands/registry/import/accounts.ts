import {exportImportCommand} from '../../../src/cli/import-command.js'
import {accountsExport} from '../../../src/registry/import/accounts.js'

export default exportImportCommand(accountsExport, {
  summary: 'Import accounts of the government systems from a CSV export.',
  more: 'A single-system export may leave out the system column and pass --system.',
  examples: [
    '<%= config.bin %> registry import accounts accounts.csv',
    '<%= config.bin %> registry import accounts dvc-users.csv --system dvc',
  ],
})
