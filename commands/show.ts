import fs from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base-command.js'
import {StdoutWriter} from '../src/cli/stdout.js'
import {makeChalk} from '../src/cli/style.js'
import {
  PLAN_FORMATS,
  readPlanFile,
  renderPlan,
  renderTextLines,
  type PlanFormat,
  type PlanSummary,
} from '../src/index.js'

export interface ShowResult {
  path: string
  digest: string
  summary: PlanSummary
  format?: PlanFormat
  out?: string
}

export default class Show extends BaseCommand {
  static override summary =
    'Render a saved plan: terminal diff, Markdown PR comment, JSON or an HTML report page.'
  static override description =
    'Refuses a plan whose content no longer matches its digest (exit 6). The text diff lists at most 20 operations per kind and new unit unless --full; Markdown stays under 65,000 characters; HTML is one self-contained page.'
  static override examples = [
    '<%= config.bin %> show plan.json',
    '<%= config.bin %> show plan.json --format markdown > comment.md',
    '<%= config.bin %> show plan.json --format html --out plan.html',
  ]
  static override formatGoesToOut = true
  static override args = {
    plan: Args.string({description: 'plan file (from sapxep plan --out)', required: true}),
  }
  static override flags = {
    format: Flags.string({
      char: 'f',
      description: 'output format',
      options: [...PLAN_FORMATS],
      default: 'text',
    }),
    out: Flags.string({char: 'o', description: 'write to this file instead of stdout'}),
    full: Flags.boolean({description: 'text: list every operation, not at most 20 per kind and unit'}),
  }

  async run(): Promise<ShowResult> {
    const {args, flags} = await this.parse(Show)
    const format = flags.format as PlanFormat
    const plan = await readPlanFile(args.plan)
    const result: ShowResult = {path: args.plan, digest: plan.digest, summary: plan.summary}
    if (flags.out) {
      const chalk = makeChalk({noColor: true})
      await fs.promises.writeFile(
        flags.out,
        renderPlan(plan, format, {chalk, full: flags.full, file: args.plan}),
      )
      this.note(`Wrote ${format} of ${args.plan} to ${flags.out}`)
      return {...result, format, out: flags.out}
    }
    if (this.jsonEnabled()) return result
    const chalk = this.chalk(flags['no-color'])
    const stdout = new StdoutWriter()
    if (format === 'text') {
      // Streamed: a --full national plan is about 100 MB of text.
      let buf = ''
      for (const line of renderTextLines(plan, {chalk, full: flags.full, file: args.plan})) {
        if (stdout.readerGone) break
        buf += line + '\n'
        if (buf.length > 1 << 16) {
          await stdout.write(buf)
          buf = ''
        }
      }
      await stdout.write(buf)
    } else {
      await stdout.write(renderPlan(plan, format, {chalk, file: args.plan}))
    }
    return result
  }
}
