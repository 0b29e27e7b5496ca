import {describe, expect, it} from 'vitest'
import {resolveMapping, type ResolvedMapping} from '../../src/mapping/model.js'
import {MappingSchema, type MappingInput as MappingFileInput} from '../../src/mapping/schema.js'
import {buildMappingPlan} from '../../src/plan/build/index.js'
import {planDigest} from '../../src/plan/file.js'
import {assemblePlan, type MappingInput, type PlannedMapping} from '../../src/plan/plan.js'
import {normalizeSnapshot, type Snapshot} from '../../src/registry/snapshot.js'
import {account, agency, unit} from '../helpers/snapshot-rows.js'

/**
 * A small piece of the real 2024 Nam Định merger: Thị trấn Mỹ Lộc (13708) and Xã Mỹ Hưng (13729) became
 * Phường Hưng Lộc (13708) under Thành phố Nam Định (356); Huyện Mỹ Lộc (358) merged into 356.
 */
function snapshot(): Snapshot {
  return {
    units: [
      unit('36', 'Tỉnh Nam Định', 'Tỉnh', 1, null),
      unit('356', 'Thành phố Nam Định', 'Thành phố', 2, '36'),
      unit('358', 'Huyện Mỹ Lộc', 'Huyện', 2, '36'),
      unit('13708', 'Thị trấn Mỹ Lộc', 'Thị trấn', 3, '358'),
      unit('13729', 'Xã Mỹ Hưng', 'Xã', 3, '358'),
    ],
    agencies: [
      agency('36.ubnd', 'Ủy ban nhân dân Tỉnh Nam Định', '000.00.00.H40', null),
      agency('356.ubnd', 'Ủy ban nhân dân Thành phố Nam Định', '000.00.21.H40', '36.ubnd'),
      agency('358.ubnd', 'Ủy ban nhân dân Huyện Mỹ Lộc', '000.00.22.H40', '36.ubnd'),
      agency('13708.ubnd', 'Ủy ban nhân dân Thị trấn Mỹ Lộc', '000.01.22.H40', '358.ubnd'),
      agency('13729.ubnd', 'Ủy ban nhân dân Xã Mỹ Hưng', '000.02.22.H40', '358.ubnd'),
    ],
    accounts: [
      account('dvc', 'tranvana.13708', '13708.ubnd', 'chu_tich'),
      account('dvc', 'levanb.13729', '13729.ubnd', 'chu_tich'),
      account('dvc', 'phamthic.13729', '13729.ubnd', 'can_bo'),
      account('qlvb', 'phamthic.13729', '13729.ubnd', 'van_thu'),
    ],
    mailboxes: [
      {
        address: 'mylocthitran.myloc@namdinh.gov.vn',
        display_name: 'UBND Thị trấn Mỹ Lộc',
        kind: 'official',
        owner_agency_id: '13708.ubnd',
        owner_system: null,
        owner_username: null,
        status: 'active',
      },
      {
        address: 'myhung.myloc@namdinh.gov.vn',
        display_name: 'UBND Xã Mỹ Hưng',
        kind: 'official',
        owner_agency_id: '13729.ubnd',
        owner_system: null,
        owner_username: null,
        status: 'active',
      },
    ],
    aliases: [],
    endpoints: [
      {
        axis: 'national',
        agency_code: '000.02.22.H40',
        parent_code: '000.00.22.H40',
        agency_id: '13729.ubnd',
        name: 'UBND Xã Mỹ Hưng',
        mail: 'myhung.myloc@namdinh.gov.vn',
        status: 'registered',
      },
    ],
    codes: [
      '000.00.00.H40',
      '000.00.21.H40',
      '000.00.22.H40',
      '000.01.22.H40',
      '000.02.22.H40',
      '000.01.21.H40',
    ].map((code) => ({
      code,
      agency_id: '-',
      status: 'issued' as const,
      issued_on: null,
      stopped_on: null,
    })),
    personalMailboxes: [],
    takenUsernames: [],
    takenAddresses: ['ubnd.hungloc@namdinh.gov.vn'],
  }
}

const planned = (input: MappingInput, s: Snapshot): PlannedMapping => {
  const rows = normalizeSnapshot(s)
  const part = buildMappingPlan(input.mapping, rows)
  const reads = {level1: [], usernames: [], addresses: part.candidates.addresses, owners: []}
  return {part, reads}
}

