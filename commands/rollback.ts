import {Args, Flags} from '@oclif/core'
import {RegistryCommand} from '../src/cli/base-command.js'
import {writeFlags} from '../src/cli/flags.js'
import {withInterrupt} from '../src/cli/interrupt.js'
import {withProgress} from '../src/cli/progress.js'
import {renderOverwritten, renderRollback} from '../src/cli/render/rollback.js'
import {rollbackRun, type RollbackResult} from '../src/index.js'

export default class Rollback extends RegistryCommand {
  static override summary = 'Undo an applied run exactly, from its journal, in one transaction.'
  static override description =
    'Restores the before-image of every row the run changed and removes the rows it created. Refuses (exit 5) when rows the run touched have changed since, listing them, unless --force, which overwrites them and lists what it overwrote. Rolling back a rolled-back run changes nothing.'
  static override examples = ['<%= config.bin %> rollback 1 --dry-run', '<%= config.bin %> rollback 1']
  static override args = {
    run: Args.integer({description: 'run number (see `sapxep history`)', required: true}),
  }
  static override flags = {
    'dry-run': writeFlags.dryRun('do the rollback and undo it, reporting the rows'),
    force: Flags.boolean({description: 'roll back even over rows changed since the run (lists them)'}),
    'lock-timeout': writeFlags.lockTimeout,
  }

  async run(): Promise<RollbackResult> {
    const {args, flags} = await this.parse(Rollback)
    const result = await withInterrupt((signal) =>
      this.withRegistry(
        flags,
        (registry) =>
          withProgress(`Rolling back run ${args.run}`, {json: this.jsonEnabled()}, (onEvent) =>
            rollbackRun(registry, args.run, {
              dryRun: flags['dry-run'],
              force: flags.force,
              lockTimeoutSeconds: flags['lock-timeout'],
              signal,
              onEvent,
            }),
          ),
        {lockTimeoutSeconds: flags['lock-timeout']},
      ),
    )
    this.warnLines(renderOverwritten(result))
    this.log(renderRollback(result))
    return result
  }
}
