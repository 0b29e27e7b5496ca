import {BaseCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {withRegistry} from '../../src/cli/open.js'
import {dbStatus, type DbStatus} from '../../src/registry/status.js'

export default class DbStatusCommand extends BaseCommand {
  static override summary = 'Show the registry engine, its location (without password) and schema version.'
  static override flags = {...registryFlags}

  async run(): Promise<DbStatus> {
    const {flags} = await this.parse(DbStatusCommand)
    const status = await withRegistry(flags, dbStatus, {migrate: false})
    this.log(`engine:   ${status.engine}`)
    this.log(`location: ${status.location}`)
    this.log(`schema:   ${status.schemaVersion ?? '(empty)'} (latest ${status.latestSchemaVersion})`)
    if (status.pending.length > 0)
      this.log(`pending:  ${status.pending.join(', ')} — run \`sapxep db migrate\``)
    return status
  }
}
