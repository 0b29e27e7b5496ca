import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import {planClosingLine, renderText} from '../../src/plan/render/index.js'
import {nextAfterApprove, nextAfterPlan, nextAfterValidate} from '../../src/cli/render/next.js'
import {nationalPlan, samplePlan} from '../helpers/plan-fixtures.js'

const plain = new Chalk({level: 0})

describe('the plan as Terraform users expect it', () => {
  const plan = samplePlan()

  it('ends with the closing line, in every text mode', () => {
    const closing = 'Plan: 6 to create, 30 to change, 10 to disable or retire.'
    expect(planClosingLine(plan)).toBe(closing)
    for (const opts of [{}, {full: true}, {unitsOnly: true}])
      expect(
        renderText(plan, {chalk: plain, ...opts})
          .trimEnd()
          .split('\n')
          .at(-1),
      ).toBe(closing)
  })

  it('can be one line per new unit, with its counts, and says how to see the operations', () => {
    const text = renderText(plan, {chalk: plain, unitsOnly: true})
    expect(text).toContain(
      '~ 13669 Phường Nam Định  ← 13669 Phường Cửa Bắc, 13633 Phường Hạ Long, 13636 Phường Trần Tế Xương (part, default)  · 41 changes (',
    )
    expect(text).not.toContain('account.reassign     dvc/halong.cb01')
    expect(text).toContain('Operations not listed: see every one with sapxep show PLAN --full')
    expect(text).toContain('Summary: 46 operations')
  })

  it('keeps a national plan short on a terminal: one line per unit', () => {
    const national = nationalPlan({units: 300, operations: 100_000, sign: false})
    const lines = renderText(national, {chalk: plain, unitsOnly: true}).split('\n').length
    expect(lines).toBeLessThan(300 + 100)
    expect(lines).toBeGreaterThan(300)
  })
})

describe('next steps', () => {
  it('name the file just written, quoted when it needs it', () => {
    expect(nextAfterPlan('nb.plan.json')).toContain('sapxep plan approve nb.plan.json --key KEY.pem')
    expect(nextAfterPlan('my plan.json')).toContain("sapxep show 'my plan.json'")
    expect(nextAfterApprove('nb.plan.json', 2)).toBe(
      'Next: sapxep apply nb.plan.json --yes --require-approvals 2 --trusted-keys DIR',
    )
    expect(nextAfterValidate(['mappings/2025/37-ninh-binh.yaml'], false)).toContain(
      'sapxep mapping validate mappings/2025/37-ninh-binh.yaml --registry',
    )
  })
})