type AccountsPolicy = NonNullable<NonNullable<MappingFileInput['policies']>['accounts']>

/** The mapping as a file states it, resolved the way the validator and the planner resolve it. */
function mapping(overrides: AccountsPolicy = {}): ResolvedMapping {
  return resolveMapping(
    MappingSchema.parse({
      format: 'sapxep/mapping@1',
      decision: {number: '1104/NQ-UBTVQH15', effective: '2024-09-01', official: true},
      province: {code: '36', name: 'Tỉnh Nam Định'},
      scope: 'partial',
      units: [
        {
          code: '356',
          name: 'Thành phố Nam Định',
          type: 'Thành phố',
          parent: '36',
          from: [{code: '356'}, {code: '358'}],
        },
        {
          code: '13708',
          name: 'Phường Hưng Lộc',
          type: 'Phường',
          parent: '356',
          from: [{code: '13708'}, {code: '13729'}],
        },
      ],
      policies: {
        accounts: {default: 'reassign', singleHolderRoles: ['chu_tich'], ...overrides},
        mail: {domain: 'namdinh.gov.vn'},
      },
    } satisfies MappingFileInput),
  )
}

const ops = (m = mapping(), s = snapshot()) => {
  const part = buildMappingPlan(m, s)
  expect(part.errors).toEqual([])
  return part.operations
}
const find = (list: ReturnType<typeof ops>, op: string, key: Record<string, string>) =>
  list.filter((o) => o.op === op && Object.entries(key).every(([k, v]) => o.key[k] === v))

