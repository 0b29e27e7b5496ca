import {RegistryCommand} from '../../src/cli/base-command.js'
import {renderRegistryStats} from '../../src/cli/render/registry.js'
import {registryStats, type RegistryStats} from '../../src/registry/stats.js'

export default class RegistryStatsCommand extends RegistryCommand {
  static override summary = 'Count the active units, agencies, accounts, mailboxes and registered endpoints.'

  async run(): Promise<RegistryStats> {
    const {flags} = await this.parse(RegistryStatsCommand)
    const stats = await this.withRegistry(flags, ({db}) => registryStats(db))
    this.log(renderRegistryStats(stats))
    return stats
  }
}
