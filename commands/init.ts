import {RegistryCommand} from '../src/cli/base-command.js'
import {renderInit} from '../src/cli/render/db.js'
import {dbStatus, type DbStatus} from '../src/registry/status.js'

export default class Init extends RegistryCommand {
  static override summary = 'Create the registry (embedded by default) and bring its schema up to date.'
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --database-url postgres://postgres@127.0.0.1/sapxep',
  ]

  async run(): Promise<DbStatus> {
    const {flags} = await this.parse(Init)
    const status = await this.withRegistry(flags, dbStatus, {mustExist: false})
    this.log(renderInit(status))
    return status
  }
}
