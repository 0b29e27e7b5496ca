import {describe, expect, it} from 'vitest'
import {resolveMapping, type ResolvedMapping} from '../../src/mapping/model.js'
import {MappingSchema, type MappingInput} from '../../src/mapping/schema.js'
import {planAccounts} from '../../src/plan/build/accounts.js'
import {planOfficialAddresses} from '../../src/plan/build/addresses.js'
import {planAgencies} from '../../src/plan/build/agencies.js'
import {planContext, type PlanContext} from '../../src/plan/build/context.js'
import {allocateIdentifierCodes, CodePool} from '../../src/plan/build/identifier-codes.js'
import {officialMailboxOperations} from '../../src/plan/build/mailboxes.js'
import {planUnits} from '../../src/plan/build/units.js'
import type {Snapshot} from '../../src/registry/snapshot.js'
import {account, agency, issued, official, unit} from '../helpers/snapshot-rows.js'

/**
 * Each phase of the planner on its own, over a piece of the real 2025 Ninh Bình merger: Phường Duy Tân
 * (13330) is formed from Phường Châu Giang (13330, keeps its code) and Xã Mộc Nam (13342), directly
 * under the province now that districts are gone.
 */
function snapshot(extra: Partial<Snapshot> = {}): Snapshot {
  return {
    units: [
      unit('35', 'Tỉnh Hà Nam', 'Tỉnh', 1, null),
      unit('37', 'Tỉnh Ninh Bình', 'Tỉnh', 1, null),
      unit('349', 'Thị xã Duy Tiên', 'Thị xã', 2, '35'),
      unit('13330', 'Phường Châu Giang', 'Phường', 3, '349'),
      unit('13342', 'Xã Mộc Nam', 'Xã', 3, '349'),
    ],
    agencies: [
      agency('37.ubnd', 'Ủy ban nhân dân tỉnh Ninh Bình', '000.00.00.H37', null),
      agency('349.ubnd', 'Ủy ban nhân dân thị xã Duy Tiên', '000.00.21.H35', null),
      agency('13330.ubnd', 'Ủy ban nhân dân phường Châu Giang', '000.01.21.H35', '349.ubnd'),
      agency('13330.hdnd', 'Hội đồng nhân dân phường Châu Giang', '001.01.21.H35', '13330.ubnd'),
      agency('13342.ubnd', 'Ủy ban nhân dân xã Mộc Nam', '000.02.21.H35', '349.ubnd'),
      agency('13342.hdnd', 'Hội đồng nhân dân xã Mộc Nam', '001.02.21.H35', '13342.ubnd'),
    ],
    accounts: [
      account('dvc', 'chutich.13330', '13330.ubnd', 'chu_tich'),
      account('dvc', 'chutich.13342', '13342.ubnd', 'chu_tich'),
      account('dvc', 'canbo.13342', '13342.ubnd', 'can_bo'),
      account('qlvb', 'vanthu.13342', '13342.ubnd', 'van_thu'),
    ],
    mailboxes: [
      official('ubnd.chaugiang.duytien@hanam.gov.vn', '13330.ubnd'),
      official('ubnd.mocnam.duytien@hanam.gov.vn', '13342.ubnd'),
    ],
    aliases: [],
    endpoints: [],
    codes: issued(['000.00.00.H37', '000.00.01.H37', '000.00.02.H37']),
    personalMailboxes: [],
    takenUsernames: [],
    takenAddresses: [],
    ...extra,
  }
}

function mapping(policies: MappingInput['policies'] = {}): ResolvedMapping {
  return resolveMapping(
    MappingSchema.parse({
      format: 'sapxep/mapping@1',
      decision: {number: '1674/NQ-UBTVQH15', effective: '2025-07-01', official: true},
      province: {code: '37', name: 'Tỉnh Ninh Bình'},
      abolish: ['district'],
      units: [
        {
          code: '37',
          name: 'Tỉnh Ninh Bình',
          type: 'Tỉnh',
          from: [{code: '35'}, {code: '37'}],
        },
        {
          code: '13330',
          name: 'Phường Duy Tân',
          type: 'Phường',
          from: [{code: '13330'}, {code: '13342'}],
        },
      ],
      policies: {accounts: {singleHolderRoles: ['chu_tich']}, ...policies},
    } satisfies MappingInput),
  )
}

/** The phases up to and including agencies, as buildMappingPlan runs them. */
function throughAgencies(m = mapping(), s = snapshot()) {
  const ctx = planContext(m, s, {})
  const units = planUnits(ctx)
  const agencies = planAgencies(ctx, units)
  return {ctx, units, agencies}
}

/** The operations of the kinds starting with `prefix`, as `kind key`, sorted. */
const kinds = (ctx: PlanContext, prefix = '') =>
  ctx.ops
    .filter((o) => o.op.startsWith(prefix))
    .map((o) => `${o.op} ${Object.values(o.key).join('/')}`)
    .sort()

