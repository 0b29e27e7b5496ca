import {listRuns, type RunRecord} from '../src/registry/runs.js'
import {BaseCommand} from '../src/cli/base-command.js'
import {registryFlags} from '../src/cli/flags.js'
import {withRegistry} from '../src/cli/open.js'

export default class History extends BaseCommand {
  static override summary = 'List applied and rolled-back runs: who, when, where, which plan, how much.'
  static override flags = {...registryFlags}

  async run(): Promise<{runs: RunRecord[]}> {
    const {flags} = await this.parse(History)
    const runs = await withRegistry(flags, ({db}) => listRuns(db))
    if (runs.length === 0) this.log('No runs yet.')
    for (const r of runs) {
      const rows = Object.values(r.rows).reduce((a, b) => a + b, 0)
      this.log(
        `run ${r.id}  ${r.status === 'applied' ? 'applied    ' : 'rolled back'}  ${r.started_at}  ${r.os_user}@${r.host}  ` +
          `${r.mapping}  ${r.operations.toLocaleString('en-US')} ops, ${rows.toLocaleString('en-US')} rows  plan ${r.plan_digest.slice(0, 19)}…` +
          (r.rolled_back_at ? `  (rolled back ${r.rolled_back_at} by ${r.rolled_back_by})` : ''),
      )
    }
    return {runs}
  }
}
