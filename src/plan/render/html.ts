/**
 * The report page: one self-contained HTML file (inline CSS and JS, no network resource at all, locked
 * down by a Content-Security-Policy) with the complete summary, a picture of which old units form each
 * new unit, and change tables filtered in the browser over embedded JSON. A national plan embeds at most
 * `maxRows` operations, shared fairly among units and kinds, and says what it left out.
 */
import {OP_KINDS, type OpKind, type SignedPlan} from '../types.js'
import {
  KIND_CLASS,
  classCounts,
  clean,
  fairShares,
  formatChange,
  formatKey,
  groupByUnit,
  mappingFiles,
  kindRank,
  num,
  signOf,
  splitSources,
  summaryKinds,
  systemOf,
  unitChangeSign,
  unitTitle,
} from './common.js'

export interface HtmlOptions {
  /** The plan's path, for the hints on the page. */
  file?: string
  /** Operations embedded in the page at most (the summary is always complete). */
  maxRows?: number
}

export const HTML_MAX_ROWS = 50_000
/** Above this many new units the picture starts collapsed, so the change tables are not 3,000 cards away. */
const UNITS_OPEN = 300

export function escapeHtml(value: unknown): string {
  return clean(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/** JSON that is safe inside a <script> element: no `</script>`, `<!--`, or line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

export function renderHtml(plan: SignedPlan, opts: HtmlOptions = {}): string {
  const maxRows = Math.max(0, opts.maxRows ?? HTML_MAX_ROWS)
  const file = opts.file ?? 'PLAN'
  const groups = groupByUnit(plan)
  const total = plan.summary?.operations ?? plan.operations.length

  // Which operations to embed: the same share of every (unit, kind), as many as the budget allows.
  const sizes: number[] = []
  for (const g of groups) for (const [, ops] of g.byKind) sizes.push(ops.length)
  const shares = fairShares(sizes, maxRows)
  const quota = Math.max(0, ...new Set(shares))
  const kinds: string[] = [...OP_KINDS]
  const kindIndex = new Map(kinds.map((k, i) => [k, i]))
  const units: Array<[string, string]> = []
  const rows: Array<[number, number, string, string, string, string]> = []
  const embeddedPerUnit: number[] = []
  let share = 0
  groups.forEach((g, u) => {
    units.push([clean(g.unit.code), unitTitle(g)])
    let n = 0
    for (const [kind, ops] of g.byKind) {
      if (!kindIndex.has(kind)) kindIndex.set(kind, kinds.push(clean(kind)) - 1)
      const take = shares[share++]
      for (let i = 0; i < take; i++) {
        const op = ops[i]
        rows.push([
          kindIndex.get(kind)!,
          u,
          systemOf(op),
          formatKey(op.key),
          formatChange(op, 80, 400),
          clean(op.note ?? ''),
        ])
      }
      n += take
    }
    embeddedPerUnit.push(n)
  })
  const omitted = plan.operations.length - rows.length
  const data = {
    kinds,
    classes: kinds.map((k) => KIND_CLASS[k as OpKind] ?? 'change'),
    units,
    rows,
    total: plan.operations.length,
  }

  const d = plan.mapping?.decision
  const title = `sapxep plan: ${d?.number ?? 'plan'}${plan.province ? ` · ${plan.province.name}` : ''}`
  const k = classCounts(plan)
  const s = plan.summary

  const parts: string[] = []
  parts.push(`<!doctype html>
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
<h1>${escapeHtml(d?.number ?? '(no decision number)')}${plan.province ? ` <span class="muted">·</span> ${escapeHtml(plan.province.name)} <span class="muted">(${escapeHtml(plan.province.code)})</span>` : ''}</h1>
${d?.title ? `<p class="lead">${escapeHtml(d.title)}</p>` : ''}
<dl class="facts">
<dt>Effective</dt><dd>${escapeHtml(d?.effective ?? '?')}${d && !d.official ? ' <strong class="warn">not an official decision</strong>' : ''}</dd>
<dt>Plan digest</dt><dd><code>${escapeHtml(plan.digest)}</code></dd>
<dt>Mapping</dt><dd>${mappingFiles(plan)
    .map(
      (m) =>
        `<code>${escapeHtml(m.file)}</code> <code>${escapeHtml(m.digest)}</code>${m.decision ? ` (${escapeHtml(m.decision)})` : ''}`,
    )
    .join('<br>')}</dd>
<dt>Made by</dt><dd>${escapeHtml(plan.tool?.name ?? 'sapxep')} ${escapeHtml(plan.tool?.version ?? '?')}, format <code>${escapeHtml(plan.format_version)}</code></dd>
<dt>Approvals</dt><dd>${approvalsHtml(plan)}</dd>
</dl>
<nav><a href="#summary">Summary</a> · <a href="#units">New units</a> · <a href="#changes">Changes</a></nav>
</header>
<main>
<section id="summary">
<h2>Summary</h2>
<div class="cards">
<div class="card"><b>${num(total)}</b><span>operations</span></div>
<div class="card create"><b>${num(k.create)}</b><span>+ create</span></div>
<div class="card change"><b>${num(k.change)}</b><span>~ change</span></div>
<div class="card remove"><b>${num(k.remove)}</b><span>− disable or retire</span></div>
<div class="card"><b>${num(plan.units?.length ?? 0)}</b><span>new units</span></div>
</div>`)
  if (total === 0) parts.push('<p class="lead">No changes: the registry already matches the mapping.</p>')
  if (s?.units)
    parts.push(
      `<p>Units: ${num(s.units.created)} created · ${num(s.units.renamed)} renamed · ${num(s.units.retyped)} retyped · ${num(s.units.reparented)} re-parented · ${num(s.units.retired)} retired</p>`,
    )
  parts.push('<div class="tables">')
  if (total > 0) {
    parts.push(
      '<table class="counts"><caption>Operations by kind</caption><thead><tr><th></th><th>Kind</th><th>Table</th><th class="n">Count</th></tr></thead><tbody>',
    )
    for (const kind of summaryKinds(plan))
      parts.push(
        `<tr><td class="sign ${KIND_CLASS[kind]}">${signOf(kind)}</td><td>${escapeHtml(kind)}</td><td class="muted">${escapeHtml(tableOf(kind))}</td><td class="n">${num(s.byKind[kind] ?? 0)}</td></tr>`,
      )
    parts.push(
      `</tbody><tfoot><tr><td></td><th>Total</th><td></td><th class="n">${num(total)}</th></tr></tfoot></table>`,
    )
  }
  const systems = Object.keys(s?.accountsBySystem ?? {}).sort()
  if (systems.length > 0) {
    const aKinds = [...new Set(systems.flatMap((x) => Object.keys(s.accountsBySystem[x]) as OpKind[]))].sort(
      (a, b) => kindRank(a) - kindRank(b),
    )
    parts.push(
      `<table class="counts"><caption>Accounts by system</caption><thead><tr><th>System</th>${aKinds
        .map(
          (x) =>
            `<th class="n ${KIND_CLASS[x] ?? ''}">${signOf(x)} ${escapeHtml(x.replace(/^account\./, ''))}</th>`,
        )
        .join('')}</tr></thead><tbody>`,
    )
    for (const sys of systems)
      parts.push(
        `<tr><td>${escapeHtml(sys)}</td>${aKinds.map((x) => `<td class="n">${num(s.accountsBySystem[sys][x] ?? 0)}</td>`).join('')}</tr>`,
      )
    parts.push('</tbody></table>')
  }
  const tables = Object.keys(s?.rowsByTable ?? {}).sort()
  if (tables.length > 0) {
    parts.push(
      '<table class="counts"><caption>Rows by table</caption><thead><tr><th>Table</th><th class="n">Rows</th></tr></thead><tbody>',
    )
    for (const t of tables)
      parts.push(`<tr><td>${escapeHtml(t)}</td><td class="n">${num(s.rowsByTable[t])}</td></tr>`)
    parts.push('</tbody></table>')
  }
  parts.push('</div>')
  const warnings = plan.warnings ?? []
  if (warnings.length > 0) {
    parts.push(
      `<details class="warnings"${warnings.length <= 10 ? ' open' : ''}><summary>${num(warnings.length)} ${warnings.length === 1 ? 'warning' : 'warnings'}</summary><ul>`,
    )
    for (const w of warnings) parts.push(`<li>${escapeHtml(w)}</li>`)
    parts.push('</ul></details>')
  }
  parts.push('</section>')

  // The picture: each new unit with the old units that form it.
  const splits = splitSources(plan)
  parts.push(`<section id="units">
<h2>New units and the old units that form them</h2>
<p class="legend"><span class="chip whole">whole</span> old unit merged whole · <span class="chip part">part</span> part of an old unit · <span class="badge">default</span> default successor of a divided unit · <span class="badge split">split</span> old unit divided among several new units</p>
${groups.length > UNITS_OPEN ? `<details id="units-all"><summary>Show all ${num(groups.length)} new units (or type in the filter below to find some)</summary>` : ''}
<div class="unit-grid">`)
  groups.forEach((g, u) => {
    const sign = unitChangeSign(g.unit)
    const cls = sign === '+' ? 'create' : sign === '~' ? 'change' : 'keep'
    // `u-…` on the card: the bare class would colour all of its text.
    const search = [g.unit.code, g.unit.name, ...(g.unit.sources ?? []).flatMap((x) => [x.code, x.name])]
      .map(clean)
      .join(' ')
    const chips = (g.unit.sources ?? [])
      .map((src) => {
        const split = splits.get(src.code)
        const others = split?.filter((c) => c !== g.unit.code) ?? []
        return (
          `<li class="chip ${src.share === 'part' ? 'part' : 'whole'}"><span class="code">${escapeHtml(src.code)}</span> ${escapeHtml(src.name)}` +
          (src.share === 'part' && src.isDefault ? ' <span class="badge">default</span>' : '') +
          (others.length > 0
            ? ` <span class="badge split" title="also part of ${escapeHtml(others.join(', '))}">split → ${escapeHtml(others.join(', '))}</span>`
            : '') +
          '</li>'
        )
      })
      .join('')
    const shownNote =
      embeddedPerUnit[u] < g.count
        ? ` <span class="muted">(${num(embeddedPerUnit[u])} on this page)</span>`
        : ''
    parts.push(
      `<article class="unit u-${cls}" data-search="${escapeHtml(search)}" data-unit="${u}">` +
        `<ul class="sources">${chips || '<li class="chip none">no old unit listed</li>'}</ul>` +
        `<div class="arrow" aria-hidden="true">→</div>` +
        `<div class="target"><div class="sign ${cls}">${sign === '=' ? '' : sign}</div><div><div class="name"><span class="code">${escapeHtml(g.unit.code)}</span> ${escapeHtml(g.described ? g.unit.name : '(not in the unit list)')}</div>` +
        `<div class="meta">${escapeHtml(g.unit.type)}${g.unit.type ? ' · ' : ''}${escapeHtml(g.unit.change)} · ` +
        (g.count > 0
          ? `<button type="button" class="link" data-show="${u}">${num(g.count)} ${g.count === 1 ? 'change' : 'changes'}</button>${shownNote}`
          : 'no changes') +
        `</div></div></div></article>`,
    )
  })
  parts.push(`</div>${groups.length > UNITS_OPEN ? '</details>' : ''}
<p id="units-empty" class="muted" hidden>No unit matches the filter.</p>
</section>`)

  // The change tables.
  parts.push(`<section id="changes">
<h2>Changes</h2>
${
  omitted > 0
    ? `<p class="notice" id="omitted">This page embeds <b>${num(rows.length)}</b> of <b>${num(plan.operations.length)}</b> operations (at most ${num(quota)} per unit and kind) so that it stays loadable; <b>${num(omitted)}</b> are left out. The summary above is complete. Every operation is in the plan file: <code>sapxep show ${escapeHtml(file)} --full</code> or <code>--format json</code>.</p>`
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
`)
  return parts.join('\n')
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

const CSS = `
:root{--create:#1a7f37;--change:#9a6700;--remove:#cf222e;--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--soft:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:20px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.lead{font-size:16px;margin:4px 0 8px}
.muted{color:var(--muted)}.warn{color:var(--remove)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;background:var(--soft);padding:1px 4px;border-radius:4px;word-break:break-all}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:10px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:130px;background:var(--soft)}
.card b{display:block;font-size:22px}.card span{color:var(--muted)}
.card.create b{color:var(--create)}.card.change b{color:var(--change)}.card.remove b{color:var(--remove)}
.tables{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
table{border-collapse:collapse}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
.n{text-align:right;font-variant-numeric:tabular-nums}
.sign{font-weight:700;text-align:center;font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace}
.create{color:var(--create)}.change{color:var(--change)}.remove{color:var(--remove)}
.warnings{margin:12px 0;border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:6px 12px}
.notice{border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:8px 12px}
.legend{color:var(--muted)}
.unit-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:10px}
.unit{display:grid;grid-template-columns:1fr auto minmax(170px,0.8fr);align-items:center;gap:8px;border:1px solid var(--line);border-radius:8px;padding:8px;background:var(--soft)}
.unit[hidden]{display:none}
.sources{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:4px}
.chip{display:inline-block;border:1px solid #8c959f;border-radius:6px;padding:2px 8px;background:#fff}
.chip.part{border-style:dashed;background:repeating-linear-gradient(135deg,#fff,#fff 6px,#eef1f4 6px,#eef1f4 12px)}
.chip.none{color:var(--muted);border-style:dotted}
.code{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px;color:var(--muted)}
.badge{display:inline-block;font-size:11px;border-radius:10px;padding:0 6px;background:#ddf4ff;color:#0969da;margin-left:2px}
.badge.split{background:#ffebe9;color:var(--remove)}
.arrow{font-size:20px;color:var(--muted)}
.target{display:flex;gap:8px;align-items:center;border:2px solid var(--fg);border-radius:8px;padding:6px 10px;background:#fff}
.unit.u-create .target{border-color:var(--create)}.unit.u-change .target{border-color:var(--change)}.unit.u-keep .target{border-color:#8c959f}
.target .sign{font-size:20px;min-width:14px}
.target .name{font-weight:600}.target .meta{font-size:12px;color:var(--muted)}
button.link{border:0;background:none;color:#0969da;padding:0;cursor:pointer;font:inherit;text-decoration:underline}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0;position:sticky;top:0;background:var(--bg);padding:6px 0;z-index:1}
.filters input,.filters select,.filters button{font:inherit;padding:3px 6px}
#ops{width:100%;font-size:13px}
#ops td:nth-child(2){white-space:nowrap}#ops td:nth-child(3){min-width:190px}#ops td:nth-child(4){min-width:200px}
#ops td:nth-child(4),#ops td:nth-child(5){font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-word}
#ops tbody tr:nth-child(even){background:var(--soft)}
footer{margin:30px auto;font-size:12px}
nav{margin:6px 0 0}nav a{color:#0969da}
#units-all>summary{cursor:pointer;color:#0969da;margin:6px 0}
`

// Plain JS (no template literals, so it can live in this TypeScript template string).
const SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('plan-data').textContent);
  var PAGE = 500;
  var SIGN = {create: '+', change: '~', remove: '-'};
  var fmt = new Intl.NumberFormat('en-US');
  var $ = function (id) { return document.getElementById(id); };
  var filter = $('filter'), kindSel = $('kind'), systemSel = $('system'), tbody = document.querySelector('#ops tbody');
  var status = $('status'), more = $('more');
  function fold(s) {
    return String(s).normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/\\u0111/g, 'd').replace(/\\u0110/g, 'D').toLowerCase();
  }
  var kindCount = {}, systems = {};
  data.rows.forEach(function (r) { kindCount[r[0]] = (kindCount[r[0]] || 0) + 1; if (r[2]) systems[r[2]] = (systems[r[2]] || 0) + 1; });
  data.kinds.forEach(function (k, i) {
    if (!kindCount[i]) return;
    var o = document.createElement('option'); o.value = String(i); o.textContent = k + ' (' + fmt.format(kindCount[i]) + ')'; kindSel.appendChild(o);
  });
  Object.keys(systems).sort().forEach(function (s) {
    var o = document.createElement('option'); o.value = s; o.textContent = s + ' (' + fmt.format(systems[s]) + ')'; systemSel.appendChild(o);
  });
  var hay = null;
  function haystack(i) {
    if (!hay) hay = new Array(data.rows.length);
    if (hay[i] === undefined) {
      var r = data.rows[i], u = data.units[r[1]];
      hay[i] = fold([data.kinds[r[0]], r[2], r[3], r[4], r[5], u[0], u[1]].join(' '));
    }
    return hay[i];
  }
  var matches = [], shown = 0;
  function parseQuery() {
    var unit = null, words = [];
    fold(filter.value).split(/\\s+/).forEach(function (w) {
      if (!w) return;
      if (w.indexOf('unit:') === 0 && w.length > 5) unit = w.slice(5); else words.push(w);
    });
    return {unit: unit, words: words};
  }
  function run() {
    var q = parseQuery(), kind = kindSel.value === '' ? -1 : Number(kindSel.value), sys = systemSel.value;
    matches = [];
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i];
      if (kind >= 0 && r[0] !== kind) continue;
      if (sys && r[2] !== sys) continue;
      if (q.unit !== null && fold(data.units[r[1]][0]) !== q.unit) continue;
      if (q.words.length) {
        var h = haystack(i), ok = true;
        for (var j = 0; j < q.words.length; j++) if (h.indexOf(q.words[j]) < 0) { ok = false; break; }
        if (!ok) continue;
      }
      matches.push(i);
    }
    tbody.textContent = '';
    shown = 0;
    page();
    filterUnits(q);
  }
  function cell(tr, text, cls) {
    var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td);
  }
  function page() {
    var end = Math.min(matches.length, shown + PAGE), frag = document.createDocumentFragment();
    for (var i = shown; i < end; i++) {
      var r = data.rows[matches[i]], cls = data.classes[r[0]], u = data.units[r[1]];
      var tr = document.createElement('tr');
      cell(tr, SIGN[cls] || '?', 'sign ' + cls);
      cell(tr, data.kinds[r[0]], cls);
      cell(tr, u[1]);
      cell(tr, r[3]);
      cell(tr, r[4]);
      cell(tr, r[5], 'muted');
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    shown = end;
    var embedded = data.rows.length < data.total ? ' (' + fmt.format(data.rows.length) + ' of ' + fmt.format(data.total) + ' operations are on this page)' : '';
    status.textContent = matches.length === 0
      ? 'No change matches the filter' + embedded + '.'
      : 'Showing ' + fmt.format(shown) + ' of ' + fmt.format(matches.length) + ' matching changes' + embedded + '.';
    more.hidden = shown >= matches.length;
    more.textContent = 'Show ' + fmt.format(Math.min(PAGE, matches.length - shown)) + ' more';
  }
  var cards = Array.prototype.slice.call(document.querySelectorAll('#units .unit'));
  var cardText = cards.map(function (c) { return fold(c.getAttribute('data-search') || ''); });
  function filterUnits(q) {
    var visible = 0;
    cards.forEach(function (c, i) {
      var ok = true;
      if (q.unit !== null) ok = fold(data.units[Number(c.getAttribute('data-unit'))][0]) === q.unit;
      for (var j = 0; ok && j < q.words.length; j++) if (cardText[i].indexOf(q.words[j]) < 0) ok = false;
      c.hidden = !ok;
      if (ok) visible++;
    });
    $('units-empty').hidden = visible > 0;
    var all = $('units-all');
    if (all && (q.unit !== null || q.words.length)) all.open = true;
  }
  var timer = null;
  filter.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  kindSel.addEventListener('change', run);
  systemSel.addEventListener('change', run);
  more.addEventListener('click', page);
  $('clear').addEventListener('click', function () { filter.value = ''; kindSel.value = ''; systemSel.value = ''; run(); });
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.getAttribute && t.getAttribute('data-show') !== null) {
      filter.value = 'unit:' + data.units[Number(t.getAttribute('data-show'))][0];
      run();
      $('changes').scrollIntoView();
    }
  });
  run();
})();
`
