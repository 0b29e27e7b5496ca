import {Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {renderKeygen} from '../../src/cli/render/plan.js'
import {defaultKeyName, generateApprovalKey, type GeneratedKey} from '../../src/plan/approvals.js'

export default class PlanKeygen extends BaseCommand {
  static override summary =
    'Make an Ed25519 key pair for approving plans: NAME.key.pem (0600) and NAME.pub.pem.'
  static override description = `Keep NAME.key.pem to yourself; give NAME.pub.pem to whoever runs apply, for their --trusted-keys directory. Never overwrites a key.

The same with OpenSSL:
  openssl genpkey -algorithm ed25519 -out NAME.key.pem && chmod 600 NAME.key.pem
  openssl pkey -in NAME.key.pem -pubout -out NAME.pub.pem`
  static override examples = ['<%= config.bin %> plan keygen --out ~/.sapxep/keys --name lan']
  static override flags = {
    out: Flags.string({
      char: 'o',
      description: 'directory for the key files (created if missing)',
      required: true,
    }),
    name: Flags.string({description: 'file name stem (default: your user name)'}),
  }

  async run(): Promise<GeneratedKey> {
    const {flags} = await this.parse(PlanKeygen)
    const key = generateApprovalKey(flags.out, flags.name ?? defaultKeyName())
    this.log(renderKeygen(key))
    return key
  }
}
