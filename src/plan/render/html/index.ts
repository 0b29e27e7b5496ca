/**
 * The report page for the people who approve a plan: one self-contained HTML file (inline CSS and JS, no
 * network resource at all, locked down by a Content-Security-Policy), in Vietnamese by default, with the
 * complete summary, a picture of which old units form each new unit, and every change described in words
 * (its raw values one click away) in tables filtered in the browser over embedded JSON. A national plan
 * embeds at most `maxRows` operations, shared fairly among units and kinds, and says what it left out.
 */
import type {SignedPlan} from '../../types.js'
import {type PlanFacts, groupByUnit, mappingFiles, planFacts} from '../common.js'
import {describeOperation, kindName, planNames, type Lang} from '../describe.js'
import {escapeHtml, scriptJson} from './escape.js'
import {PAGE_LABELS, type PageLabels} from './labels.js'
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
  /** The page's language: Vietnamese (default) or English. */
  lang?: Lang
}

export const HTML_MAX_ROWS = 50_000

/** Above this many mapping files their digests start collapsed (a national plan has 34). */
const MAPPINGS_OPEN = 3

export function renderHtml(plan: SignedPlan, opts: HtmlOptions = {}): string {
  const lang = opts.lang ?? 'vi'
  const l = PAGE_LABELS[lang]
  const facts = planFacts(plan)
  const groups = groupByUnit(plan)
  const names = planNames(plan)
  const embedded = embeddedRows(groups, plan.operations.length, Math.max(0, opts.maxRows ?? HTML_MAX_ROWS), {
    kindName: (k) => kindName(k, lang),
    describe: (op, ref) => describeOperation(op, names, lang, ref),
    sep: l.num(1000).charAt(1),
    t: l.script,
    notInUnitList: l.notInUnitList,
  })
  return [
    pageHeader(plan, facts, lang, l),
    ...summarySection(plan, facts, lang, l),
    ...unitsSection(plan, groups, embedded.perUnit, l),
    changesSection(plan, embedded, opts.file ?? 'PLAN', l),
  ].join('\n')
}

/** From the doctype to the opening of <main>: the decision, the plan's facts and the navigation. */
function pageHeader(plan: SignedPlan, f: PlanFacts, lang: Lang, l: PageLabels): string {
  const title = `${l.title}: ${plan.mapping?.decision?.number ?? 'plan'}${plan.province ? ` · ${plan.province.name}` : ''}`
  const files = mappingFiles(plan).map(
    (m) =>
      `<code>${escapeHtml(m.file)}</code> <code>${escapeHtml(m.digest)}</code>${m.decision ? ` (${escapeHtml(m.decision)})` : ''}`,
  )
  return `<!doctype html>
<html lang="${lang}">
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
<h1>${escapeHtml(plan.mapping?.decision?.number ? f.decision : l.noDecision)}${plan.province ? ` <span class="muted">·</span> ${escapeHtml(plan.province.name)} <span class="muted">(${escapeHtml(plan.province.code)})</span>` : ''}</h1>
${f.title ? `<p class="lead">${escapeHtml(f.title)}</p>` : ''}
<dl class="facts">
<dt>${l.effective}</dt><dd>${escapeHtml(lang === 'vi' ? viDate(f.effective) : f.effective)}${f.unofficial ? ` <strong class="warn">${l.notOfficial}</strong>` : ''}</dd>
<dt>${l.planDigest}</dt><dd><code>${escapeHtml(plan.digest)}</code></dd>
<dt>${l.mapping}</dt><dd>${
    files.length > MAPPINGS_OPEN
      ? `<details id="mappings"><summary>${l.mappingFiles(l.num(files.length))}</summary>${files.join('<br>')}</details>`
      : files.join('<br>')
  }</dd>
<dt>${l.madeBy}</dt><dd>${escapeHtml(f.tool.name)} ${escapeHtml(f.tool.version)}, ${l.format} <code>${escapeHtml(plan.format_version)}</code></dd>
<dt>${l.approvals}</dt><dd>${approvalsHtml(plan, l)}</dd>
</dl>
<nav><a href="#summary">${l.navSummary}</a> · <a href="#units">${l.navUnits}</a> · <a href="#changes">${l.navChanges}</a></nav>
</header>
<main>`
}

const viDate = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1')

function approvalsHtml(plan: SignedPlan, l: PageLabels): string {
  const a = plan.approvals ?? []
  if (a.length === 0) return l.noApprovals
  return (
    a
      .map(
        (x) =>
          `${escapeHtml(x.signer ?? l.unnamed)} <code title="${escapeHtml(x.key)}">${escapeHtml(x.key.slice(0, 23))}…</code> ${escapeHtml(x.signed_at)}`,
      )
      .join('; ') + ` <span class="muted">(${l.notVerified})</span>`
  )
}

/** The change tables (filled by the script from the embedded rows), then the end of the page. */
function changesSection(plan: SignedPlan, embedded: EmbeddedRows, file: string, l: PageLabels): string {
  const {data, quota} = embedded
  const omitted = plan.operations.length - data.rows.length
  return `<section id="changes">
<h2>${l.changesHeading}</h2>
${
  omitted > 0
    ? `<p class="notice" id="omitted">${l.omitted(
        l.num(data.rows.length),
        l.num(plan.operations.length),
        l.num(quota),
        l.num(omitted),
        escapeHtml(file),
      )}</p>`
    : ''
}
<form class="filters" id="filters" onsubmit="return false">
<label>${l.filter} <input type="search" id="filter" placeholder="${escapeHtml(l.filterHint)}" autocomplete="off" size="48"></label>
<label>${l.kind} <select id="kind"><option value="">${l.allKinds}</option></select></label>
<label>${l.system} <select id="system"><option value="">${l.allSystems}</option></select></label>
<button type="button" id="clear">${l.clear}</button>
</form>
<p id="status" class="muted" aria-live="polite"></p>
<noscript><p class="notice">${l.noscript}</p></noscript>
<table id="ops"><thead><tr><th></th><th>${l.kind}</th><th>${l.colUnit}</th><th>${l.colChange}</th></tr></thead><tbody></tbody></table>
<p><button type="button" id="more" hidden></button></p>
</section>
</main>
<footer class="muted">${l.footer(escapeHtml(plan.digest))}</footer>
<script type="application/json" id="plan-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`
}
