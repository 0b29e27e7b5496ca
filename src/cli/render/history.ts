import type {RunRecord} from '../../registry/runs.js'
import {count, total} from './format.js'

/** `sapxep history`: one line per run — who, when, where, which plan, how much. */
export function renderHistory(runs: RunRecord[]): string {
  if (runs.length === 0) return 'No runs yet.'
  return runs
    .map(
      (r) =>
        `run ${r.id}  ${r.status === 'applied' ? 'applied    ' : 'rolled back'}  ${r.started_at}  ${r.os_user}@${r.host}  ` +
        `${r.mapping}  ${count(r.operations)} ops, ${count(total(r.rows))} rows  plan ${r.plan_digest.slice(0, 19)}…` +
        (r.rolled_back_at ? `  (rolled back ${r.rolled_back_at} by ${r.rolled_back_by})` : ''),
    )
    .join('\n')
}
