import {exportImportCommand} from '../../../src/cli/import-command.js'
import {agenciesExport} from '../../../src/registry/import/agencies.js'

export default exportImportCommand(agenciesExport, {
  summary: 'Import agencies (bodies serving a unit, with their identifier codes) from a CSV export.',
  examples: ['<%= config.bin %> registry import agencies agencies.csv'],
})
