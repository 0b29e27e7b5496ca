import {describe, expect, it} from 'vitest'
import {
  addressCandidates,
  bodyShort,
  expandAddressPattern,
  provinceDomain,
} from '../../src/naming/addresses.js'
import {formatIdentifierCode, parseIdentifierCode} from '../../src/naming/identifier-codes.js'
import {cleanText, fold, splitUnitName, unitSlug} from '../../src/naming/text.js'
import {usernameCandidates} from '../../src/naming/usernames.js'

describe('Vietnamese folding', () => {
  it('drops tone and vowel marks and turns đ into d', () => {
    expect(fold('Trần Hưng Đạo')).toBe('tranhungdao')
    expect(fold('Đặc khu Côn Đảo')).toBe('dackhucondao')
    expect(fold('Nghĩa Hưng')).toBe('nghiahung')
  })

  it('folds both tone placements the same (Hòa/Hoà, Thủy/Thuỷ)', () => {
    expect(fold('Hòa Bình')).toBe(fold('Hoà Bình'))
    expect(fold('Thủy Nguyên')).toBe(fold('Thuỷ Nguyên'))
    expect(unitSlug('Xã Hòa Hậu')).toBe(unitSlug('Xã Hoà Hậu'))
  })

  it('gives the same slug for NFD and NFC input', () => {
    const nfd = 'Phường Trần Hưng Đạo'.normalize('NFD')
    expect(nfd).not.toBe('Phường Trần Hưng Đạo')
    expect(unitSlug(nfd)).toBe('tranhungdao')
    expect(cleanText(nfd)).toBe('Phường Trần Hưng Đạo')
  })

  it('cleans stray whitespace, as in the official table', () => {
    expect(cleanText('  THÀNH PHỐ HÀ NỘI  ')).toBe('THÀNH PHỐ HÀ NỘI')
    expect(cleanText('Đặc khu Côn Đảo\n')).toBe('Đặc khu Côn Đảo')
    expect(cleanText('Nhập một  phần')).toBe('Nhập một phần')
  })
})

describe('unit names', () => {
  it('splits the type prefix from the proper name', () => {
    expect(splitUnitName('Phường Trần Hưng Đạo')).toEqual({type: 'Phường', proper: 'Trần Hưng Đạo'})
    expect(splitUnitName('Đặc khu Côn Đảo')).toEqual({type: 'Đặc khu', proper: 'Côn Đảo'})
    expect(splitUnitName('Thành phố Nam Định')).toEqual({type: 'Thành phố', proper: 'Nam Định'})
    expect(splitUnitName('Thị trấn Mỹ Lộc')).toEqual({type: 'Thị trấn', proper: 'Mỹ Lộc'})
  })

  it('keeps the type in slugs of numbered wards', () => {
    expect(unitSlug('Phường 1')).toBe('phuong1')
    expect(unitSlug('Đặc khu Côn Đảo')).toBe('condao')
  })
})

describe('official addresses', () => {
  it('expand the mapping pattern', () => {
    expect(
      expandAddressPattern('{body}.{unit}', {
        body: bodyShort('ubnd'),
        unit: 'tranhungdao',
        province: 'ninhbinh',
      }),
    ).toBe('ubnd.tranhungdao')
    expect(
      expandAddressPattern('{unit}.{district}', {
        body: 'ubnd',
        unit: 'tamgiang',
        district: 'yenphong',
        province: 'bacninh',
      }),
    ).toBe('tamgiang.yenphong')
  })

  it('drop an empty district rather than leave two dots once districts are abolished', () => {
    expect(
      expandAddressPattern('{unit}.{district}', {body: 'ubnd', unit: 'namdinh', province: 'ninhbinh'}),
    ).toBe('namdinh')
  })

  it('name the province domain from its folded name', () => {
    expect(provinceDomain('Tỉnh Nam Định')).toBe('namdinh.gov.vn')
    expect(provinceDomain('Tỉnh Ninh Bình')).toBe('ninhbinh.gov.vn')
  })

  it('number collisions deterministically: duplicate commune names in one province', () => {
    // Nam Định has two communes named Xã Hồng Quang and two named Xã Nam Điền (GSO list, January 2025).
    expect(addressCandidates('ubnd.hongquang', 'ninhbinh.gov.vn', 3)).toEqual([
      'ubnd.hongquang@ninhbinh.gov.vn',
      'ubnd.hongquang2@ninhbinh.gov.vn',
      'ubnd.hongquang3@ninhbinh.gov.vn',
    ])
  })
})

describe('identifier codes (QCVN 102)', () => {
  it('parse and format V1V2V3.Z1Z2.Y1Y2.MX1X2', () => {
    expect(parseIdentifierCode('000.00.00.H40')).toEqual({v: '000', z: '00', y: '00', m: 'H40'})
    expect(formatIdentifierCode({v: '000', z: '05', y: '21', m: 'H40'})).toBe('000.05.21.H40')
    expect(parseIdentifierCode('000.00.00.G22')?.m).toBe('G22')
  })

  it('reject malformed codes', () => {
    for (const bad of ['00.00.00.H40', '000.00.00.h40', '000.00.00.H4', '000-00-00-H40', '', null])
      expect(parseIdentifierCode(bad)).toBeNull()
  })
})

describe('recreated usernames', () => {
  it('replace the unit suffix and number later candidates', () => {
    expect(usernameCandidates('nguyenvana.13672', '13669', 3)).toEqual([
      'nguyenvana.13669',
      'nguyenvana2.13669',
      'nguyenvana3.13669',
    ])
    expect(usernameCandidates('admin', '13669', 1)).toEqual(['admin.13669'])
  })
})
