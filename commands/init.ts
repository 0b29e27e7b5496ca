import {BaseCommand} from '../src/cli/base-command.js'
import {registryFlags} from '../src/cli/flags.js'
import {withRegistry} from '../src/cli/open.js'
import {dbStatus, type DbStatus} from '../src/registry/status.js'

export default class Init extends BaseCommand {
  static override summary = 'Create the registry (embedded by default) and bring its schema up to date.'
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --database-url postgres://postgres@127.0.0.1/sapxep',
  ]
  static override flags = {...registryFlags}

  async run(): Promise<DbStatus> {
    const {flags} = await this.parse(Init)
    const status = await withRegistry(flags, dbStatus)
    this.log(`Registry ready: ${status.engine} at ${status.location}, schema ${status.schemaVersion}`)
    return status
  }
}
