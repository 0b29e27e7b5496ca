import {RegistryCommand} from '../../src/cli/base-command.js'
import {renderDbStatus} from '../../src/cli/render/db.js'
import {dbStatus, type DbStatus} from '../../src/registry/status.js'

export default class DbStatusCommand extends RegistryCommand {
  static override summary = 'Show the registry engine, its location (without password) and schema version.'

  async run(): Promise<DbStatus> {
    const {flags} = await this.parse(DbStatusCommand)
    const status = await this.withRegistry(flags, dbStatus, {migrate: false})
    this.log(renderDbStatus(status))
    return status
  }
}
