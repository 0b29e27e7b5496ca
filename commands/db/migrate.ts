import {RegistryCommand} from '../../src/cli/base-command.js'
import {renderDbMigrate} from '../../src/cli/render/db.js'
import {migrateRegistry} from '../../src/registry/status.js'

export default class DbMigrate extends RegistryCommand {
  static override summary = 'Apply pending schema migrations to the registry.'

  async run(): Promise<{applied: string[]}> {
    const {flags} = await this.parse(DbMigrate)
    const result = await this.withRegistry(flags, migrateRegistry, {migrate: false, mustExist: false})
    this.log(renderDbMigrate(result))
    return result
  }
}
