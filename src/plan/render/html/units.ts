import type {SignedPlan} from '../../types.js'
import {type UnitGroup, clean, counted, num, splitSources, unitChangeSign} from '../common.js'
import {escapeHtml} from './escape.js'

/** Above this many new units the picture starts collapsed, so the change tables are not 3,000 cards away. */
const UNITS_OPEN = 300

/** The picture: each new unit with the old units that form it. `embedded[u]`: its operations on the page. */
export function unitsSection(plan: SignedPlan, groups: UnitGroup[], embedded: number[]): string[] {
  const splits = splitSources(plan)
  const collapsed = groups.length > UNITS_OPEN
  return [
    `<section id="units">
<h2>New units and the old units that form them</h2>
<p class="legend"><span class="chip whole">whole</span> old unit merged whole · <span class="chip part">part</span> part of an old unit · <span class="badge">default</span> default successor of a divided unit · <span class="badge split">split</span> old unit divided among several new units</p>
${collapsed ? `<details id="units-all"><summary>Show all ${num(groups.length)} new units (or type in the filter below to find some)</summary>` : ''}
<div class="unit-grid">`,
    ...groups.map((g, u) => unitCard(g, u, splits, embedded[u])),
    `</div>${collapsed ? '</details>' : ''}
<p id="units-empty" class="muted" hidden>No unit matches the filter.</p>
</section>`,
  ]
}

/** One new unit: its old units as chips, an arrow, the new unit and a button that filters its changes. */
function unitCard(g: UnitGroup, u: number, splits: Map<string, string[]>, embedded: number): string {
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
  const shownNote = embedded < g.count ? ` <span class="muted">(${num(embedded)} on this page)</span>` : ''
  return (
    `<article class="unit u-${cls}" data-search="${escapeHtml(search)}" data-unit="${u}">` +
    `<ul class="sources">${chips || '<li class="chip none">no old unit listed</li>'}</ul>` +
    `<div class="arrow" aria-hidden="true">→</div>` +
    `<div class="target"><div class="sign ${cls}">${sign === '=' ? '' : sign}</div><div><div class="name"><span class="code">${escapeHtml(g.unit.code)}</span> ${escapeHtml(g.described ? g.unit.name : '(not in the unit list)')}</div>` +
    `<div class="meta">${escapeHtml(g.unit.type)}${g.unit.type ? ' · ' : ''}${escapeHtml(g.unit.change)} · ` +
    (g.count > 0
      ? `<button type="button" class="link" data-show="${u}">${counted(g.count, 'change')}</button>${shownNote}`
      : 'no changes') +
    `</div></div></div></article>`
  )
}
