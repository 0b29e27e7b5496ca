import {describe, expect, it} from 'vitest'
import {
  AddressBook,
  agencyName,
  allocateCodeSlots,
  councilLevel1,
  identifierCode,
  provinceDomain,
  uniqueSlugs,
} from '../../src/registry/seed/conventions.js'
import {randomName} from '../../src/registry/seed/names.js'
import {Rng} from '../../src/registry/seed/prng.js'

const codes = (prefix: string, n: number) =>
  Array.from({length: n}, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`)

describe('identifier-code slots', () => {
  it('numbers districts from 21 and communes from 01 under their district, in code order', () => {
    const slots = allocateCodeSlots('36', {
      districts: [
        {code: '356', communes: ['13633', '13636']},
        {code: '358', communes: ['13708']},
      ],
      communes: [],
    })
    expect(Object.fromEntries(slots)).toEqual({
      '356': {y: 21, z: 0},
      '358': {y: 22, z: 0},
      '13633': {y: 21, z: 1},
      '13636': {y: 21, z: 2},
      '13708': {y: 22, z: 1},
    })
    expect(identifierCode(0, 2, 21, 'H40')).toBe('000.02.21.H40')
    expect(identifierCode(1, 0, 22, councilLevel1('H40'))).toBe('001.00.22.K40')
  })

  it('puts communes past the 99th of a district, and communes directly under the province, in extra groups of 99', () => {
    const slots = allocateCodeSlots('01', {
      districts: [
        {code: '001', communes: codes('1', 150)},
        {code: '002', communes: ['20001']},
      ],
      communes: codes('9', 100),
    })
    expect(slots.get('002')).toEqual({y: 22, z: 0})
    // The province's own communes: Y 23 (99 of them) and Y 24.
    expect(slots.get('9001')).toEqual({y: 23, z: 1})
    expect(slots.get('9099')).toEqual({y: 23, z: 99})
    expect(slots.get('9100')).toEqual({y: 24, z: 1})
    // District 001: its first 99 under Y 21, the rest under Y 25.
    expect(slots.get('1099')).toEqual({y: 21, z: 99})
    expect(slots.get('1100')).toEqual({y: 25, z: 1})
    expect(slots.get('1150')).toEqual({y: 25, z: 51})
    const all = [...slots.values()].map((s) => `${s.y}.${s.z}`)
    expect(new Set(all).size).toBe(all.length)
  })

  it('refuses a province that cannot be coded with two-digit levels', () => {
    const districts = codes('', 80).map((code) => ({code, communes: []}))
    expect(() => allocateCodeSlots('01', {districts, communes: []})).toThrow(
      /too many districts and communes/,
    )
  })
})

describe('names and addresses', () => {
  it('writes the unit type in lower case inside a body name', () => {
    expect(agencyName('ubnd', 'Xã Nghĩa Hưng')).toBe('Ủy ban nhân dân xã Nghĩa Hưng')
    expect(agencyName('so_tu_phap', 'Tỉnh Nam Định')).toBe('Sở Tư pháp tỉnh Nam Định')
    expect(agencyName('mttq', 'Thành phố Nam Định')).toBe(
      'Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Nam Định',
    )
  })

  it('derives the province domain from the folded proper name', () => {
    expect(provinceDomain('Tỉnh Nam Định')).toBe('namdinh.gov.vn')
    expect(provinceDomain('Tỉnh Bà Rịa - Vũng Tàu')).toBe('bariavungtau.gov.vn')
    expect(provinceDomain('Tỉnh Hoà Bình'.normalize('NFD'))).toBe('hoabinh.gov.vn')
  })

  it('suffixes repeated slugs 2, 3… in code order, whatever the input order', () => {
    const slugs = uniqueSlugs([
      {code: '14083', name: 'Xã Trực Hùng'},
      {code: '14050', name: 'Xã Trực Hưng'},
      {code: '14090', name: 'Xã Trực Hùng'.normalize('NFD')},
    ])
    expect(Object.fromEntries(slugs)).toEqual({
      '14050': 'truchung',
      '14083': 'truchung2',
      '14090': 'truchung3',
    })
  })

  it('hands out each address once per province', () => {
    const book = new AddressBook('namdinh.gov.vn')
    expect(book.take('nguyenvanan', 'myloc')).toBe('nguyenvanan.myloc@namdinh.gov.vn')
    expect(book.take('nguyenvanan', 'myloc')).toBe('nguyenvanan2.myloc@namdinh.gov.vn')
    expect(book.take('stttt')).toBe('stttt@namdinh.gov.vn')
  })
})

describe('the seeded generator', () => {
  it('repeats itself for the same seed and key', () => {
    const draw = (rng: Rng) => Array.from({length: 5}, () => randomName(rng).full)
    expect(draw(Rng.for(1, '13669'))).toEqual(draw(Rng.for(1, '13669')))
    expect(draw(Rng.for(2, '13669'))).not.toEqual(draw(Rng.for(1, '13669')))
  })

  it('gives NFC names whose folded form is lower-case ASCII', () => {
    const rng = Rng.for(1, 'names')
    for (let i = 0; i < 1000; i++) {
      const name = randomName(rng)
      expect(name.full).toBe(name.full.normalize('NFC'))
      expect(name.folded).toMatch(/^[a-z]+$/)
    }
  })
})
