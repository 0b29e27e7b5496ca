import fs from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {RegistryCommand, type Outcome} from '../../src/cli/base-command.js'
import {withProgress} from '../../src/cli/progress.js'
import {nextAfterValidate} from '../../src/cli/render/next.js'
import {ExitCode} from '../../src/errors.js'
import type {ValidationReport} from '../../src/mapping/findings.js'
import {renderReport, renderReportStepSummary, type ReportFormat} from '../../src/mapping/render.js'
import {validateMappings} from '../../src/mapping/validate.js'

export default class MappingValidate extends RegistryCommand {
  static override summary =
    'Validate mapping files: every problem at once, at file:line:column, with a rule id.'
  static override description =
    'Folders are searched for .yaml, .yml and .json mapping files and validated as one set, in order of effective date. ' +
    'Exit 0 when valid (warnings allowed unless --strict), 1 otherwise. The rules are listed in mappings/README.md.'
  static override examples = [
    '<%= config.bin %> mapping validate mappings/',
    '<%= config.bin %> mapping validate mappings/2025/37-ninh-binh.yaml --registry',
    '<%= config.bin %> mapping validate mappings/ --format github',
  ]
  static override strict = false
  static override formatIsOutput = true
  static override args = {paths: Args.string({description: 'mapping files or folders', required: true})}
  static override flags = {
    registry: Flags.boolean({
      description: 'Also check codes against the registry (exist, active, free, every unit covered).',
    }),
    strict: Flags.boolean({description: 'Warnings make the mappings invalid too.'}),
    format: Flags.string({
      description: 'text for people, json for tools, github for GitHub Actions annotations.',
      options: ['text', 'json', 'github'],
      default: 'text',
    }),
  }

  /** Invalid mappings are a result, not a crash: the report is printed, then the exit code says it. */
  static override outcome(report: ValidationReport): Outcome {
    return {exit: report.valid ? ExitCode.ok : ExitCode.invalid}
  }

  async run(): Promise<ValidationReport> {
    const {argv, flags} = await this.parse(MappingValidate)
    const paths = argv as string[]
    const report = flags.registry
      ? await this.withRegistry(flags, (registry) =>
          withProgress('Validating against the registry', {json: this.jsonEnabled()}, () =>
            validateMappings(paths, {registry, strict: flags.strict}),
          ),
        )
      : await validateMappings(paths, {strict: flags.strict})
    if (!this.jsonEnabled())
      this.log(renderReport(report, flags.format as ReportFormat, this.chalk(flags['no-color'])))
    if (report.valid && flags.format === 'text') this.note(nextAfterValidate(paths, flags.registry))
    // In a GitHub Actions step, the findings also go to the run's summary page.
    const stepSummary = process.env.GITHUB_STEP_SUMMARY
    if (flags.format === 'github' && stepSummary)
      await fs.promises.appendFile(stepSummary, renderReportStepSummary(report))
    return report
  }
}
