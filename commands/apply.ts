import {Args, Flags} from '@oclif/core'
import {RegistryCommand} from '../src/cli/base-command.js'
import {confirmYes} from '../src/cli/confirm.js'
import {withInterrupt} from '../src/cli/interrupt.js'
import {writeFlags} from '../src/cli/flags.js'
import {withProgress} from '../src/cli/progress.js'
import {renderApply, renderApplyConfirmation} from '../src/cli/render/apply.js'
import {applyPlan, type ApplyResult} from '../src/apply/executor.js'
import {SapxepError} from '../src/errors.js'
import {requireApprovals} from '../src/plan/approvals.js'
import {readPlanFile} from '../src/plan/file.js'

export default class Apply extends RegistryCommand {
  static override summary = 'Carry out a saved plan in one transaction (or rehearse it with --dry-run).'
  static override description = `Refuses a plan whose digest does not match (exit 6), one without the required approvals (exit 6), and one made before the registry changed (exit 5). Takes an exclusive lock (exit 4 when another apply or rollback holds it), then writes every change and its before-image in ONE transaction: Ctrl-C or any error leaves the registry exactly as it was. --dry-run runs the same statements and rolls them back, reporting the rows touched.`
  static override examples = [
    '<%= config.bin %> apply ninh-binh.plan.json --dry-run',
    '<%= config.bin %> apply ninh-binh.plan.json --yes',
    '<%= config.bin %> apply ninh-binh.plan.json --yes --require-approvals 2 --trusted-keys keys/',
  ]
  static override args = {
    plan: Args.string({description: 'plan file made by `sapxep plan --out`', required: true}),
  }
  static override flags = {
    'dry-run': writeFlags.dryRun('run everything, report the rows touched, then roll back'),
    yes: writeFlags.yes,
    'lock-timeout': writeFlags.lockTimeout,
    'require-approvals': Flags.integer({
      description: 'refuse the plan unless it carries this many valid signatures',
      min: 1,
    }),
    'trusted-keys': Flags.string({
      description: 'directory of trusted public keys (*.pem) for --require-approvals',
      dependsOn: ['require-approvals'],
    }),
  }

  async run(): Promise<ApplyResult> {
    const {args, flags} = await this.parse(Apply)
    // Streamed: each kind of operations is parsed while the database writes the one before.
    const plan = await readPlanFile(args.plan, {stream: true})
    const approvals = flags['require-approvals']
      ? {required: flags['require-approvals'], trustedKeysDir: flags['trusted-keys'] ?? ''}
      : undefined
    if (approvals) {
      if (!approvals.trustedKeysDir) throw new SapxepError('--require-approvals needs --trusted-keys DIR')
      // Before asking for confirmation; applyPlan checks again.
      requireApprovals(plan, approvals.required, approvals.trustedKeysDir)
    }
    if (!flags['dry-run'] && !flags.yes) {
      if (!process.stdin.isTTY)
        throw new SapxepError(
          'apply changes the registry: pass --yes to confirm when not running interactively',
        )
      process.stderr.write(renderApplyConfirmation(plan) + '\n')
      if (!(await confirmYes('Apply these changes to the registry? Type "yes" to continue: ')))
        throw new SapxepError('not applied: confirmation declined')
    }
    const result = await withInterrupt((signal) =>
      this.withRegistry(
        flags,
        (registry) =>
          withProgress(
            flags['dry-run'] ? 'Dry run (everything is rolled back)' : 'Applying plan',
            {json: this.jsonEnabled()},
            (onEvent) =>
              applyPlan(registry, plan, {
                approvals,
                dryRun: flags['dry-run'],
                lockTimeoutSeconds: flags['lock-timeout'],
                onEvent,
                signal,
              }),
          ),
        {lockTimeoutSeconds: flags['lock-timeout']},
      ),
    )
    this.log(renderApply(result))
    return result
  }
}
