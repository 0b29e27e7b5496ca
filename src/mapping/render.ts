import {Chalk, type ChalkInstance} from 'chalk'
import type {Finding, ValidationReport} from './findings.js'

export type ReportFormat = 'text' | 'json' | 'github'

/** `file:line:col: error [rule] message (path)`, one line each (editors make the place clickable), then a summary. */
export function renderReportText(report: ValidationReport, chalk?: ChalkInstance): string {
  const c = chalk ?? identityChalk
  const line = (f: Finding, severity: 'error' | 'warning') =>
    `${c.bold(`${f.file}:${f.line}:${f.column}`)}: ${severity === 'error' ? c.red('error') : c.yellow('warning')} ${c.dim(`[${f.rule}]`)} ${f.message}` +
    (f.path ? c.dim(` (${f.path})`) : '')
  const all = [
    ...report.errors.map((f) => ({f, s: 'error' as const})),
    ...report.warnings.map((f) => ({f, s: 'warning' as const})),
  ].sort((a, b) =>
    a.f.file < b.f.file ? -1 : a.f.file > b.f.file ? 1 : a.f.line - b.f.line || a.f.column - b.f.column,
  )
  const lines = all.map(({f, s}) => line(f, s))
  lines.push(summary(report, c))
  return lines.join('\n')
}

function summary(report: ValidationReport, c: ChalkInstance): string {
  const n = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`
  if (report.errors.length === 0 && report.warnings.length === 0) return c.green('valid: no problems found')
  const counts = `${n(report.errors.length, 'error')}, ${n(report.warnings.length, 'warning')}`
  return report.valid ? c.green(`valid (${counts})`) : c.red(`invalid: ${counts}`)
}

/** GitHub Actions workflow commands: each finding becomes an annotation on the file and line. */
export function renderReportGithub(report: ValidationReport): string {
  const cmd = (kind: 'error' | 'warning', f: Finding) =>
    `::${kind} file=${prop(f.file)},line=${f.line},col=${f.column},title=${prop(`sapxep ${f.rule}`)}::${data(f.path ? `${f.message} (${f.path})` : f.message)}`
  return [
    ...report.errors.map((f) => cmd('error', f)),
    ...report.warnings.map((f) => cmd('warning', f)),
  ].join('\n')
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts (escapeData / escapeProperty)
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C')

const identityChalk = new Chalk({level: 0})

/** The report in the chosen format (json: the same object `--json` prints). */
export function renderReport(report: ValidationReport, format: ReportFormat, chalk?: ChalkInstance): string {
  if (format === 'json') return JSON.stringify(report, null, 2)
  if (format === 'github') return renderReportGithub(report)
  return renderReportText(report, chalk)
}
