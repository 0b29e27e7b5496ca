import {RegistryCommand} from '../../src/cli/base-command.js'
import {renderRegistryDigest} from '../../src/cli/render/registry.js'
import {registryDigest, type RegistryDigest} from '../../src/registry/digest.js'

export default class RegistryDigestCommand extends RegistryCommand {
  static override summary = 'Print a content digest of the registry (independent of row order).'

  async run(): Promise<RegistryDigest> {
    const {flags} = await this.parse(RegistryDigestCommand)
    const digest = await this.withRegistry(flags, ({db}) => registryDigest(db))
    this.log(renderRegistryDigest(digest))
    return digest
  }
}
