import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {nextAfterApprove} from '../../src/cli/render/next.js'
import {renderApprove} from '../../src/cli/render/plan.js'
import {approvePlanFile, type ApproveResult} from '../../src/plan/approvals.js'

export default class PlanApprove extends BaseCommand {
  static override summary = "Sign a plan's digest with your Ed25519 key (a reviewer's approval)."
  static override description =
    'Adds the signature to the plan file without changing its digest; approving again with the same key replaces the earlier approval. `sapxep apply --require-approvals N --trusted-keys DIR` counts the signatures by keys in DIR.'
  static override examples = [
    '<%= config.bin %> plan approve plan.json --key ~/.sapxep/keys/lan.key.pem --signer "Nguyễn Thị Lan"',
  ]
  static override args = {plan: Args.string({description: 'plan file', required: true})}
  static override flags = {
    key: Flags.string({
      char: 'k',
      description: 'your Ed25519 private key (PEM), from sapxep plan keygen or openssl',
      required: true,
    }),
    signer: Flags.string({description: 'your name, shown to other reviewers'}),
  }

  async run(): Promise<ApproveResult> {
    const {args, flags} = await this.parse(PlanApprove)
    const result = await approvePlanFile(args.plan, flags.key, flags.signer)
    this.log(renderApprove(result))
    this.note(nextAfterApprove(args.plan, result.approvals))
    return result
  }
}
