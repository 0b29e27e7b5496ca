import {describe, expect, it} from 'vitest'
import {expectMismatches, provinceCounts, type CountedUnit} from '../../src/mapping/expect.js'
import {carriesUnitName, followUnitName} from '../../src/naming/agencies.js'

describe('names follow their units', () => {
  it('gives a local body the name the convention makes from its unit’s new name', () => {
    expect(
      followUnitName('ubnd', 'Ủy ban nhân dân phường Châu Giang', 'Phường Châu Giang', 'Phường Duy Tân'),
    ).toBe('Ủy ban nhân dân phường Duy Tân')
    // Retyped: the type word changes too, in lower case inside the body's name.
    expect(
      followUnitName('hdnd', 'Hội đồng nhân dân xã Nghĩa Tân', 'Xã Nghĩa Tân', 'Thị trấn Quỹ Nhất'),
    ).toBe('Hội đồng nhân dân thị trấn Quỹ Nhất')
    // Written another way in the registry: the convention wins once the unit changes.
    expect(followUnitName('ubnd', 'UBND xã Mỹ Thịnh', 'Xã Mỹ Thịnh', 'Xã Mỹ Lộc')).toBe(
      'Ủy ban nhân dân xã Mỹ Lộc',
    )
  })

  it('keeps another body’s words and changes the unit’s name at the end', () => {
    expect(followUnitName('so_tu_phap', 'Sở Tư pháp tỉnh Hà Nam', 'Tỉnh Hà Nam', 'Tỉnh Ninh Bình')).toBe(
      'Sở Tư pháp tỉnh Ninh Bình',
    )
    expect(
      followUnitName(
        'truong_thcs',
        'Trường THCS Phường Trần Tế Xương',
        'Phường Trần Tế Xương',
        'Phường Vị Xuyên',
      ),
    ).toBe('Trường THCS phường Vị Xuyên')
  })

  it('cannot follow a name that does not end with its unit’s name, and leaves a same-named unit alone', () => {
    expect(
      followUnitName('truong_thcs', 'Trường THCS Lê Quý Đôn', 'Phường Trần Tế Xương', 'Phường Vị Xuyên'),
    ).toBe(undefined)
    expect(followUnitName('ubnd', 'UBND xã Mỹ Hà', 'Xã Mỹ Hà', 'Xã Mỹ Hà')).toBe('UBND xã Mỹ Hà')
  })

  it('tells whether a name carries its unit’s name as it is now', () => {
    expect(carriesUnitName('Ủy ban nhân dân phường Duy Tân', 'Phường Duy Tân')).toBe(true)
    expect(carriesUnitName('UBND Phường Duy Tân', 'Phường Duy Tân')).toBe(true)
    expect(carriesUnitName('Ủy ban nhân dân phường Châu Giang', 'Phường Duy Tân')).toBe(false)
    expect(carriesUnitName('Ủy ban nhân dân phường Tân Duy Tân', 'Phường Duy Tân')).toBe(false)
  })
})

describe('expected counts (one definition for validate, plan and verify)', () => {
  // Nam Định after NQ 1104, in brief: the province, two districts, three communes, one of them under 356.
  const units = new Map<string, CountedUnit>([
    ['36', {level: 1, parentCode: null}],
    ['356', {level: 2, parentCode: '36'}],
    ['359', {level: 2, parentCode: '36'}],
    ['13708', {level: 3, parentCode: '356'}],
    ['13750', {level: 3, parentCode: '359'}],
    ['13753', {level: 3, parentCode: '359'}],
    ['35', {level: 1, parentCode: null}],
    ['347', {level: 2, parentCode: '35'}],
    ['13285', {level: 3, parentCode: '347'}],
    ['13000', {level: 3, parentCode: '999'}],
  ])

  it('counts every unit whose parents lead to the province, whole or listed in part', () => {
    expect(provinceCounts(units, '36')).toEqual({provinces: 1, districts: 2, communes: 3})
    expect(provinceCounts(units, '35')).toEqual({provinces: 1, districts: 1, communes: 1})
  })

  it('reports each count that does not hold, in the same words wherever it is checked', () => {
    expect(expectMismatches({districts: 2, communes: 175}, provinceCounts(units, '36'), '36')).toEqual([
      {key: 'communes', message: 'expect.communes is 175, but after this change province 36 has 3 communes'},
    ])
    expect(expectMismatches({provinces: 1, districts: 1}, provinceCounts(units, '35'), '35')).toEqual([])
  })
})