describe('units phase', () => {
  it('renames the unit keeping its code, retires the merged one and the districts, under the province', () => {
    const {ctx, units} = throughAgencies()
    expect(kinds(ctx)).toEqual([
      'unit.retire 13342',
      'unit.retire 349',
      'unit.retire 35',
      'unit.update 13330',
    ])
    expect(units.after.get('13330')).toMatchObject({name: 'Phường Duy Tân', parent_code: '37'})
    expect(units.successors.get('13342')).toEqual([{code: '13330', isDefault: true}])
    expect(units.successors.get('349')).toEqual([{code: '37', isDefault: true}])
    expect(ctx.errors).toEqual([])
  })

  it('refuses expect counts that do not hold, and reports them as warnings when told to', () => {
    const m = {...mapping(), expect: {communes: 2}}
    const refused = planContext(m, snapshot(), {})
    planUnits(refused)
    expect(refused.errors).toEqual(['expect.communes is 2, but after this change province 37 has 1 commune'])
    const warned = planContext(m, snapshot(), {ignoreExpect: true})
    planUnits(warned)
    expect(warned.errors).toEqual([])
    expect(warned.warnings).toContain('expect.communes is 2, but after this change province 37 has 1 commune')
  })
})

describe('agencies phase', () => {
  it('keeps the agencies of the unit that keeps its code and retires the merged ones into them', () => {
    const {agencies} = throughAgencies()
    expect([...agencies.after.keys()].sort()).toEqual(['13330.hdnd', '13330.ubnd', '37.ubnd'])
    expect(Object.fromEntries(agencies.successor)).toEqual({
      '13342.hdnd': '13330.hdnd',
      '13342.ubnd': '13330.ubnd',
      '349.ubnd': '37.ubnd',
    })
    expect(agencies.after.get('13330.ubnd')?.parent_id).toBe('37.ubnd')
    expect(agencies.unitOf('13342.ubnd')).toBe('13330')
  })
})

describe('identifier codes', () => {
  it('gives a commune directly under the province a code in the first level-2 block never used under H37', () => {
    const {ctx, units, agencies} = throughAgencies()
    allocateIdentifierCodes(ctx, units, agencies)
    expect(ctx.errors).toEqual([])
    // Blocks 01 and 02 carry departments' codes (000.00.01.H37, 000.00.02.H37): 03 is the first free one.
    expect(agencies.after.get('13330.ubnd')?.identifier_code).toBe('000.01.03.H37')
    // The council keeps its level-4 number under its People's Committee's new levels.
    expect(agencies.after.get('13330.hdnd')?.identifier_code).toBe('001.01.03.H37')
  })

  it('says so, naming the agency, when no code is left', () => {
    const everyBlock = Array.from({length: 99}, (_, i) => `000.00.${String(i + 1).padStart(2, '0')}.H37`)
    const {ctx, units, agencies} = throughAgencies(mapping(), snapshot({codes: issued(everyBlock)}))
    allocateIdentifierCodes(ctx, units, agencies)
    expect(ctx.errors).toEqual(['no free identifier code left for 13330.ubnd under H37'])
  })

  it('asks for a level-1 code when the province has none to inherit, naming the province', () => {
    const s = snapshot()
    s.agencies = s.agencies.filter((a) => a.id !== '37.ubnd')
    const {ctx, units, agencies} = throughAgencies(mapping(), s)
    allocateIdentifierCodes(ctx, units, agencies)
    expect(ctx.errors).toEqual([
      expect.stringMatching(/^no level-1 identifier code for province 37: .* 37\.ubnd/),
    ])
  })

  describe('CodePool', () => {
    it('hands out fresh blocks 01..99 in order, skipping blocks in use and tails ever issued', () => {
      // Blocks 01 and 02 have codes under H37 (a department, a district's commune): they are not fresh.
      const pool = new CodePool(['000.00.01.H37', '000.01.02.H37', '000.05.09.H40'], 'H37')
      expect(pool.nextFreshPair()).toEqual({y: '03', z: '01'})
      // A code taken in the block being filled is not handed out again.
      pool.take({v: '000', z: '02', y: '03', m: 'H37'})
      expect(pool.nextFreshPair()).toEqual({y: '03', z: '03'})
      const z = Array.from({length: 96}, () => pool.nextFreshPair()!.z)
      expect(z.at(-1)).toBe('99')
      expect(pool.nextFreshPair()).toEqual({y: '04', z: '01'})
      // Codes under another level-1 code take nothing from this one.
      expect(new CodePool(['000.05.01.H40'], 'H37').nextFreshPair()).toEqual({y: '01', z: '01'})
    })

    it('runs out: no fresh block, no number under a district, no agency number', () => {
      const all = (f: (n: string) => string) =>
        Array.from({length: 99}, (_, i) => f(String(i + 1).padStart(2, '0')))
      expect(
        new CodePool(
          all((y) => `000.00.${y}.H37`),
          'H37',
        ).nextFreshPair(),
      ).toBeNull()
      expect(
        new CodePool(
          all((z) => `000.${z}.21.H37`),
          'H37',
        ).nextUnder('21'),
      ).toBeNull()
      expect(
        new CodePool(
          all((z) => `000.${z}.21.H37`),
          'H37',
        ).nextUnder('22'),
      ).toEqual({y: '22', z: '01'})
      const agencyNumbers = Array.from({length: 998}, (_, i) => `${String(i + 1).padStart(3, '0')}.01.21.H37`)
      const pool = new CodePool(agencyNumbers, 'H37')
      expect(pool.agencyNumber({v: '000', z: '01', y: '21', m: 'H37'}, '001')).toBeUndefined()
    })

    it('never hands out a code twice', () => {
      const pool = new CodePool([], 'H37')
      expect(pool.take({v: '001', z: '01', y: '21', m: 'H37'})).toBe('001.01.21.H37')
      expect(pool.agencyNumber({v: '000', z: '01', y: '21', m: 'H37'}, '001')).toBe('002')
      expect(pool.nextUnder('21')).toEqual({y: '21', z: '02'})
    })
  })
})

