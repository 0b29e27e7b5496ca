import type {ChalkInstance} from 'chalk'
import type {ExportResult} from '../../export/export.js'
import type {CheckResult} from '../../export/manifest.js'
import {count} from './format.js'

const counts = (c: Record<string, number>): string =>
  Object.entries(c)
    .map(([action, n]) => `${action} ${count(n)}`)
    .join(', ') || 'nothing'

/** `sapxep export`: where it went, each system's rows per action, and the files. */
export function renderExport(result: ExportResult, chalk: ChalkInstance): string {
  const m = result.manifest
  const source = m.source.kind === 'run' ? `run ${m.source.run}` : 'plan'
  const lines = [
    `${chalk.bold(`Export of ${source}`)} ${m.source.digest}${m.direction === 'reverse' ? ' (undoing a rolled-back run)' : ''} → ${result.out}`,
  ]
  for (const [system, c] of Object.entries(m.counts)) lines.push(`  ${system.padEnd(11)} ${counts(c)}`)
  lines.push(
    `${count(m.files.length)} files and ${'manifest.json'}; check with: sapxep export --check ${result.out}`,
  )
  return lines.join('\n')
}

/** `sapxep export --check`: ✓ with the file count, or each problem. */
export function renderCheck(result: CheckResult, chalk: ChalkInstance): string {
  if (result.ok)
    return `${chalk.green('✓')} ${result.dir}: ${count(result.files)} files match the manifest; counts agree with the source`
  return [
    `${chalk.red('✗')} ${result.dir}: ${count(result.problems.length)} problem(s)`,
    ...result.problems.map((p) => `    ${p}`),
  ].join('\n')
}
