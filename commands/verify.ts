import {Args} from '@oclif/core'
import {RegistryCommand, type Outcome} from '../src/cli/base-command.js'
import {withProgress} from '../src/cli/progress.js'
import {renderVerify} from '../src/cli/render/verify.js'
import {readVerifyTarget, verifyTarget} from '../src/apply/verify-target.js'
import type {VerifyReport} from '../src/apply/verify.js'
import {ExitCode} from '../src/errors.js'

export default class Verify extends RegistryCommand {
  static override summary = 'Check that the registry holds what a run (or plan) says, and its invariants.'
  static override description =
    'Given a run number: the rows the run wrote still hold its values. Given a plan file: every operation has its after-state. Both: no active account or mailbox on a retired unit or agency; each active commune of the province has exactly one active People’s Committee with an issued identifier code, a registered endpoint and an official mailbox; identifier codes unique; expected counts. Exit 0, or 3 with a report of each violation.'
  static override examples = ['<%= config.bin %> verify 1', '<%= config.bin %> verify ninh-binh.plan.json']
  static override args = {target: Args.string({description: 'run number or plan file', required: true})}

  static override outcome(report: VerifyReport): Outcome {
    return report.ok
      ? {exit: ExitCode.ok}
      : {exit: ExitCode.verifyFailed, message: `verification of ${report.subject} failed`}
  }

  async run(): Promise<VerifyReport> {
    const {args, flags} = await this.parse(Verify)
    const target = await readVerifyTarget(args.target)
    const report = await this.withRegistry(flags, ({db}) =>
      withProgress(`Verifying ${args.target}`, {json: this.jsonEnabled()}, () => verifyTarget(db, target)),
    )
    this.log(renderVerify(report, this.chalk(flags['no-color'])))
    return report
  }
}
