import {describe, expect, it} from 'vitest'
import {
  generateProvince,
  scaleCount,
  type SampleProvince,
  type SampleSink,
} from '../../src/registry/seed/sample.js'

/** A small province: two districts of three communes, and two communes directly under it. */
const PROVINCE: SampleProvince = {
  province: {code: '36', name: 'Tỉnh Nam Định'},
  districts: [
    {
      unit: {code: '356', name: 'Thành phố Nam Định'},
      communes: [
        {code: '13633', name: 'Phường Hạ Long'},
        {code: '13636', name: 'Phường Trần Tế Xương'},
        {code: '13639', name: 'Phường Vị Hoàng'},
      ],
    },
    {
      unit: {code: '358', name: 'Huyện Mỹ Lộc'},
      communes: [
        {code: '13708', name: 'Thị trấn Mỹ Lộc'},
        {code: '13711', name: 'Xã Mỹ Hà'},
        {code: '13714', name: 'Xã Mỹ Thắng'},
      ],
    },
  ],
  communes: [
    {code: '13717', name: 'Xã Mỹ Trung'},
    {code: '13720', name: 'Xã Mỹ Tân'},
  ],
}

interface Rows {
  agencies: unknown[][]
  codes: unknown[][]
  accounts: {system: string; username: string; agency: string; role: string}[]
  mailboxes: {address: string; kind: string}[]
  endpoints: unknown[][]
}

function generate(scale: number): Rows {
  const rows: Rows = {agencies: [], codes: [], accounts: [], mailboxes: [], endpoints: []}
  const sink: SampleSink = {
    agency: (...v) => rows.agencies.push(v),
    identifierCode: (...v) => rows.codes.push(v),
    account: (system, username, _holder, agency, role) =>
      rows.accounts.push({system, username, agency, role}),
    mailbox: (address, _name, kind) => rows.mailboxes.push({address, kind}),
    endpoint: (...v) => rows.endpoints.push(v),
  }
  for (const _ of generateProvince(PROVINCE, 'H40', 1, sink, scale));
  return rows
}

describe('seed --scale', () => {
  it('is the unscaled sample at scale 1', () => {
    expect(generate(1)).toEqual(generate(1))
    expect(scaleCount(47, 1, 5)).toBe(47)
    expect(scaleCount(47, 0.1, 5)).toBe(5)
    expect(scaleCount(47, 0.5, 5)).toBe(24)
    expect(scaleCount(47, 2, 5)).toBe(94)
    expect(scaleCount(0, 0.5, 1)).toBe(0)
  })

  it('multiplies the staff (accounts, personal mailboxes) and keeps agencies, codes, endpoints and official mailboxes', () => {
    const full = generate(1)
    for (const scale of [0.05, 0.5, 2]) {
      const scaled = generate(scale)
      expect(scaled.agencies).toEqual(full.agencies)
      expect(scaled.codes).toEqual(full.codes)
      expect(scaled.endpoints).toEqual(full.endpoints)
      const official = (r: Rows) => r.mailboxes.filter((m) => m.kind === 'official')
      expect(official(scaled)).toEqual(official(full))
      const ratio = scaled.accounts.length / full.accounts.length
      if (scale === 2) expect(ratio).toBeCloseTo(2, 0)
      if (scale === 0.5) expect(ratio).toBeCloseTo(0.5, 1)
      // Leaders are kept, so a small scale is not proportionally small.
      if (scale === 0.05) expect(ratio).toBeLessThan(0.25)
      expect(new Set(scaled.accounts.map((a) => `${a.system}/${a.username}`)).size).toBe(
        scaled.accounts.length,
      )
      expect(new Set(scaled.mailboxes.map((m) => m.address)).size).toBe(scaled.mailboxes.length)
    }
  })

  it('keeps every unit’s chairman on sso, qlvb and dvc, its vice-chairmen, clerk and administrator', () => {
    const rows = generate(0.05)
    const units = [
      '356',
      '358',
      ...PROVINCE.districts.flatMap((d) => d.communes.map((c) => c.code)),
      '13717',
      '13720',
    ]
    for (const unit of units) {
      const ubnd = `${unit}.ubnd`
      const roles = (system: string) =>
        rows.accounts.filter((a) => a.agency === ubnd && a.system === system).map((a) => a.role)
      for (const system of ['sso', 'qlvb', 'dvc'])
        expect(roles(system).filter((r) => r === 'chu_tich')).toHaveLength(1)
      expect(roles('sso')).toEqual(expect.arrayContaining(['pho_chu_tich', 'van_thu', 'quan_tri']))
    }
  })
})
