import readline from 'node:readline/promises'
import {Args, Flags} from '@oclif/core'
import {applyPlan, type ApplyResult} from '../src/apply/executor.js'
import {BaseCommand} from '../src/cli/base-command.js'
import {registryFlags} from '../src/cli/flags.js'
import {withRegistry} from '../src/cli/open.js'
import {withProgress} from '../src/cli/progress.js'
import {SapxepError} from '../src/errors.js'
import {requireApprovals} from '../src/plan/approvals.js'
import {readPlanFile} from '../src/plan/file.js'

export default class Apply extends BaseCommand {
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
    ...registryFlags,
    'dry-run': Flags.boolean({description: 'run everything, report the rows touched, then roll back'}),
    yes: Flags.boolean({
      char: 'y',
      description: 'do not ask for confirmation (required when not interactive)',
    }),
    'lock-timeout': Flags.integer({
      description: 'seconds to wait for another apply or rollback to finish',
      default: 0,
      min: 0,
    }),
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
    const plan = await readPlanFile(args.plan)
    const approvals = flags['require-approvals']
      ? {required: flags['require-approvals'], trustedKeysDir: flags['trusted-keys'] ?? ''}
      : undefined
    if (approvals) {
      if (!approvals.trustedKeysDir) throw new SapxepError('--require-approvals needs --trusted-keys DIR')
      // Before asking for confirmation; applyPlan checks again.
      requireApprovals(plan, approvals.required, approvals.trustedKeysDir)
    }
    const s = plan.summary
    if (!flags['dry-run'] && !flags.yes) {
      if (!process.stdin.isTTY)
        throw new SapxepError(
          'apply changes the registry: pass --yes to confirm when not running interactively',
        )
      const byKind = Object.entries(s.byKind).map(
        ([k, n]) => `  ${k.padEnd(20)} ${n!.toLocaleString('en-US')}`,
      )
      process.stderr.write(
        `Plan ${plan.digest}\n${plan.mapping.decision.number} — ${s.operations.toLocaleString('en-US')} operations:\n${byKind.join('\n')}\n`,
      )
      const rl = readline.createInterface({input: process.stdin, output: process.stderr})
      const answer = await rl.question('Apply these changes to the registry? Type "yes" to continue: ')
      rl.close()
      if (answer.trim().toLowerCase() !== 'yes') throw new SapxepError('not applied: confirmation declined')
    }
    const abort = new AbortController()
    const onSigint = () => {
      if (abort.signal.aborted) process.exit(130) // a second Ctrl-C: the uncommitted transaction dies with us
      process.stderr.write('\nInterrupted: rolling back…\n')
      abort.abort()
    }
    process.on('SIGINT', onSigint)
    try {
      const result = await withRegistry(
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
                signal: abort.signal,
              }),
          ),
        {lockTimeoutSeconds: flags['lock-timeout']},
      )
      this.report(result)
      return result
    } finally {
      process.off('SIGINT', onSigint)
    }
  }

  private report(r: ApplyResult): void {
    if (r.status === 'already-applied') {
      this.log(`Nothing to do: this plan (${r.digest}) was already applied by run ${r.run}.`)
      return
    }
    const rows = Object.entries(r.touched).map(([t, n]) => `  ${t.padEnd(17)} ${n.toLocaleString('en-US')}`)
    this.log(
      r.status === 'dry-run'
        ? `Dry run: ${r.operations.toLocaleString('en-US')} operations would touch these rows (all rolled back):`
        : `Applied as run ${r.run} in ${r.seconds.toFixed(1)} s. Rows written:`,
    )
    this.log(rows.join('\n'))
    if (r.status === 'applied')
      this.log(`Check it with \`sapxep verify ${r.run}\`; undo it with \`sapxep rollback ${r.run}\`.`)
  }
}
