import {Chalk, type ChalkInstance} from 'chalk'
import type {Finding, ValidationReport} from './findings.js'

/** Counts as every command prints them: `1,234`. */
const fmt = (n: number): string => n.toLocaleString('en-US')

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
  const n = (k: number, w: string) => `${fmt(k)} ${w}${k === 1 ? '' : 's'}`
  if (report.errors.length === 0 && report.warnings.length === 0) return c.green('valid: no problems found')
  const counts = `${n(report.errors.length, 'error')}, ${n(report.warnings.length, 'warning')}`
  return report.valid ? c.green(`valid (${counts})`) : c.red(`invalid: ${counts}`)
}

/** GitHub shows at most this many annotations of each type per step; the rest would vanish. */
export const GITHUB_ANNOTATIONS_PER_TYPE = 10

/**
 * GitHub Actions workflow commands: the first findings of each type become annotations on their file
 * and line; the others are printed as log lines, and a notice counts them.
 */
export function renderReportGithub(report: ValidationReport): string {
  const cmd = (kind: 'error' | 'warning', f: Finding) =>
    `::${kind} file=${prop(f.file)},line=${f.line},col=${f.column},title=${prop(`sapxep ${f.rule}`)}::${data(f.path ? `${f.message} (${f.path})` : f.message)}`
  const max = GITHUB_ANNOTATIONS_PER_TYPE
  const lines = [
    ...report.errors.slice(0, max).map((f) => cmd('error', f)),
    ...report.warnings.slice(0, max).map((f) => cmd('warning', f)),
  ]
  const moreErrors = report.errors.slice(max)
  const moreWarnings = report.warnings.slice(max)
  if (moreErrors.length + moreWarnings.length === 0) return lines.join('\n')
  const plain = (severity: string, f: Finding) =>
    `${f.file}:${f.line}:${f.column}: ${severity} [${f.rule}] ${f.message}${f.path ? ` (${f.path})` : ''}`
  const counts = [
    moreErrors.length ? `${fmt(moreErrors.length)} more error${moreErrors.length === 1 ? '' : 's'}` : '',
    moreWarnings.length
      ? `${fmt(moreWarnings.length)} more warning${moreWarnings.length === 1 ? '' : 's'}`
      : '',
  ].filter(Boolean)
  lines.push(
    `::notice title=${prop('sapxep mapping validate')}::${data(
      `${counts.join(' and ')} than GitHub shows as annotations (${max} of each type): they are listed in this step's log` +
        ' and in its summary.',
    )}`,
    '::group::Findings beyond the annotations',
    ...moreErrors.map((f) => plain('error', f)),
    ...moreWarnings.map((f) => plain('warning', f)),
    '::endgroup::',
  )
  return lines.join('\n')
}

/** Rows of the step summary at most: GitHub caps a step summary at 1 MiB. */
const SUMMARY_ROWS = 1000

/** A Markdown step summary (`$GITHUB_STEP_SUMMARY`): the verdict and counts, then every finding. */
export function renderReportStepSummary(report: ValidationReport): string {
  const n = (k: number, w: string) => `${fmt(k)} ${w}${k === 1 ? '' : 's'}`
  const verdict = report.valid ? '✅ valid' : '❌ invalid'
  const lines = [
    `### sapxep mapping validate: ${verdict} — ${n(report.errors.length, 'error')}, ${n(report.warnings.length, 'warning')}`,
    '',
  ]
  const all = [
    ...report.errors.map((f) => ({f, s: 'error'})),
    ...report.warnings.map((f) => ({f, s: 'warning'})),
  ]
  if (all.length === 0) return lines.join('\n') + '\n'
  lines.push('| | File | Line | Rule | Message |', '|---|---|--:|---|---|')
  for (const {f, s} of all.slice(0, SUMMARY_ROWS))
    lines.push(
      `| ${s} | \`${cell(f.file)}\` | ${f.line}:${f.column} | ${cell(f.rule)} | ${cell(f.message)}${f.path ? ` (${cell(f.path)})` : ''} |`,
    )
  if (all.length > SUMMARY_ROWS) lines.push(`| | … and ${fmt(all.length - SUMMARY_ROWS)} more | | | |`)
  return lines.join('\n') + '\n'
}

/** Table cell text: no line breaks, no cell separators, no HTML. */
const cell = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/[|<>`]/g, (ch) => `&#${ch.charCodeAt(0)};`)

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
