import {Chalk} from 'chalk'
import {beforeAll, describe, expect, it} from 'vitest'
import {planFileText} from '../../src/plan/file.js'
import {fairShares, formatChange, formatKey, groupByUnit} from '../../src/plan/render/common.js'
import {
  escapeMarkdown,
  renderHtml,
  renderMarkdown,
  renderPlan,
  renderText,
  scriptJson,
} from '../../src/plan/render/index.js'
import type {SignedPlan} from '../../src/plan/types.js'
import {HOSTILE, hostilePlan, nationalPlan, samplePlan} from '../helpers/plan-fixtures.js'

const plain = new Chalk({level: 0})
const colour = new Chalk({level: 1})
const ESC = '\u001b'

/** The lines of the text diff between one unit header and the next. */
function unitBlock(text: string, code: string): string[] {
  const lines = text.split('\n')
  const start = lines.findIndex((l) => new RegExp(`^[+~=] ${code} `).test(l))
  expect(start, `unit ${code} in the diff`).toBeGreaterThanOrEqual(0)
  const end = lines.findIndex((l, i) => i > start && l === '')
  return lines.slice(start, end)
}

describe('text diff', () => {
  const plan = samplePlan()
  const text = renderText(plan, {chalk: plain})

  it('starts with the decision, province and both digests', () => {
    const head = text.split('\n').slice(0, 7).join('\n')
    expect(head).toContain('1674/NQ-UBTVQH15')
    expect(head).toContain('37 Tỉnh Ninh Bình')
    expect(head).toContain(plan.mapping.digest)
    expect(head).toContain(plan.digest)
    expect(head).toContain('46 operations in 3 new units: 6 to create, 30 to change, 10 to disable or retire')
  })

  it('groups operations under the new unit, with the old units that form it', () => {
    const namDinh = unitBlock(text, '13669')
    expect(namDinh[0]).toBe(
      '~ 13669 Phường Nam Định  ← 13669 Phường Cửa Bắc, 13633 Phường Hạ Long, 13636 Phường Trần Tế Xương (part, default)  · 41 changes',
    )
    expect(namDinh.join('\n')).toContain('ubnd.namdinh@ninhbinh.gov.vn')
    expect(namDinh.join('\n')).not.toContain('mytrung')
    const thienTruong = unitBlock(text, '13684')
    expect(thienTruong[0]).toContain('13636 Phường Trần Tế Xương (part)')
    expect(thienTruong.slice(1).map((l) => l.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
      '~ unit.update 13684',
      '- unit.retire 13720',
      '~ account.reassign qlvb/mytrung.vanthu',
      '- account.disable ecert/mytrung.ct',
      '+ mailbox.create ubnd.thientruong@ninhbinh.gov.vn',
    ])
    // A unit with no change and no operation is not shown.
    expect(text).not.toContain('14488')
  })

  it('marks creates +, changes ~ and disables/retirements -, with compact before → after', () => {
    expect(text).toContain(
      '    + account.create       dvc/ubnd.namdinh  agency_id: ubnd-13669, holder: UBND phường Nam Định, role: admin, status: active',
    )
    expect(text).toContain('    ~ account.reassign     dvc/halong.cb01  agency_id: ubnd-13633 → ubnd-13669')
    expect(text).toContain(
      '    - account.disable      qlvb/halong.chutich  status: active → disabled, reason: null → NQ 1674/NQ-UBTVQH15  (chairman: one per unit, the surviving unit keeps its holder)',
    )
    expect(text).toContain('    + code.issue           000.13.00.H21')
    expect(text).toContain('    - code.stop            000.01.21.H40  status: issued → stopped')
    expect(text).toContain(
      '    - endpoint.unregister  provincial/000.01.21.H40  status: registered → unregistered',
    )
    expect(text).toContain(
      '    - mailbox.suspend      ubnd.halong@namdinh.gov.vn  status: active → suspended',
    )
  })

  it('lists at most 20 per kind and unit, says how many more, and lists all with full', () => {
    expect(text).toContain('dvc/halong.cb20')
    expect(text).not.toContain('dvc/halong.cb21')
    expect(text).toContain('    … and 6 more account.reassign')
    expect(text).toContain('6 of 46 not listed. See them all: sapxep show PLAN --full')
    const full = renderText(plan, {chalk: plain, full: true})
    expect(full).toContain('dvc/halong.cb25')
    expect(full).not.toContain('more account.reassign')
    expect(full).not.toContain('not listed')
  })

  it('ends with counts by kind, accounts by system and rows by table', () => {
    const tail = text.slice(text.indexOf('Summary: 46 operations'))
    expect(tail).toMatch(/~ account\.reassign\s+27\n/)
    expect(tail).toMatch(
      /Accounts by system\n {2}dvc {4}create 1 · reassign 25\n {2}ecert {2}disable 1\n {2}qlvb {3}reassign 2 · disable 1\n/,
    )
    expect(tail).toMatch(/Rows by table\n {2}accounts {10}30\n/)
  })

  it('has no colour codes with a level-0 chalk, and green/yellow/red with colour', () => {
    expect(text).not.toContain(ESC)
    const coloured = renderText(plan, {chalk: colour})
    expect(coloured).toContain(`${ESC}[32m+ account.create`)
    expect(coloured).toContain(`${ESC}[33m~ account.reassign`)
    expect(coloured).toContain(`${ESC}[31m- account.disable`)
    expect(coloured.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).toBe(text)
  })

  it('cannot be made to emit terminal escapes or extra lines by a hostile name', () => {
    const out = renderText(hostilePlan(), {chalk: plain})
    expect(out).not.toContain(ESC)
    expect(out).not.toContain('\u2028')
    const line = out.split('\n').find((l) => l.includes('account.create'))!
    expect(line).toContain('dvc/evil [31mred [0m line sep')
    expect(line).toContain('(``` # injected)')
  })

  it('lists every mapping file of a plan made from several', () => {
    const one = samplePlan()
    const ref = one.mappings[0]
    const two: SignedPlan = {
      ...one,
      mappings: [
        ref,
        {
          ...ref,
          file: 'mappings/ha-nam-2025.yaml',
          digest: 'sha256:' + 'a'.repeat(64),
          decision: {...ref.decision, number: '1675/NQ-UBTVQH15'},
        },
      ],
    }
    const out = renderText(two, {chalk: plain})
    expect(out).toContain('  mappings   2 files')
    expect(out).toContain(`    mappings/ha-nam-2025.yaml  sha256:${'a'.repeat(64)}  (1675/NQ-UBTVQH15)`)
    const md = renderMarkdown(two)
    // Below the counts, collapsed: a national plan has 34.
    expect(md).toContain(
      '<details><summary>2 mapping files and their digests</summary>\n\n- `mappings/ninh-binh-2025.yaml`',
    )
    expect(md).toContain(`- \`mappings/ha-nam-2025.yaml\` \`sha256:${'a'.repeat(64)}\` (1675/NQ-UBTVQH15)`)
    expect(md.indexOf('mapping files and their digests')).toBeGreaterThan(md.indexOf('| | **Total** |'))
    expect(renderHtml(two)).toContain('<code>mappings/ha-nam-2025.yaml</code>')
  })

  it('says so when there is nothing to do', () => {
    const empty = samplePlan()
    const none: SignedPlan = {
      ...empty,
      operations: [],
      summary: {...empty.summary, operations: 0, byKind: {}, accountsBySystem: {}, rowsByTable: {}},
      units: [],
    }
    expect(renderText(none, {chalk: plain})).toContain(
      'No changes: the registry already matches the mapping.',
    )
    expect(renderMarkdown(none)).toContain('**No changes**')
  })
})

