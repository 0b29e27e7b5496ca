import {BaseCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {withRegistry} from '../../src/cli/open.js'
import {registryStats, type RegistryStats} from '../../src/registry/stats.js'

export default class RegistryStatsCommand extends BaseCommand {
  static override summary = 'Count the active units, agencies, accounts, mailboxes and registered endpoints.'
  static override flags = {...registryFlags}

  async run(): Promise<RegistryStats> {
    const {flags} = await this.parse(RegistryStatsCommand)
    const stats = await withRegistry(flags, ({db}) => registryStats(db))
    const n = (x: number) => x.toLocaleString('en-US')
    this.log(`provinces  ${n(stats.units.province)}`)
    this.log(`districts  ${n(stats.units.district)}`)
    this.log(`communes   ${n(stats.units.commune)}`)
    this.log(`agencies   ${n(stats.agencies)}`)
    this.log(`accounts   ${n(stats.accounts)}`)
    this.log(`mailboxes  ${n(stats.mailboxes)}`)
    this.log(`endpoints  ${n(stats.endpoints)}`)
    return stats
  }
}
