import {BaseCommand} from '../../src/cli/base-command.js'
import {registryFlags} from '../../src/cli/flags.js'
import {withRegistry} from '../../src/cli/open.js'
import {registryDigest, type RegistryDigest} from '../../src/registry/digest.js'

export default class RegistryDigestCommand extends BaseCommand {
  static override summary = 'Print a content digest of the registry (independent of row order).'
  static override flags = {...registryFlags}

  async run(): Promise<RegistryDigest> {
    const {flags} = await this.parse(RegistryDigestCommand)
    const digest = await withRegistry(flags, ({db}) => registryDigest(db))
    this.log(digest.digest)
    for (const [table, d] of Object.entries(digest.tables)) this.log(`  ${table.padEnd(17)} ${d}`)
    return digest
  }
}
