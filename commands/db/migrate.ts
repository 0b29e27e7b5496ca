import {BaseCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {withRegistry} from '../../src/cli/open.js'
import {migrateRegistry} from '../../src/registry/status.js'

export default class DbMigrate extends BaseCommand {
  static override summary = 'Apply pending schema migrations to the registry.'
  static override flags = {...registryFlags}

  async run(): Promise<{applied: string[]}> {
    const {flags} = await this.parse(DbMigrate)
    const result = await withRegistry(flags, migrateRegistry, {migrate: false})
    this.log(result.applied.length === 0 ? 'Schema is up to date.' : `Applied: ${result.applied.join(', ')}`)
    return result
  }
}
