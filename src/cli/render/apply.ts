import type {ApplyResult} from '../../apply/executor.js'
import type {SignedPlan} from '../../plan/types.js'
import {count} from './format.js'

/** `sapxep apply`: what was written (or, for a dry run, would be), and what to run next. */
export function renderApply(r: ApplyResult): string {
  if (r.status === 'already-applied')
    return `Nothing to do: this plan (${r.digest}) was already applied by run ${r.run}.`
  const lines = [
    r.status === 'dry-run'
      ? `Dry run: ${count(r.operations)} operations would touch these rows (all rolled back):`
      : `Applied as run ${r.run} in ${r.seconds.toFixed(1)} s. Rows written:`,
    ...Object.entries(r.touched).map(([table, n]) => `  ${table.padEnd(17)} ${count(n)}`),
  ]
  if (r.status === 'applied')
    lines.push(`Check it with \`sapxep verify ${r.run}\`; undo it with \`sapxep rollback ${r.run}\`.`)
  return lines.join('\n')
}

/** What apply asks a person to confirm (on stderr, before the question): the plan and its operations by kind. */
export function renderApplyConfirmation(plan: Pick<SignedPlan, 'digest' | 'mapping' | 'summary'>): string {
  const s = plan.summary
  return [
    `Plan ${plan.digest}`,
    `${plan.mapping.decision.number} — ${count(s.operations)} operations:`,
    ...Object.entries(s.byKind).map(([kind, n]) => `  ${kind.padEnd(20)} ${count(n!)}`),
  ].join('\n')
}