describe('markdown comment', () => {
  const plan = samplePlan()
  const md = renderMarkdown(plan, {file: 'plan.json'})

  it('starts with a hidden marker a CI job finds its comment by', () => {
    expect(md.split('\n')[0]).toBe('<!-- sapxep-plan -->')
  })

  it('puts the summary table first, then the units, then collapsed details', () => {
    const summary = md.indexOf('| | Change | Count |')
    const units = md.indexOf('<details><summary><b>New units</b> (2)</summary>')
    const details = md.indexOf('#### Changes by new unit')
    expect(summary).toBeGreaterThan(0)
    expect(units).toBeGreaterThan(summary)
    expect(details).toBeGreaterThan(units)
    expect(md).toContain('| `~` | account.reassign | 27 |')
    expect(md).toContain('| | **Total** | **46** |')
    expect(md).toMatch(
      /\| System \| `\+` create \| `~` reassign \| `-` disable \|\n\|---\|--:\|--:\|--:\|\n\| dvc \| 1 \| 25 \| 0 \|/,
    )
    expect(md).toContain(
      '| `~` | 13669 Phường Nam Định | 13669 Phường Cửa Bắc, 13633 Phường Hạ Long, 13636 Phường Trần Tế Xương (part, default) | 41 |',
    )
    expect(md.match(/<details>/g)).toHaveLength(3)
    expect(md).toContain(
      '<details><summary><b>&#126; 13669 Phường Nam Định</b> · 41 changes (5 +, 28 ~, 8 −)</summary>\n\n```diff\n~ unit.update',
    )
  })

  it('says what it did not list and how to see everything', () => {
    expect(md).toContain('16 of 46 operations are not listed')
    expect(md).toContain('`sapxep show plan.json --format html --out plan.html`')
    const small = renderMarkdown(samplePlan({reassignPerUnit: 3}))
    expect(small).toContain('Every operation is listed above.')
    expect(small).not.toContain('Not everything is shown')
  })

  it('escapes hostile names in tables and summaries', () => {
    const out = renderMarkdown(hostilePlan())
    // Outside code blocks (where text is shown literally) nothing is markup.
    const prose = out.replace(/^(`{3,})diff\n[\s\S]*?^\1$/gm, '')
    expect(prose).not.toMatch(/<script|<img|<b>bold/)
    expect(prose).not.toContain('@everyone')
    expect(out).toContain('@\u200beveryone')
    const row = out.split('\n').find((l) => l.startsWith('| `~` | 13669'))!
    // Exactly the 5 pipes of a 4-column row: the name's `|` is an entity.
    expect(row.match(/\|/g)).toHaveLength(5)
    expect(row).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#124; &#96;x&#96; &#42;y&#42;')
    expect(row).toContain('&#91;link&#93;(javascript:alert(1))')
    // Inside the diff block text stays literal, and nothing can close the fence.
    expect(out).toContain('````diff\n')
    expect(out).toContain('</script><img src=x onerror=alert(1)>')
    expect(escapeMarkdown('a|b`c')).toBe('a&#124;b&#96;c')
  })
})

describe('HTML report (as text)', () => {
  const html = renderHtml(samplePlan())

  it('is one self-contained UTF-8 page with no network resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<meta charset="utf-8">')
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i)
    expect(html).not.toMatch(/@import|url\(/i)
    expect(html).toContain('Phường Nam Định')
  })

  it('embeds its data so that no string can end the script element', () => {
    expect(scriptJson({a: '</script><!-- \u2028 \u2029 &'})).toBe(
      '{"a":"\\u003c/script\\u003e\\u003c!-- \\u2028 \\u2029 \\u0026"}',
    )
    const hostile = renderHtml(hostilePlan())
    const data = hostile.slice(
      hostile.indexOf('<script type="application/json"'),
      hostile.indexOf('</script>', hostile.indexOf('<script type="application/json"')),
    )
    expect(data).not.toMatch(/<\/|\u2028|\u2029/)
    expect(hostile.match(/<script/g)).toHaveLength(2)
    expect(hostile.match(/<\/script>/g)).toHaveLength(2)
    expect(hostile).toContain(HOSTILE.unitName.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`))
  })
})

describe('renderPlan', () => {
  it('gives the plan file itself for json', () => {
    const plan = samplePlan()
    const json = renderPlan(plan, 'json', {chalk: plain})
    expect(json).toBe(planFileText(plan))
    expect(JSON.parse(json).digest).toBe(plan.digest)
  })
  it('renders every format', () => {
    const plan = samplePlan()
    expect(renderPlan(plan, 'text', {chalk: plain})).toBe(renderText(plan, {chalk: plain}))
    expect(renderPlan(plan, 'markdown', {chalk: plain})).toBe(renderMarkdown(plan))
    expect(renderPlan(plan, 'html', {chalk: plain})).toBe(renderHtml(plan))
    expect(renderPlan(plan, 'html', {chalk: plain, lang: 'en'})).toBe(renderHtml(plan, {lang: 'en'}))
  })
})

describe('helpers', () => {
  it('formats keys in a reader-friendly order', () => {
    expect(formatKey({username: 'lan', system: 'qlvb'})).toBe('qlvb/lan')
    expect(formatKey({agency_code: '000.01.21.H40', axis: 'national'})).toBe('national/000.01.21.H40')
  })
  it('shows only changed columns', () => {
    expect(
      formatChange({
        op: 'account.reassign',
        key: {system: 'dvc', username: 'a'},
        unit: '1',
        before: {agency_id: 'x', role: 'r'},
        after: {agency_id: 'y', role: 'r'},
      }),
    ).toBe('agency_id: x → y')
  })
  it('shares a row budget evenly and exactly', () => {
    expect(fairShares([100, 2, 50], 30)).toEqual([14, 2, 14])
    expect(fairShares([1, 2], 10)).toEqual([1, 2])
  })
  it('keeps undescribed units instead of dropping their operations', () => {
    const plan = samplePlan()
    const groups = groupByUnit({...plan, units: plan.units.slice(1)})
    expect(groups.map((g) => g.unit.code)).toEqual(['13684', '13669'])
    expect(groups[1].described).toBe(false)
    expect(groups[1].count).toBe(41)
  })
})

describe('a national plan (1,000,000 operations)', () => {
  let plan: SignedPlan
  beforeAll(() => {
    plan = nationalPlan()
    expect(plan.operations).toHaveLength(1_000_000)
  })

  it('gives a Markdown comment under 65,000 characters that says what was cut', () => {
    const md = renderMarkdown(plan, {file: 'plan.json'})
    expect(md.length).toBeLessThan(65_000)
    expect(md.length).toBeGreaterThan(50_000) // it uses the room it has
    expect(md).toContain('| | **Total** | **1,000,000** |')
    const cut = md.split('\n').find((l) => l.startsWith('**Not everything is shown.**'))!
    expect(cut).toMatch(/[\d,]+ of 3,321 new units are not in the unit table/)
    expect(cut).toMatch(/[\d,]+ of 3,312 new units have no details here/)
    expect(cut).toMatch(/[\d,]+ of 1,000,000 operations are not listed/)
    expect(cut).toContain('`sapxep show plan.json --format html --out plan.html`')
    expect(md.endsWith('\n')).toBe(true)
    // Every <details> that was opened is closed: no block was cut in half.
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length)
  })

  it('gives a text diff of bounded size that still shows every unit', () => {
    const text = renderText(plan, {chalk: plain})
    const lines = text.split('\n')
    expect(lines.length).toBeLessThan(60_000)
    expect(lines.filter((l) => /^~ \d{5} /.test(l))).toHaveLength(3321)
    expect(text).toMatch(/… and 252 more account\.reassign/)
    expect(text).toMatch(/Listed at most 1 operation per kind and unit: [\d,]+ of 1,000,000 not listed/)
    expect(text).toMatch(/~ account\.reassign\s+837,735\n/)
  })

  it('gives an HTML page of bounded size with a complete summary', () => {
    // Vietnamese by default, numbers as Vietnamese write them; each embedded change also in words (12.3 MB).
    const html = renderHtml(plan, {file: 'plan.json'})
    expect(Buffer.byteLength(html)).toBeLessThan(13_000_000)
    expect(html).toContain('Trang này chứa <b>50.000</b> trên <b>1.000.000</b> thao tác')
    expect(html).toContain('<b>950.000</b> thao tác không có ở đây')
    expect(html).toContain('<td class="n">837.735</td>')
    const en = renderHtml(plan, {file: 'plan.json', lang: 'en'})
    expect(en).toContain('embeds <b>50,000</b> of <b>1,000,000</b> operations')
    expect(en).toContain('<b>950,000</b> are left out')
  })
})