describe('official addresses and mailboxes', () => {
  it('makes the pattern address of the new name, numbered when taken, and aliases the old addresses', () => {
    const {ctx, units, agencies} = throughAgencies(
      mapping(),
      snapshot({takenAddresses: ['ubnd.duytan@ninhbinh.gov.vn']}),
    )
    allocateIdentifierCodes(ctx, units, agencies)
    const mail = planOfficialAddresses(ctx, units, agencies)
    expect(mail.addressAfter.get('13330.ubnd')).toBe('ubnd.duytan2@ninhbinh.gov.vn')
    expect(ctx.candidates.addresses).toContain('ubnd.duytan@ninhbinh.gov.vn')
    ctx.ops.length = 0
    officialMailboxOperations(ctx, agencies, mail)
    expect(kinds(ctx)).toEqual([
      'alias.create ubnd.chaugiang.duytien@hanam.gov.vn',
      'alias.create ubnd.mocnam.duytien@hanam.gov.vn',
      'mailbox.create ubnd.duytan2@ninhbinh.gov.vn',
      'mailbox.suspend ubnd.chaugiang.duytien@hanam.gov.vn',
      'mailbox.suspend ubnd.mocnam.duytien@hanam.gov.vn',
    ])
    const alias = ctx.ops.find((o) => o.op === 'alias.create')!
    expect(alias.after).toEqual({mailbox_address: 'ubnd.duytan2@ninhbinh.gov.vn', valid_until: '2026-07-01'})
  })
})

describe('accounts phase', () => {
  it('reassigns by default and keeps one chairman: the one of the unit that keeps its code', () => {
    const {ctx, agencies} = throughAgencies()
    planAccounts(ctx, agencies)
    expect(kinds(ctx, 'account.')).toEqual([
      'account.disable dvc/chutich.13342',
      'account.reassign dvc/canbo.13342',
      'account.reassign qlvb/vanthu.13342',
    ])
    const disabled = ctx.ops.find((o) => o.op === 'account.disable')!
    expect(disabled.after.reason).toBe(
      '1674/NQ-UBTVQH15 (in force 2025-07-01): role chu_tich at 13330.ubnd kept by chutich.13330',
    )
  })

  it('recreates per system when the policy says so, disabling the old account and linking it', () => {
    const {ctx, agencies} = throughAgencies(mapping({accounts: {systems: {qlvb: {default: 'recreate'}}}}))
    const outcome = planAccounts(ctx, agencies)
    expect(kinds(ctx)).toContain('account.create qlvb/vanthu.13330')
    expect(outcome.recreatedAs.get('qlvb/vanthu.13342')).toBe('vanthu.13330')
    expect(ctx.ops.find((o) => o.op === 'account.disable' && o.key.system === 'qlvb')?.after).toMatchObject({
      successor_username: 'vanthu.13330',
    })
  })

  it('lets an override keep the role for the other chairman', () => {
    const m = mapping({
      accounts: {
        singleHolderRoles: ['chu_tich'],
        overrides: [{system: 'dvc', username: 'chutich.13342', action: 'reassign'}],
      },
    })
    const {ctx, agencies} = throughAgencies(m)
    planAccounts(ctx, agencies)
    expect(kinds(ctx)).toContain('account.disable dvc/chutich.13330')
    expect(kinds(ctx)).toContain('account.reassign dvc/chutich.13342')
  })
})
