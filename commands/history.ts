import {RegistryCommand} from '../src/cli/base-command.js'
import {renderHistory} from '../src/cli/render/history.js'
import {listRuns, type RunRecord} from '../src/registry/runs.js'

export default class History extends RegistryCommand {
  static override summary = 'List applied and rolled-back runs: who, when, where, which plan, how much.'

  async run(): Promise<{runs: RunRecord[]}> {
    const {flags} = await this.parse(History)
    const runs = await this.withRegistry(flags, ({db}) => listRuns(db))
    this.log(renderHistory(runs))
    return {runs}
  }
}
