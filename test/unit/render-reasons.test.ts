import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import {renderHtml, renderMarkdown, renderText} from '../../src/plan/render/index.js'
import {makePlan, samplePlan} from '../helpers/plan-fixtures.js'

// The reason the planner writes when a single-holder role goes to another account (src/plan/build/accounts.ts).
const REASON =
  'NQ 1674/NQ-UBTVQH15: role chu_tich at ubnd-13669 kept by dvc.ubnd.phuongnamdinh.chutich.nguyenvanthanh'

/** The sample plan with one more chairman disabled because the successor's chairman keeps the role. */
function planWithLongReason() {
  const sample = samplePlan()
  return makePlan(sample.units, [
    ...sample.operations,
    {
      op: 'account.disable',
      key: {system: 'dvc', username: 'halong.chutich.tranthithuhuong'},
      unit: '13669',
      before: {status: 'active', reason: null, successor_username: null},
      after: {status: 'disabled', reason: REASON, successor_username: null},
      note: 'single-holder role chu_tich',
    },
  ])
}

describe('why an account is disabled, in every format a reviewer reads', () => {
  const plan = planWithLongReason()

  it('is whole in the text diff', () => {
    const line = renderText(plan, {chalk: new Chalk({level: 0})})
      .split('\n')
      .find((l) => l.includes('halong.chutich.tranthithuhuong'))
    expect(line).toContain(`reason: null → ${REASON}`)
  })

  it('is whole in the Markdown comment', () => {
    expect(renderMarkdown(plan)).toContain(`reason: null → ${REASON}`)
  })

  it('is whole in the HTML report', () => {
    // The rows are embedded as JSON for the page's script.
    expect(renderHtml(plan)).toContain(`reason: null → ${REASON}`)
  })
})
