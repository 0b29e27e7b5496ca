import {Flags} from '@oclif/core'
import {RegistryCommand} from '../src/cli/base-command.js'
import {confirmYes} from '../src/cli/confirm.js'
import {runArg, writeFlags} from '../src/cli/flags.js'
import {withInterrupt} from '../src/cli/interrupt.js'
import {withProgress} from '../src/cli/progress.js'
import {renderOverwritten, renderRollback, renderRollbackConfirmation} from '../src/cli/render/rollback.js'
import {rollbackRun, type RollbackResult} from '../src/apply/rollback.js'
import {SapxepError} from '../src/errors.js'
import {getRun} from '../src/registry/runs.js'

export default class Rollback extends RegistryCommand {
  static override summary = 'Undo an applied run exactly, from its journal, in one transaction.'
  static override description =
    'Restores the before-image of every row the run changed and removes the rows it created. Refuses (exit 5) when rows the run touched have changed since, listing them, unless --force, which overwrites them and lists what it overwrote. Rolling back a rolled-back run changes nothing.'
  static override examples = [
    '<%= config.bin %> rollback 1 --dry-run',
    '<%= config.bin %> rollback 1',
    '<%= config.bin %> rollback 1 --yes',
  ]
  static override args = {
    run: runArg({description: 'run number (see `sapxep history`)', required: true}),
  }
  static override flags = {
    'dry-run': writeFlags.dryRun('do the rollback and undo it, reporting the rows'),
    force: Flags.boolean({description: 'roll back even over rows changed since the run (lists them)'}),
    yes: writeFlags.yes,
    'lock-timeout': writeFlags.lockTimeout,
  }

  async run(): Promise<RollbackResult> {
    const {args, flags} = await this.parse(Rollback)
    const confirm = !flags['dry-run'] && !flags.yes
    if (confirm && !process.stdin.isTTY)
      throw new SapxepError(
        'rollback changes the registry: pass --yes to confirm when not running interactively',
      )
    const result = await this.withRegistry(
      flags,
      async (registry) => {
        // Asked with the registry open: the run shown is the run rolled back.
        const run = confirm ? await getRun(registry.db, args.run) : undefined
        if (run?.status === 'applied') {
          process.stderr.write(renderRollbackConfirmation(run) + '\n')
          if (!(await confirmYes('Roll back this run? Type "yes" to continue: ')))
            throw new SapxepError('not rolled back: confirmation declined')
        }
        const title = flags['dry-run']
          ? `Dry run of the rollback of run ${args.run}`
          : `Rolling back run ${args.run}`
        // Ctrl-C from here on rolls the transaction back (as in apply).
        return withInterrupt((signal) =>
          withProgress(title, {json: this.jsonEnabled()}, (onEvent) =>
            rollbackRun(registry, args.run, {
              dryRun: flags['dry-run'],
              force: flags.force,
              lockTimeoutSeconds: flags['lock-timeout'],
              signal,
              onEvent,
            }),
          ),
        )
      },
      {lockTimeoutSeconds: flags['lock-timeout']},
    )
    this.warnLines(renderOverwritten(result))
    this.log(renderRollback(result))
    return result
  }
}
