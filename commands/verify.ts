import fs from 'node:fs'
import {Args} from '@oclif/core'
import {verifyPlan, verifyRun, type VerifyReport} from '../src/apply/verify.js'
import {BaseCommand} from '../src/cli/base-command.js'
import {registryFlags} from '../src/cli/flags.js'
import {withRegistry} from '../src/cli/open.js'
import {ExitCode, SapxepError} from '../src/errors.js'
import {readPlanFile} from '../src/plan/file.js'

export default class Verify extends BaseCommand {
  static override summary = 'Check that the registry holds what a run (or plan) says, and its invariants.'
  static override description =
    'Given a run number: the rows the run wrote still hold its values. Given a plan file: every operation has its after-state. Both: no active account or mailbox on a retired unit or agency; each active commune of the province has exactly one active People’s Committee with an issued identifier code, a registered endpoint and an official mailbox; identifier codes unique; expected counts. Exit 0, or 3 with a report of each violation.'
  static override examples = ['<%= config.bin %> verify 1', '<%= config.bin %> verify ninh-binh.plan.json']
  static override args = {target: Args.string({description: 'run number or plan file', required: true})}
  static override flags = {...registryFlags}

  async run(): Promise<VerifyReport> {
    const {args, flags} = await this.parse(Verify)
    const isRun = /^[0-9]+$/.test(args.target) && !fs.existsSync(args.target)
    const plan = isRun ? null : await readPlanFile(args.target)
    const result = await withRegistry(flags, ({db}) =>
      plan ? verifyPlan(db, plan, `plan ${plan.digest}`) : verifyRun(db, Number(args.target)),
    )
    const c = this.chalk(flags['no-color'])
    for (const check of result.checks) {
      this.log(
        `${check.ok ? c.green('✓') : c.red('✗')} ${check.check}${check.ok ? '' : c.red(` — ${check.violations} violation(s)`)}`,
      )
      for (const e of check.examples) this.log(`    ${e}`)
      if (check.violations > check.examples.length)
        this.log(`    … and ${check.violations - check.examples.length} more`)
    }
    if (!result.ok) {
      if (this.jsonEnabled()) process.exitCode = ExitCode.verifyFailed
      else
        throw new SapxepError(`verification of ${result.subject} failed`, {
          exitCode: ExitCode.verifyFailed,
          code: 'verify_failed',
        })
    } else this.log(`${result.subject}: all ${result.checks.length} checks passed`)
    return result
  }
}
