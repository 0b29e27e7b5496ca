import type {ChalkInstance} from 'chalk'
import type {VerifyReport} from '../../apply/verify.js'
import {count} from './format.js'

/** `sapxep verify`: each check with ✓ or ✗, the examples of its violations, and the verdict when all pass. */
export function renderVerify(report: VerifyReport, chalk: ChalkInstance): string {
  const lines: string[] = []
  for (const check of report.checks) {
    lines.push(
      check.ok
        ? `${chalk.green('✓')} ${check.check}`
        : `${chalk.red('✗')} ${check.check}${chalk.red(` — ${count(check.violations)} violation(s)`)}`,
    )
    for (const example of check.examples) lines.push(`    ${example}`)
    if (check.violations > check.examples.length)
      lines.push(`    … and ${count(check.violations - check.examples.length)} more`)
  }
  if (report.ok) lines.push(`${report.subject}: all ${report.checks.length} checks passed`)
  return lines.join('\n')
}
