import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base-command.js'
import {reportLangFlag} from '../src/cli/flags.js'
import {printPlan} from '../src/cli/plan-output.js'
import {makeChalk} from '../src/cli/style.js'
import type {Lang} from '../src/export/table.js'
import {checkOutputFile, writeOutputText} from '../src/output.js'
import {readPlanFile} from '../src/plan/file.js'
import {PLAN_FORMATS, renderPlan, type PlanFormat} from '../src/plan/render/index.js'
import type {PlanSummary} from '../src/plan/types.js'

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
    'Refuses a plan whose content no longer matches its digest (exit 6). Text on a terminal is one line per new unit, piped it lists at most 20 operations per kind and new unit, and --full lists every one (as `sapxep plan` does); Markdown stays under 65,000 characters; HTML is one self-contained page.'
  static override examples = [
    '<%= config.bin %> show plan.json',
    '<%= config.bin %> show plan.json --format markdown > comment.md',
    '<%= config.bin %> show plan.json --format html --out plan.html',
    '<%= config.bin %> show plan.json --format html --lang en --out plan.en.html',
  ]
  static override formatGoesToOut = true
  static override formatIsOutput = true
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
    lang: reportLangFlag,
    full: Flags.boolean({
      description:
        'text: every operation (on a terminal the text is one line per new unit; piped, at most 20 per kind and unit)',
    }),
  }

  async run(): Promise<ShowResult> {
    const {args, flags} = await this.parse(Show)
    const format = flags.format as PlanFormat
    if (flags.out) checkOutputFile(flags.out)
    const plan = await readPlanFile(args.plan)
    const result: ShowResult = {path: args.plan, digest: plan.digest, summary: plan.summary}
    if (flags.out) {
      const chalk = makeChalk({noColor: true})
      await writeOutputText(
        flags.out,
        renderPlan(plan, format, {chalk, full: flags.full, file: args.plan, lang: flags.lang as Lang}),
      )
      this.note(`Wrote ${format} of ${args.plan} to ${flags.out}`)
      return {...result, format, out: flags.out}
    }
    if (this.jsonEnabled()) return result
    await printPlan(plan, format, {
      chalk: this.chalk(flags['no-color']),
      full: flags.full,
      file: args.plan,
      lang: flags.lang as Lang,
    })
    return result
  }
}
