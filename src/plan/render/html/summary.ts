import type {OpKind, PlanSummary, SignedPlan} from '../../types.js'
import {KIND_CLASS, type PlanFacts, accountColumns, counted, num, signOf, summaryKinds} from '../common.js'
import {escapeHtml} from './escape.js'

/** The summary section, always complete: cards, the count tables and the warnings. One string a line group. */
export function summarySection(plan: SignedPlan, facts: PlanFacts): string[] {
  const total = facts.operations
  const k = facts.counts
  const s = plan.summary
  const cards = `<section id="summary">
<h2>Summary</h2>
<div class="cards">
<div class="card"><b>${num(total)}</b><span>operations</span></div>
<div class="card create"><b>${num(k.create)}</b><span>+ create</span></div>
<div class="card change"><b>${num(k.change)}</b><span>~ change</span></div>
<div class="card remove"><b>${num(k.remove)}</b><span>− disable or retire</span></div>
<div class="card"><b>${num(facts.units)}</b><span>new units</span></div>
</div>`
  return [
    cards,
    ...(total === 0 ? ['<p class="lead">No changes: the registry already matches the mapping.</p>'] : []),
    ...(s?.units
      ? [
          `<p>Units: ${num(s.units.created)} created · ${num(s.units.renamed)} renamed · ${num(s.units.retyped)} retyped · ${num(s.units.reparented)} re-parented · ${num(s.units.retired)} retired</p>`,
        ]
      : []),
    '<div class="tables">',
    ...(total > 0 ? kindsTable(plan, total) : []),
    ...accountsTable(s),
    ...rowsTable(s),
    '</div>',
    ...warningsList(plan.warnings ?? []),
    '</section>',
  ]
}

function kindsTable(plan: SignedPlan, total: number): string[] {
  const s = plan.summary
  return [
    '<table class="counts"><caption>Operations by kind</caption><thead><tr><th></th><th>Kind</th><th>Table</th><th class="n">Count</th></tr></thead><tbody>',
    ...summaryKinds(plan).map(
      (kind) =>
        `<tr><td class="sign ${KIND_CLASS[kind]}">${signOf(kind)}</td><td>${escapeHtml(kind)}</td><td class="muted">${escapeHtml(tableOf(kind))}</td><td class="n">${num(s.byKind[kind] ?? 0)}</td></tr>`,
    ),
    `</tbody><tfoot><tr><td></td><th>Total</th><td></td><th class="n">${num(total)}</th></tr></tfoot></table>`,
  ]
}

function accountsTable(s: PlanSummary | undefined): string[] {
  const {systems, kinds} = accountColumns(s)
  if (!s || systems.length === 0) return []
  return [
    `<table class="counts"><caption>Accounts by system</caption><thead><tr><th>System</th>${kinds
      .map(
        (x) =>
          `<th class="n ${KIND_CLASS[x] ?? ''}">${signOf(x)} ${escapeHtml(x.replace(/^account\./, ''))}</th>`,
      )
      .join('')}</tr></thead><tbody>`,
    ...systems.map(
      (sys) =>
        `<tr><td>${escapeHtml(sys)}</td>${kinds.map((x) => `<td class="n">${num(s.accountsBySystem[sys][x] ?? 0)}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
  ]
}

function rowsTable(s: PlanSummary | undefined): string[] {
  const tables = Object.keys(s?.rowsByTable ?? {}).sort()
  if (!s || tables.length === 0) return []
  return [
    '<table class="counts"><caption>Rows by table</caption><thead><tr><th>Table</th><th class="n">Rows</th></tr></thead><tbody>',
    ...tables.map((t) => `<tr><td>${escapeHtml(t)}</td><td class="n">${num(s.rowsByTable[t])}</td></tr>`),
    '</tbody></table>',
  ]
}

function warningsList(warnings: string[]): string[] {
  if (warnings.length === 0) return []
  return [
    `<details class="warnings"${warnings.length <= 10 ? ' open' : ''}><summary>${counted(warnings.length, 'warning')}</summary><ul>`,
    ...warnings.map((w) => `<li>${escapeHtml(w)}</li>`),
    '</ul></details>',
  ]
}

function tableOf(kind: OpKind): string {
  const t: Record<string, string> = {
    unit: 'units',
    agency: 'agencies',
    code: 'identifier_codes',
    endpoint: 'endpoints',
    account: 'accounts',
    mailbox: 'mailboxes',
    alias: 'mailbox_aliases',
  }
  return t[kind.split('.')[0]] ?? ''
}
