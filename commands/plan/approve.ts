import fs from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {SapxepError} from '../../src/errors.js'
import {approvePlan} from '../../src/plan/approvals.js'
import {readPlanFile, writePlanFile} from '../../src/plan/file.js'

export interface ApproveResult {
  path: string
  digest: string
  key: string
  signer?: string
  approvals: number
}

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
    const plan = await readPlanFile(args.plan)
    let pem: Buffer
    try {
      pem = await fs.promises.readFile(flags.key)
    } catch (err) {
      throw new SapxepError(
        `cannot read key ${flags.key}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      )
    }
    const approved = approvePlan(plan, pem, flags.signer)
    await writePlanFile(args.plan, approved)
    const mine = approved.approvals!.at(-1)!
    this.log(
      `Approved ${args.plan} (${approved.digest}) with key ${mine.key}${flags.signer ? ` as ${flags.signer}` : ''}; the plan has ${approved.approvals!.length} approval(s).`,
    )
    return {
      path: args.plan,
      digest: approved.digest,
      key: mine.key,
      ...(flags.signer ? {signer: flags.signer} : {}),
      approvals: approved.approvals!.length,
    }
  }
}
