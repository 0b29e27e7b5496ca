import {exportImportCommand} from '../../../src/cli/import-command.js'
import {endpointsExport} from '../../../src/registry/import/endpoints.js'

export default exportImportCommand(endpointsExport, {
  summary: 'Import document-exchange endpoints (provincial and national axes) from a CSV export.',
  examples: ['<%= config.bin %> registry import endpoints endpoints.csv'],
})
