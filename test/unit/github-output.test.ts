import {describe, expect, it} from 'vitest'
import type {Finding, ValidationReport} from '../../src/mapping/findings.js'
import {renderReportGithub, renderReportStepSummary} from '../../src/mapping/render.js'

const finding = (i: number, rule: Finding['rule'], message: string): Finding => ({
  file: 'mappings/2025/37-ninh-binh.yaml',
  line: 10 + i,
  column: 7,
  path: `units[${i}].code`,
  rule,
  message,
})

/** 129 findings, as a bad conversion-table import gives: 19 errors, 110 warnings. */
const report: ValidationReport = {
  valid: false,
  errors: Array.from({length: 19}, (_, i) => finding(i, 'code-format', `code "${1000 + i}" is not 5 digits`)),
  warnings: Array.from({length: 110}, (_, i) => finding(100 + i, 'schema', `name | with a pipe <b>${i}</b>`)),
}

describe('GitHub Actions output for 129 findings', () => {
  const out = renderReportGithub(report)
  const lines = out.split('\n')

  it('annotates the first 10 of each type, the most GitHub shows', () => {
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10)
    expect(lines.filter((l) => l.startsWith('::warning '))).toHaveLength(10)
    expect(lines[0]).toBe(
      '::error file=mappings/2025/37-ninh-binh.yaml,line=10,col=7,title=sapxep code-format::code "1000" is not 5 digits (units[0].code)',
    )
  })

  it('counts the rest in a notice and lists them in a collapsed log group', () => {
    expect(lines).toContain(
      "::notice title=sapxep mapping validate::9 more errors and 100 more warnings than GitHub shows as annotations (10 of each type): they are listed in this step's log and in its summary.",
    )
    const group = lines.slice(
      lines.indexOf('::group::Findings beyond the annotations') + 1,
      lines.indexOf('::endgroup::'),
    )
    expect(group).toHaveLength(109)
    expect(group[0]).toBe(
      'mappings/2025/37-ninh-binh.yaml:20:7: error [code-format] code "1010" is not 5 digits (units[10].code)',
    )
  })

  it('writes a step summary with the verdict, the counts and every finding', () => {
    const md = renderReportStepSummary(report)
    expect(md.split('\n')[0]).toBe('### sapxep mapping validate: ❌ invalid — 19 errors, 110 warnings')
    expect(md.match(/^\| (error|warning) \|/gm)).toHaveLength(129)
    expect(md).toContain('name &#124; with a pipe &#60;b&#62;0&#60;/b&#62;')
  })

  it('is unchanged for a few findings', () => {
    const few = {...report, errors: report.errors.slice(0, 2), warnings: report.warnings.slice(0, 3)}
    const r = renderReportGithub(few).split('\n')
    expect(r).toHaveLength(5)
    expect(r.some((l) => l.startsWith('::notice'))).toBe(false)
  })
})
