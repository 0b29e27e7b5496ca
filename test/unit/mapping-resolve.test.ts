import {describe, expect, it} from 'vitest'
import {MappingSchema, resolveMapping, type MappingInput} from '../../src/mapping/index.js'

// The 2024 Nam Định change in small: Mỹ Lộc (358) into Thành phố Nam Định (356), Hưng Lộc formed from
// Thị trấn Mỹ Lộc and Xã Mỹ Hưng, a renamed ward, a retired ward.
const NAM_DINH: MappingInput = {
  format: 'sapxep/mapping@1',
  decision: {number: '1104/NQ-UBTVQH15', effective: '2024-09-01', official: false},
  province: {code: '36', name: 'Tỉnh Nam Định'},
  units: [
    {
      code: '13708',
      name: 'Phường Hưng Lộc',
      type: 'Phường',
      parent: '356',
      from: [{code: '13708'}, {code: '13729', name: 'Xã Mỹ Hưng'}],
    },
    {code: '356', name: 'Thành phố Nam Định', type: 'Thành phố', from: [{code: '356'}, {code: '358'}]},
    {code: '13636', name: 'Phường Vị Xuyên', type: 'Phường', parent: '356'},
  ],
  retire: [{code: '13642', name: 'Phường Vị Xuyên'}],
  policies: {
    accounts: {default: 'disable', systems: {qlvb: {default: 'recreate', roles: {chu_tich: 'reassign'}}}},
    identifierCodes: {level1: 'H40'},
  },
  expect: {districts: 9, communes: 175},
}

describe('resolveMapping', () => {
  const r = resolveMapping(MappingSchema.parse(NAM_DINH))

  it('sorts units by level and code, with levels and parents (a district defaults to the province)', () => {
    expect(r.units.map((u) => [u.code, u.level, u.parentCode])).toEqual([
      ['356', 2, '36'],
      ['13636', 3, '356'],
      ['13708', 3, '356'],
    ])
    expect(r.abolishDistricts).toBe(false)
    expect(r.scope).toBe('partial')
  })

  it('a unit without `from` continues under its own code', () => {
    expect(r.units.find((u) => u.code === '13636')!.sources).toEqual([
      {code: '13636', share: 'whole', isDefault: true},
    ])
  })

  it('retired codes: merged ones with their successor, `retire` ones with none', () => {
    expect(r.retired).toEqual([
      {code: '358', successors: [{code: '356', isDefault: true}]},
      {code: '13642', successors: []},
      {code: '13729', successors: [{code: '13708', isDefault: true}]},
    ])
  })

  it('fills policies: per-system actions inherit the accounts default; mail domain from the province name', () => {
    expect(r.policies.accounts.systems.qlvb).toEqual({default: 'recreate', roles: {chu_tich: 'reassign'}})
    expect(r.policies.accounts.systems.dvc).toEqual({default: 'disable', roles: {}})
    expect(r.policies.accounts).toMatchObject({
      singleHolderRoles: [],
      conflict: 'keep-default-successor',
      overrides: [],
    })
    expect(r.policies.mail).toEqual({
      domain: 'namdinh.gov.vn',
      pattern: '{body}.{unit}',
      oldAddresses: 'alias',
      aliasMonths: 12,
    })
    expect(r.policies.identifierCodes).toEqual({level1: 'H40', allocation: 'sequential'})
  })

  it('is pure: the mapping is not changed and the same input gives the same output', () => {
    const m = MappingSchema.parse(NAM_DINH)
    const copy = structuredClone(m)
    expect(resolveMapping(m)).toEqual(resolveMapping(m))
    expect(m).toEqual(copy)
  })

  it('orders successors of a split default first', () => {
    const split = resolveMapping(
      MappingSchema.parse({
        format: 'sapxep/mapping@1',
        decision: {number: '1674/NQ-UBTVQH15', effective: '2025-07-01', official: true},
        province: {code: '37', name: 'Tỉnh Ninh Bình'},
        abolish: ['district'],
        units: [
          {
            code: '13336',
            name: 'Phường Duy Hà',
            type: 'Phường',
            from: [{code: '13336'}, {code: '13357', share: 'part', default: true}],
          },
          {
            code: '13330',
            name: 'Phường Duy Tân',
            type: 'Phường',
            from: [{code: '13330'}, {code: '13357', share: 'part'}],
          },
        ],
      }),
    )
    expect(split.retired).toEqual([
      {
        code: '13357',
        successors: [
          {code: '13336', isDefault: true},
          {code: '13330', isDefault: false},
        ],
      },
    ])
    expect(split.units.map((u) => u.parentCode)).toEqual(['37', '37'])
  })
})
