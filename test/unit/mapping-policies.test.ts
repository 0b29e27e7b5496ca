import {describe, expect, it} from 'vitest'
import {validateText} from '../../src/mapping/index.js'

const HEAD = `format: sapxep/mapping@1
decision: {number: 1674/NQ-UBTVQH15, effective: "2025-07-01", official: true}
province: {code: "37", name: Tỉnh Ninh Bình}
abolish: [district]
units:
  - code: "13285"
    name: Phường Phủ Lý
    type: Phường
    from: [{code: "13285", name: Phường Quang Trung}, {code: "13294", name: Phường Châu Cầu}]
policies:
`

/** Policies that validated and planned, then failed at apply (raw SQL error, "Invalid time value"). */
describe('mail policies the registry could not store are refused by the schema, with their position', () => {
  for (const pattern of ['{unit}@evil.com', '../{unit}', 'UBND.{unit}', 'ủy.{unit}', '{body} {unit}']) {
    it(`mail.pattern ${JSON.stringify(pattern)}`, () => {
      const r = validateText('m.yaml', `${HEAD}  mail: {pattern: ${JSON.stringify(pattern)}}\n`)
      expect(r.valid).toBe(false)
      expect(r.errors[0]).toMatchObject({file: 'm.yaml', line: 11, path: 'policies.mail.pattern'})
      expect(r.errors[0].message).toContain('must be the local part of an address')
    })
  }

  it('aliasMonths: 1e15 is refused; 120 and the default pattern are fine', () => {
    const r = validateText('m.yaml', `${HEAD}  mail: {aliasMonths: 1e15}\n`)
    expect(r.errors[0]).toMatchObject({line: 11, path: 'policies.mail.aliasMonths'})
    expect(r.errors[0].message).toContain('at most 120')
    expect(
      validateText('m.yaml', `${HEAD}  mail: {aliasMonths: 120, pattern: "{body}.{unit}-x_1"}\n`).valid,
    ).toBe(true)
  })
})
