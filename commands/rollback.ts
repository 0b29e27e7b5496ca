import {Args, Flags} from '@oclif/core'
import {rollbackRun, type RollbackResult} from '../src/apply/rollback.js'
import {BaseCommand} from '../src/cli/base-command.js'
import {registryFlags} from '../src/cli/flags.js'
import {withRegistry} from '../src/cli/open.js'

export default class Rollback extends BaseCommand {
  static override summary = 'Undo an applied run exactly, from its journal, in one transaction.'
  static override description =
    'Restores the before-image of every row the run changed and removes the rows it created. Refuses (exit 5) when rows the run touched have changed since, listing them, unless --force, which overwrites them and lists what it overwrote. Rolling back a rolled-back run changes nothing.'
  static override examples = ['<%= config.bin %> rollback 1 --dry-run', '<%= config.bin %> rollback 1']
  static override args = {
    run: Args.integer({description: 'run number (see `sapxep history`)', required: true}),
  }
  static override flags = {
    ...registryFlags,
    'dry-run': Flags.boolean({description: 'do the rollback and undo it, reporting the rows'}),
    force: Flags.boolean({description: 'roll back even over rows changed since the run (lists them)'}),
    'lock-timeout': Flags.integer({
      description: 'seconds to wait for another apply or rollback',
      default: 0,
      min: 0,
    }),
  }

  async run(): Promise<RollbackResult> {
    const {args, flags} = await this.parse(Rollback)
    const r = await withRegistry(
      flags,
      (registry) =>
        rollbackRun(registry, args.run, {
          dryRun: flags['dry-run'],
          force: flags.force,
          lockTimeoutSeconds: flags['lock-timeout'],
        }),
      {lockTimeoutSeconds: flags['lock-timeout']},
    )
    if (r.status === 'already-rolled-back') {
      this.log(`Nothing to do: run ${r.run} was already rolled back.`)
      return r
    }
    if (r.overwritten.length > 0) {
      this.warn(`--force overwrote ${r.overwritten.length} row(s) changed since run ${r.run}:`)
      for (const row of r.overwritten) process.stderr.write(`  ${row}\n`)
    }
    const n = (o: Record<string, number>) =>
      Object.values(o)
        .reduce((a, b) => a + b, 0)
        .toLocaleString('en-US')
    this.log(
      `${r.status === 'dry-run' ? 'Dry run: would restore' : 'Rolled back run ' + r.run + ': restored'} ${n(r.restored)} row(s), removed ${n(r.deleted)} created row(s) in ${r.seconds.toFixed(1)} s`,
    )
    for (const [t, k] of Object.entries(r.restored))
      this.log(`  ${t.padEnd(17)} ${k.toLocaleString('en-US')} restored`)
    for (const [t, k] of Object.entries(r.deleted))
      this.log(`  ${t.padEnd(17)} ${k.toLocaleString('en-US')} removed`)
    return r
  }
}
