import type {SignedPlan} from '../../types.js'
import {type UnitGroup, clean, splitSources, unitChangeSign} from '../common.js'
import {escapeHtml} from './escape.js'
import type {PageLabels} from './labels.js'

/** Above this many new units the picture starts collapsed, so the change tables are not 3,000 cards away. */
const UNITS_OPEN = 300

/** The picture: each new unit with the old units that form it. `embedded[u]`: its operations on the page. */
export function unitsSection(
  plan: SignedPlan,
  groups: UnitGroup[],
  embedded: number[],
  l: PageLabels,
): string[] {
  const splits = splitSources(plan)
  const collapsed = groups.length > UNITS_OPEN
  return [
    `<section id="units">
<h2>${l.unitsHeading}</h2>
<p class="legend">${l.legend}</p>
${collapsed ? `<details id="units-all"><summary>${l.showAllUnits(l.num(groups.length))}</summary>` : ''}
<div class="unit-grid">`,
    ...groups.map((g, u) => unitCard(g, u, splits, embedded[u], l)),
    `</div>${collapsed ? '</details>' : ''}
<p id="units-empty" class="muted" hidden>${l.noUnitMatches}</p>
</section>`,
  ]
}

/** One new unit: its old units as chips, an arrow, the new unit and a button that filters its changes. */
function unitCard(
  g: UnitGroup,
  u: number,
  splits: Map<string, string[]>,
  embedded: number,
  l: PageLabels,
): string {
  const sign = unitChangeSign(g.unit)
  const cls = sign === '+' ? 'create' : sign === '~' ? 'change' : 'keep'
  // `u-…` on the card: the bare class would colour all of its text.
  const search = [g.unit.code, g.unit.name, ...(g.unit.sources ?? []).flatMap((x) => [x.code, x.name])]
    .map(clean)
    .join(' ')
  const chips = (g.unit.sources ?? [])
    .map((src) => {
      const others = splits.get(src.code)?.filter((c) => c !== g.unit.code) ?? []
      return (
        `<li class="chip ${src.share === 'part' ? 'part' : 'whole'}"><span class="code">${escapeHtml(src.code)}</span> ${escapeHtml(src.name)}` +
        (src.share === 'part' && src.isDefault ? ` <span class="badge">${l.defaultBadge}</span>` : '') +
        (others.length > 0
          ? ` <span class="badge split" title="${escapeHtml(others.join(', '))}">${l.splitBadge} → ${escapeHtml(others.join(', '))}</span>`
          : '') +
        '</li>'
      )
    })
    .join('')
  const shownNote = embedded < g.count ? ` <span class="muted">${l.onPage(l.num(embedded))}</span>` : ''
  return (
    `<article class="unit u-${cls}" data-search="${escapeHtml(search)}" data-unit="${u}">` +
    `<ul class="sources">${chips || `<li class="chip none">${l.noOldUnit}</li>`}</ul>` +
    `<div class="arrow" aria-hidden="true">→</div>` +
    `<div class="target"><div class="sign ${cls}">${sign === '=' ? '' : sign}</div><div><div class="name"><span class="code">${escapeHtml(g.unit.code)}</span> ${escapeHtml(g.described ? g.unit.name : l.notInUnitList)}</div>` +
    `<div class="meta">${escapeHtml(g.unit.type)}${g.unit.type ? ' · ' : ''}${escapeHtml(l.unitChange[g.unit.change] ?? g.unit.change)} · ` +
    (g.count > 0
      ? `<button type="button" class="link" data-show="${u}">${l.changesOf(l.num(g.count), g.count === 1)}</button>${shownNote}`
      : l.noChangesUnit) +
    `</div></div></div></article>`
  )
}
