import fs from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../src/cli/base-command.js'
import {registryFlags} from '../src/cli/flags.js'
import {withRegistry} from '../src/cli/open.js'
import {ExitCode} from '../src/errors.js'
import {writePlanFile} from '../src/plan/file.js'
import {planFromFiles} from '../src/plan/from-files.js'
import {PLAN_FORMATS, renderPlan} from '../src/plan/render/index.js'
import type {PlanSummary} from '../src/plan/types.js'

export default class Plan extends BaseCommand {
  static override summary = 'Compute the migration plan a mapping implies for the registry.'
  static override description = `Reads the registry once, computes every change in pure code, and prints it (a diff by default). With --out the plan is saved as canonical JSON with a sha256 digest: review it with \`sapxep show\`, sign it with \`sapxep plan approve\`, carry it out with \`sapxep apply\`. The same mapping and registry always give a byte-identical plan.`
  static override examples = [
    '<%= config.bin %> plan mappings/2025/37-ninh-binh.yaml --out ninh-binh.plan.json',
    '<%= config.bin %> plan mappings/2025 --format markdown --out national.plan.json > plan.md',
    '<%= config.bin %> plan mappings/2025/37-ninh-binh.yaml --detailed-exitcode --json',
  ]
  static override strict = false
  static override args = {
    mapping: Args.string({description: 'mapping file(s) or directories', required: true}),
  }
  static override flags = {
    ...registryFlags,
    out: Flags.string({char: 'o', description: 'save the plan file here (JSON; what apply takes)'}),
    format: Flags.string({options: [...PLAN_FORMATS], default: 'text', description: 'how to print the plan'}),
    'detailed-exitcode': Flags.boolean({
      description: 'exit 0 when there is nothing to change, 2 when there are changes',
    }),
    'ignore-expect': Flags.boolean({
      description:
        "plan even when the mapping's expect counts do not hold for this registry (reported as warnings)",
    }),
  }

  async run(): Promise<{digest: string; out: string | null; summary: PlanSummary; warnings: string[]}> {
    const {argv, flags} = await this.parse(Plan)
    const plan = await withRegistry(flags, ({db}) =>
      planFromFiles(db, argv as string[], {ignoreExpect: flags['ignore-expect']}),
    )
    if (flags.out) await writePlanFile(flags.out, plan)
    if (!this.jsonEnabled()) {
      for (const w of plan.warnings) process.stderr.write(`warning: ${w}\n`)
      process.stdout.write(
        renderPlan(plan, flags.format as (typeof PLAN_FORMATS)[number], {
          chalk: this.chalk(flags['no-color']),
          file: flags.out,
        }),
      )
      if (flags.out)
        process.stderr.write(
          `Saved plan ${flags.out} (${plan.digest}, ${fs.statSync(flags.out).size.toLocaleString('en-US')} bytes)\n`,
        )
    }
    if (flags['detailed-exitcode'] && plan.operations.length > 0) process.exitCode = ExitCode.changes
    return {digest: plan.digest, out: flags.out ?? null, summary: plan.summary, warnings: plan.warnings}
  }
}
