import type {OpKind, PlanSummary, SignedPlan} from '../../types.js'
import {KIND_CLASS, type PlanFacts, accountColumns, signOf, summaryKinds} from '../common.js'
import {kindName, systemName, type Lang} from '../describe.js'
import {escapeHtml} from './escape.js'
import type {PageLabels} from './labels.js'

/** The summary section, always complete: cards, the count tables and the warnings. One string a line group. */
export function summarySection(plan: SignedPlan, facts: PlanFacts, lang: Lang, l: PageLabels): string[] {
  const total = facts.operations
  const k = facts.counts
  const s = plan.summary
  const cards = `<section id="summary">
<h2>${l.summary}</h2>
<div class="cards">
<div class="card"><b>${l.num(total)}</b><span>${l.operations}</span></div>
<div class="card create"><b>${l.num(k.create)}</b><span>${l.create}</span></div>
<div class="card change"><b>${l.num(k.change)}</b><span>${l.change}</span></div>
<div class="card remove"><b>${l.num(k.remove)}</b><span>${l.remove}</span></div>
<div class="card"><b>${l.num(facts.units)}</b><span>${l.newUnits}</span></div>
</div>`
  const u = s?.units
  return [
    cards,
    ...(total === 0 ? [`<p class="lead">${l.noChanges}</p>`] : []),
    ...(u
      ? [
          `<p>${l.unitsLine(l.num(u.created), l.num(u.renamed), l.num(u.retyped), l.num(u.reparented), l.num(u.retired))}</p>`,
        ]
      : []),
    '<div class="tables">',
    ...(total > 0 ? kindsTable(plan, total, lang, l) : []),
    ...accountsTable(s, lang, l),
    ...rowsTable(s, l),
    '</div>',
    ...warningsList(plan.warnings ?? [], l),
    '</section>',
  ]
}

/** Each kind by its name, with the kind as the plan file and the CLI write it. */
function kindsTable(plan: SignedPlan, total: number, lang: Lang, l: PageLabels): string[] {
  const s = plan.summary
  return [
    `<table class="counts"><caption>${l.byKind}</caption><thead><tr><th></th><th>${l.kind}</th><th>${l.table}</th><th class="n">${l.count}</th></tr></thead><tbody>`,
    ...summaryKinds(plan).map(
      (kind) =>
        `<tr><td class="sign ${KIND_CLASS[kind]}">${signOf(kind)}</td><td>${escapeHtml(kindName(kind, lang))} <span class="code">${escapeHtml(kind)}</span></td><td class="muted">${escapeHtml(tableOf(kind))}</td><td class="n">${l.num(s.byKind[kind] ?? 0)}</td></tr>`,
    ),
    `</tbody><tfoot><tr><td></td><th>${l.total}</th><td></td><th class="n">${l.num(total)}</th></tr></tfoot></table>`,
  ]
}

function accountsTable(s: PlanSummary | undefined, lang: Lang, l: PageLabels): string[] {
  const {systems, kinds} = accountColumns(s)
  if (!s || systems.length === 0) return []
  return [
    `<table class="counts"><caption>${l.bySystem}</caption><thead><tr><th>${l.system}</th>${kinds
      .map(
        (x) =>
          `<th class="n ${KIND_CLASS[x] ?? ''}" title="${escapeHtml(x)}">${signOf(x)} ${escapeHtml(kindName(x, lang))}</th>`,
      )
      .join('')}</tr></thead><tbody>`,
    ...systems.map(
      (sys) =>
        `<tr><td>${escapeHtml(systemName(sys, lang))}</td>${kinds.map((x) => `<td class="n">${l.num(s.accountsBySystem[sys][x] ?? 0)}</td>`).join('')}</tr>`,
    ),
    '</tbody></table>',
  ]
}

function rowsTable(s: PlanSummary | undefined, l: PageLabels): string[] {
  const tables = Object.keys(s?.rowsByTable ?? {}).sort()
  if (!s || tables.length === 0) return []
  return [
    `<table class="counts"><caption>${l.byTable}</caption><thead><tr><th>${l.table}</th><th class="n">${l.rows}</th></tr></thead><tbody>`,
    ...tables.map((t) => `<tr><td>${escapeHtml(t)}</td><td class="n">${l.num(s.rowsByTable[t])}</td></tr>`),
    '</tbody></table>',
  ]
}

function warningsList(warnings: string[], l: PageLabels): string[] {
  if (warnings.length === 0) return []
  return [
    `<details class="warnings"${warnings.length <= 10 ? ' open' : ''}><summary>${l.warnings(l.num(warnings.length), warnings.length === 1)}</summary><ul>`,
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
