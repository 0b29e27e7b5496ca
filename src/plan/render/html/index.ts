/**
 * The report page: one self-contained HTML file (inline CSS and JS, no network resource at all, locked
 * down by a Content-Security-Policy) with the complete summary, a picture of which old units form each
 * new unit, and change tables filtered in the browser over embedded JSON. A national plan embeds at most
 * `maxRows` operations, shared fairly among units and kinds, and says what it left out.
 */
import type {SignedPlan} from '../../types.js'
import {type PlanFacts, groupByUnit, mappingFiles, num, planFacts} from '../common.js'
import {escapeHtml, scriptJson} from './escape.js'
import {embeddedRows, type EmbeddedRows} from './rows.js'
import {SCRIPT} from './script.js'
import {CSS} from './style.js'
import {summarySection} from './summary.js'
import {unitsSection} from './units.js'

export {escapeHtml, scriptJson} from './escape.js'

export interface HtmlOptions {
  /** The plan's path, for the hints on the page. */
  file?: string
  /** Operations embedded in the page at most (the summary is always complete). */
  maxRows?: number
}

export const HTML_MAX_ROWS = 50_000

export function renderHtml(plan: SignedPlan, opts: HtmlOptions = {}): string {
  const facts = planFacts(plan)
  const groups = groupByUnit(plan)
  const embedded = embeddedRows(groups, plan.operations.length, Math.max(0, opts.maxRows ?? HTML_MAX_ROWS))
  return [
    pageHeader(plan, facts),
    ...summarySection(plan, facts),
    ...unitsSection(plan, groups, embedded.perUnit),
    changesSection(plan, embedded, opts.file ?? 'PLAN'),
  ].join('\n')
}

/** From the doctype to the opening of <main>: the decision, the plan's facts and the navigation. */
function pageHeader(plan: SignedPlan, f: PlanFacts): string {
  const title = `sapxep plan: ${plan.mapping?.decision?.number ?? 'plan'}${plan.province ? ` · ${plan.province.name}` : ''}`
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(f.decision)}${plan.province ? ` <span class="muted">·</span> ${escapeHtml(plan.province.name)} <span class="muted">(${escapeHtml(plan.province.code)})</span>` : ''}</h1>
${f.title ? `<p class="lead">${escapeHtml(f.title)}</p>` : ''}
<dl class="facts">
<dt>Effective</dt><dd>${escapeHtml(f.effective)}${f.unofficial ? ' <strong class="warn">not an official decision</strong>' : ''}</dd>
<dt>Plan digest</dt><dd><code>${escapeHtml(plan.digest)}</code></dd>
<dt>Mapping</dt><dd>${mappingFiles(plan)
    .map(
      (m) =>
        `<code>${escapeHtml(m.file)}</code> <code>${escapeHtml(m.digest)}</code>${m.decision ? ` (${escapeHtml(m.decision)})` : ''}`,
    )
    .join('<br>')}</dd>
<dt>Made by</dt><dd>${escapeHtml(f.tool.name)} ${escapeHtml(f.tool.version)}, format <code>${escapeHtml(plan.format_version)}</code></dd>
<dt>Approvals</dt><dd>${approvalsHtml(plan)}</dd>
</dl>
<nav><a href="#summary">Summary</a> · <a href="#units">New units</a> · <a href="#changes">Changes</a></nav>
</header>
<main>`
}

function approvalsHtml(plan: SignedPlan): string {
  const a = plan.approvals ?? []
  if (a.length === 0) return 'none'
  return (
    a
      .map(
        (x) =>
          `${escapeHtml(x.signer ?? 'unnamed')} <code title="${escapeHtml(x.key)}">${escapeHtml(x.key.slice(0, 23))}…</code> ${escapeHtml(x.signed_at)}`,
      )
      .join('; ') +
    ' <span class="muted">(not verified here: <code>apply --require-approvals</code> checks signatures against trusted keys)</span>'
  )
}

/** The change tables (filled by the script from the embedded rows), then the end of the page. */
function changesSection(plan: SignedPlan, embedded: EmbeddedRows, file: string): string {
  const {data, quota} = embedded
  const omitted = plan.operations.length - data.rows.length
  return `<section id="changes">
<h2>Changes</h2>
${
  omitted > 0
    ? `<p class="notice" id="omitted">This page embeds <b>${num(data.rows.length)}</b> of <b>${num(plan.operations.length)}</b> operations (at most ${num(quota)} per unit and kind) so that it stays loadable; <b>${num(omitted)}</b> are left out. The summary above is complete. Every operation is in the plan file: <code>sapxep show ${escapeHtml(file)} --full</code> or <code>--format json</code>.</p>`
    : ''
}
<form class="filters" id="filters" onsubmit="return false">
<label>Filter <input type="search" id="filter" placeholder="code, name, username, address… (unit:13669 for one unit)" autocomplete="off" size="48"></label>
<label>Kind <select id="kind"><option value="">all kinds</option></select></label>
<label>System <select id="system"><option value="">all systems</option></select></label>
<button type="button" id="clear">Clear</button>
</form>
<p id="status" class="muted" aria-live="polite"></p>
<noscript><p class="notice">The change tables need JavaScript; the summary and unit picture above do not.</p></noscript>
<table id="ops"><thead><tr><th></th><th>Kind</th><th>New unit</th><th>Key</th><th>Before → after</th><th>Note</th></tr></thead><tbody></tbody></table>
<p><button type="button" id="more" hidden>Show more</button></p>
</section>
</main>
<footer class="muted">Made by sapxep from plan <code>${escapeHtml(plan.digest)}</code>. This page loads nothing from the network.</footer>
<script type="application/json" id="plan-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`
}