describe('buildMappingPlan', () => {
  it('renames, retypes and re-parents the surviving unit and retires the merged ones with successors', () => {
    const list = ops()
    expect(find(list, 'unit.update', {code: '13708'})[0]).toMatchObject({
      before: {name: 'Thị trấn Mỹ Lộc', type: 'Thị trấn', parent_code: '358'},
      after: {name: 'Phường Hưng Lộc', type: 'Phường', parent_code: '356'},
    })
    expect(find(list, 'unit.retire', {code: '13729'})[0].after).toMatchObject({
      status: 'retired',
      default_successor: '13708',
    })
    expect(find(list, 'unit.retire', {code: '358'})[0].after).toMatchObject({default_successor: '356'})
  })

  it('merges the retired People’s Committee into the successor and renames the survivor’s', () => {
    const list = ops()
    expect(find(list, 'agency.retire', {id: '13729.ubnd'})[0].after).toEqual({
      status: 'retired',
      successor_id: '13708.ubnd',
    })
    expect(find(list, 'agency.update', {id: '13708.ubnd'})[0].after).toMatchObject({
      name: 'Ủy ban nhân dân phường Hưng Lộc',
      parent_id: '356.ubnd',
    })
  })

  it('gives a re-parented commune a new identifier code under its new district, never a code issued before', () => {
    const list = ops()
    // 000.01.21.H40 was issued once (to someone else): the next free number under district Y=21 is 02.
    expect(find(list, 'code.issue', {code: '000.02.21.H40'})).toHaveLength(1)
    expect(find(list, 'code.stop', {code: '000.01.22.H40'})).toHaveLength(1)
    expect(find(list, 'code.stop', {code: '000.02.22.H40'})).toHaveLength(1)
    expect(find(list, 'endpoint.unregister', {agency_code: '000.02.22.H40'})).toHaveLength(1)
  })

  it('keeps one holder of a single-holder role: the one of the unit that keeps its code', () => {
    const list = ops()
    expect(find(list, 'account.reassign', {username: 'levanb.13729'})).toHaveLength(0)
    const disabled = find(list, 'account.disable', {username: 'levanb.13729'})[0]
    expect(disabled.after.reason).toMatch(/role chu_tich at 13708\.ubnd kept by tranvana\.13708/)
    expect(find(list, 'account.reassign', {system: 'dvc', username: 'phamthic.13729'})[0].after).toEqual({
      agency_id: '13708.ubnd',
    })
  })

  it('lets an override decide who keeps the role', () => {
    const list = ops(mapping({overrides: [{system: 'dvc', username: 'levanb.13729', action: 'reassign'}]}))
    expect(find(list, 'account.reassign', {username: 'levanb.13729'})).toHaveLength(1)
    expect(find(list, 'account.disable', {username: 'tranvana.13708'})).toHaveLength(1)
  })

  it('recreates accounts in the successor with a unique username and links the old one', () => {
    const list = ops(mapping({systems: {qlvb: {default: 'recreate'}}}))
    expect(find(list, 'account.create', {system: 'qlvb', username: 'phamthic.13708'})[0].after).toMatchObject(
      {agency_id: '13708.ubnd', role: 'van_thu', status: 'active'},
    )
    expect(
      find(list, 'account.disable', {system: 'qlvb', username: 'phamthic.13729'})[0].after,
    ).toMatchObject({successor_username: 'phamthic.13708'})
  })

  it('makes official addresses by the pattern, skipping one that ever existed, and keeps old ones as aliases', () => {
    const list = ops()
    // ubnd.hungloc@ was used once: the next candidate is taken.
    expect(find(list, 'mailbox.create', {address: 'ubnd.hungloc2@namdinh.gov.vn'})).toHaveLength(1)
    expect(find(list, 'alias.create', {alias: 'mylocthitran.myloc@namdinh.gov.vn'})[0].after).toEqual({
      mailbox_address: 'ubnd.hungloc2@namdinh.gov.vn',
      valid_until: '2025-09-01',
    })
    expect(find(list, 'alias.create', {alias: 'myhung.myloc@namdinh.gov.vn'})[0].after.mailbox_address).toBe(
      'ubnd.hungloc2@namdinh.gov.vn',
    )
    expect(find(list, 'mailbox.suspend', {address: 'myhung.myloc@namdinh.gov.vn'})).toHaveLength(1)
  })

  it('refuses to bring back a retired code', () => {
    const s = snapshot()
    s.units.find((u) => u.code === '13708')!.status = 'retired'
    expect(buildMappingPlan(mapping(), s).errors).toEqual([expect.stringMatching(/13708 .* was retired/)])
  })

  it('checks expect counts', () => {
    const m = {...mapping(), expect: {communes: 2}}
    expect(buildMappingPlan(m, snapshot()).errors).toEqual([
      'expect.communes is 2, but after this change province 36 has 1 commune',
    ])
  })

  it('is deterministic: the same inputs give the same digest, in any input order', () => {
    const input = {file: 'm.yaml', digest: 'sha256:x', mapping: mapping()}
    const fingerprint = {tables: {units: 'sha256:x'}, groups: {}, rows: 1}
    const a = assemblePlan([input], [planned(input, snapshot())], '0.1.0', fingerprint)
    const shuffled = snapshot()
    shuffled.accounts.reverse()
    shuffled.agencies.reverse()
    const b = assemblePlan([input], [planned(input, shuffled)], '0.1.0', fingerprint)
    expect(planDigest(b)).toBe(planDigest(a))
  })

  it('plans nothing once the mapping has been applied', () => {
    const s = snapshot()
    s.units = s.units.map((u) =>
      u.code === '13708'
        ? {...u, name: 'Phường Hưng Lộc', type: 'Phường', parent_code: '356'}
        : u.code === '13729' || u.code === '358'
          ? {...u, status: 'retired'}
          : u,
    )
    s.agencies = s.agencies.filter((a) => a.unit_code !== '13729' && a.unit_code !== '358')
    s.agencies = s.agencies.map((a) =>
      a.id === '13708.ubnd'
        ? {
            ...a,
            name: 'Ủy ban nhân dân phường Hưng Lộc',
            parent_id: '356.ubnd',
            identifier_code: '000.02.21.H40',
          }
        : a,
    )
    s.mailboxes = [
      {
        address: 'ubnd.hungloc2@namdinh.gov.vn',
        display_name: 'Ủy ban nhân dân phường Hưng Lộc',
        kind: 'official',
        owner_agency_id: '13708.ubnd',
        owner_system: null,
        owner_username: null,
        status: 'active',
      },
    ]
    s.accounts = s.accounts.filter((a) => a.agency_id === '13708.ubnd')
    s.endpoints = []
    s.codes.push({
      code: '000.02.21.H40',
      agency_id: '13708.ubnd',
      status: 'issued',
      issued_on: null,
      stopped_on: null,
    })
    expect(ops(mapping(), s)).toEqual([])
  })
})
