import fs from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {RegistryCommand, type Outcome} from '../src/cli/base-command.js'
import {reportLangFlag} from '../src/cli/flags.js'
import {printPlan} from '../src/cli/plan-output.js'
import {withProgress} from '../src/cli/progress.js'
import {nextAfterPlan} from '../src/cli/render/next.js'
import {renderPlanSaved} from '../src/cli/render/plan.js'
import {ExitCode} from '../src/errors.js'
import type {Lang} from '../src/export/table.js'
import {checkOutputFile} from '../src/output.js'
import {writePlanFile} from '../src/plan/file.js'
import {planFromFiles} from '../src/plan/from-files.js'
import {PLAN_FORMATS, type PlanFormat} from '../src/plan/render/index.js'
import type {PlanSummary} from '../src/plan/types.js'

export interface PlanOutput {
  digest: string
  out: string | null
  summary: PlanSummary
  warnings: string[]
}

export default class Plan extends RegistryCommand {
  static override summary = 'Compute the migration plan a mapping implies for the registry.'
  static override description = `Reads the registry once, computes every change in pure code, and prints it (a diff by default). With --out the plan is saved as canonical JSON with a sha256 digest: review it with \`sapxep show\`, sign it with \`sapxep plan approve\`, carry it out with \`sapxep apply\`. The same mapping and registry always give a byte-identical plan.`
  static override examples = [
    '<%= config.bin %> plan mappings/2025/37-ninh-binh.yaml --out ninh-binh.plan.json',
    '<%= config.bin %> plan mappings/2025 --format markdown --out national.plan.json > plan.md',
    '<%= config.bin %> plan mappings/2025/37-ninh-binh.yaml --detailed-exitcode --json',
  ]
  static override strict = false
  static override formatIsOutput = true
  static override args = {
    mapping: Args.string({description: 'mapping file(s) or directories', required: true}),
  }
  static override flags = {
    out: Flags.string({char: 'o', description: 'save the plan file here (JSON; what apply takes)'}),
    format: Flags.string({
      char: 'f',
      options: [...PLAN_FORMATS],
      default: 'text',
      description: 'how to print the plan',
    }),
    'detailed-exitcode': Flags.boolean({
      description: 'exit 0 when there is nothing to change, 2 when there are changes',
    }),
    lang: reportLangFlag,
    full: Flags.boolean({
      description:
        'text: every operation (on a terminal the text is one line per new unit; piped, at most 20 per kind and unit)',
    }),
    'ignore-expect': Flags.boolean({
      description:
        "plan even when the mapping's expect counts do not hold for this registry (reported as warnings)",
    }),
  }

  static override outcome(result: PlanOutput, flags: {'detailed-exitcode'?: boolean}): Outcome {
    return {
      exit: flags['detailed-exitcode'] && result.summary.operations > 0 ? ExitCode.changes : ExitCode.ok,
    }
  }

  async run(): Promise<PlanOutput> {
    const {argv, flags} = await this.parse(Plan)
    // Before planning (seconds to minutes): a bad --out is said at once.
    if (flags.out) checkOutputFile(flags.out)
    const plan = await this.withRegistry(flags, ({db}) =>
      withProgress(`Planning ${(argv as string[]).join(', ')}`, {json: this.jsonEnabled()}, () =>
        planFromFiles(db, argv as string[], {ignoreExpect: flags['ignore-expect']}),
      ),
    )
    if (flags.out) await writePlanFile(flags.out, plan)
    if (!this.jsonEnabled()) {
      // The text diff lists the warnings itself; other formats leave them to stderr.
      if (flags.format !== 'text') for (const w of plan.warnings) this.note(`warning: ${w}`)
      await printPlan(plan, flags.format as PlanFormat, {
        chalk: this.chalk(flags['no-color']),
        full: flags.full,
        file: flags.out,
        lang: flags.lang as Lang,
      })
      if (flags.out) {
        this.note(renderPlanSaved({out: flags.out, digest: plan.digest, bytes: fs.statSync(flags.out).size}))
        this.note(nextAfterPlan(flags.out))
      }
    }
    return {digest: plan.digest, out: flags.out ?? null, summary: plan.summary, warnings: plan.warnings}
  }
}
