/**
 * Synthetic plans for renderer and approval tests: a small one with realistic Ninh Bình 2025 units,
 * agencies, accounts and mailboxes (a split ward included), one full of hostile strings, and a national
 * one of about a million operations. The summary is the product's own (`summarize`).
 */
import {signPlanDigest} from '../../src/plan/file.js'
import {summarize} from '../../src/plan/summary.js'
import {resolveMapping, type ResolvedMapping} from '../../src/mapping/model.js'
import {MappingSchema} from '../../src/mapping/schema.js'
import {
  PLAN_FORMAT_VERSION,
  type Operation,
  type Plan,
  type PlanUnitSummary,
  type SignedPlan,
} from '../../src/plan/types.js'

export const DECISION = {
  number: '1674/NQ-UBTVQH15',
  effective: '2025-07-01',
  title: 'Sắp xếp các đơn vị hành chính cấp xã của tỉnh Ninh Bình năm 2025',
  official: true,
}

export function makePlan(
  units: PlanUnitSummary[],
  operations: Operation[],
  extra: Partial<Plan> = {},
): SignedPlan {
  const mapping = {file: MAPPING_FILE, digest: MAPPING_DIGEST, decision: DECISION}
  const province = {code: '37', name: 'Tỉnh Ninh Bình'}
  const plan: Plan = {
    format_version: PLAN_FORMAT_VERSION,
    tool: {name: 'sapxep', version: '0.1.0'},
    mapping,
    province,
    mappings: [{...mapping, province, resolved: resolvedMapping(units)}],
    fingerprint: {
      tables: {units: 'sha256:00', accounts: 'sha256:01'},
      groups: {},
      rows: operations.length,
    },
    reads: {level1: ['H40'], usernames: [], addresses: [], owners: []},
    units,
    warnings: [],
    summary: summarize(operations),
    operations,
    ...extra,
  }
  return signPlanDigest(plan)
}

const MAPPING_FILE = 'mappings/ninh-binh-2025.yaml'
const MAPPING_DIGEST = 'sha256:5d1c0e4a9b7f3e2d6c8a1b0f4e7d9c2a3b5e6f708192a3b4c5d6e7f8091a2b3c'

/** The mapping as the plan records it, resolved the way the planner resolves a file. */
function resolvedMapping(units: PlanUnitSummary[]): ResolvedMapping {
  return resolveMapping(
    MappingSchema.parse({
      format: 'sapxep/mapping@1',
      decision: DECISION,
      province: {code: '37', name: 'Tỉnh Ninh Bình'},
      scope: 'partial',
      abolish: ['district'],
      units: units.map((u) => ({
        code: u.code,
        name: u.name,
        type: u.type,
        parent: '37',
        from: u.sources.map(({code, share, isDefault}) => ({
          code,
          share,
          ...(share === 'part' && isDefault ? {default: true} : {}),
        })),
      })),
      policies: {
        accounts: {default: 'reassign', singleHolderRoles: ['chairman']},
        mail: {domain: 'ninhbinh.gov.vn', pattern: 'ubnd.{unit}', aliasMonths: 6},
        identifierCodes: {level1: 'H21'},
      },
    }),
  )
}

const NOTE_CHAIR = 'chairman: one per unit, the surviving unit keeps its holder'
const REASON = 'NQ 1674/NQ-UBTVQH15'

/** Old unit `13636` Phường Trần Tế Xương is divided between 13669 (default successor) and 13684. */
export function samplePlan(opts: {reassignPerUnit?: number} = {}): SignedPlan {
  const reassign = opts.reassignPerUnit ?? 25
  const units: PlanUnitSummary[] = [
    {
      code: '13669',
      name: 'Phường Nam Định',
      type: 'Phường',
      level: 3,
      change: 'update',
      sources: [
        {code: '13669', name: 'Phường Cửa Bắc', share: 'whole', isDefault: false},
        {code: '13633', name: 'Phường Hạ Long', share: 'whole', isDefault: false},
        {code: '13636', name: 'Phường Trần Tế Xương', share: 'part', isDefault: true},
      ],
    },
    {
      code: '13684',
      name: 'Phường Thiên Trường',
      type: 'Phường',
      level: 3,
      change: 'update',
      sources: [
        {code: '13684', name: 'Phường Lộc Hạ', share: 'whole', isDefault: false},
        {code: '13720', name: 'Xã Mỹ Trung', share: 'whole', isDefault: false},
        {code: '13636', name: 'Phường Trần Tế Xương', share: 'part', isDefault: false},
      ],
    },
    {
      code: '14488',
      name: 'Xã Gia Vân',
      type: 'Xã',
      level: 3,
      change: 'keep',
      sources: [{code: '14488', name: 'Xã Gia Vân', share: 'whole', isDefault: false}],
    },
  ]
  const ops: Operation[] = []
  const add = (o: Operation) => ops.push(o)
  // 13669 Phường Nam Định: keeps Cửa Bắc's code, absorbs Hạ Long and most of Trần Tế Xương.
  add({
    op: 'unit.update',
    key: {code: '13669'},
    unit: '13669',
    before: {name: 'Phường Cửa Bắc', parent_code: '356'},
    after: {name: 'Phường Nam Định', parent_code: '37'},
  })
  add({
    op: 'unit.retire',
    key: {code: '13633'},
    unit: '13669',
    before: {status: 'active', valid_to: null},
    after: {status: 'retired', valid_to: '2025-07-01'},
  })
  add({
    op: 'unit.retire',
    key: {code: '13636'},
    unit: '13669',
    before: {status: 'active', valid_to: null},
    after: {status: 'retired', valid_to: '2025-07-01'},
  })
  add({
    op: 'agency.update',
    key: {id: 'ubnd-13669'},
    unit: '13669',
    before: {name: 'UBND phường Cửa Bắc', identifier_code: '000.01.21.H40'},
    after: {name: 'UBND phường Nam Định', identifier_code: '000.13.00.H21'},
  })
  add({
    op: 'agency.retire',
    key: {id: 'ubnd-13633'},
    unit: '13669',
    before: {status: 'active', successor_id: null},
    after: {status: 'retired', successor_id: 'ubnd-13669'},
  })
  add({
    op: 'code.stop',
    key: {code: '000.01.21.H40'},
    unit: '13669',
    before: {status: 'issued', stopped_on: null},
    after: {status: 'stopped', stopped_on: '2025-07-01'},
  })
  add({
    op: 'code.stop',
    key: {code: '000.03.21.H40'},
    unit: '13669',
    before: {status: 'issued', stopped_on: null},
    after: {status: 'stopped', stopped_on: '2025-07-01'},
  })
  add({
    op: 'code.issue',
    key: {code: '000.13.00.H21'},
    unit: '13669',
    after: {agency_id: 'ubnd-13669', status: 'issued', issued_on: '2025-07-01'},
  })
  add({
    op: 'endpoint.unregister',
    key: {axis: 'provincial', agency_code: '000.01.21.H40'},
    unit: '13669',
    before: {status: 'registered'},
    after: {status: 'unregistered'},
  })
  add({
    op: 'endpoint.register',
    key: {axis: 'provincial', agency_code: '000.13.00.H21'},
    unit: '13669',
    after: {
      agency_id: 'ubnd-13669',
      name: 'UBND phường Nam Định',
      parent_code: '000.00.00.H21',
      mail: 'ubnd.namdinh@ninhbinh.gov.vn',
      status: 'registered',
    },
  })
  add({
    op: 'account.create',
    key: {system: 'dvc', username: 'ubnd.namdinh'},
    unit: '13669',
    after: {holder: 'UBND phường Nam Định', agency_id: 'ubnd-13669', role: 'admin', status: 'active'},
  })
  for (let i = 1; i <= reassign; i++)
    add({
      op: 'account.reassign',
      key: {system: 'dvc', username: `halong.cb${String(i).padStart(2, '0')}`},
      unit: '13669',
      before: {agency_id: 'ubnd-13633'},
      after: {agency_id: 'ubnd-13669'},
    })
  add({
    op: 'account.reassign',
    key: {system: 'qlvb', username: 'nguyenthilan'},
    unit: '13669',
    before: {agency_id: 'ubnd-13633'},
    after: {agency_id: 'ubnd-13669'},
  })
  add({
    op: 'account.disable',
    key: {system: 'qlvb', username: 'halong.chutich'},
    unit: '13669',
    before: {status: 'active', reason: null},
    after: {status: 'disabled', reason: REASON},
    note: NOTE_CHAIR,
  })
  add({
    op: 'mailbox.create',
    key: {address: 'ubnd.namdinh@ninhbinh.gov.vn'},
    unit: '13669',
    after: {
      display_name: 'UBND phường Nam Định',
      kind: 'official',
      owner_agency_id: 'ubnd-13669',
      status: 'active',
    },
  })
  add({
    op: 'mailbox.suspend',
    key: {address: 'ubnd.halong@namdinh.gov.vn'},
    unit: '13669',
    before: {status: 'active'},
    after: {status: 'suspended'},
  })
  add({
    op: 'alias.create',
    key: {alias: 'ubnd.cuabac@namdinh.gov.vn'},
    unit: '13669',
    after: {mailbox_address: 'ubnd.namdinh@ninhbinh.gov.vn', valid_until: '2026-01-01'},
  })
  // 13684 Phường Thiên Trường: keeps Lộc Hạ's code, absorbs Mỹ Trung and the rest of Trần Tế Xương.
  add({
    op: 'unit.update',
    key: {code: '13684'},
    unit: '13684',
    before: {name: 'Phường Lộc Hạ', parent_code: '356'},
    after: {name: 'Phường Thiên Trường', parent_code: '37'},
  })
  add({
    op: 'unit.retire',
    key: {code: '13720'},
    unit: '13684',
    before: {status: 'active', valid_to: null},
    after: {status: 'retired', valid_to: '2025-07-01'},
  })
  add({
    op: 'account.reassign',
    key: {system: 'qlvb', username: 'mytrung.vanthu'},
    unit: '13684',
    before: {agency_id: 'ubnd-13720'},
    after: {agency_id: 'ubnd-13684'},
  })
  add({
    op: 'account.disable',
    key: {system: 'ecert', username: 'mytrung.ct'},
    unit: '13684',
    before: {status: 'active', reason: null},
    after: {status: 'disabled', reason: REASON},
  })
  add({
    op: 'mailbox.create',
    key: {address: 'ubnd.thientruong@ninhbinh.gov.vn'},
    unit: '13684',
    after: {
      display_name: 'UBND phường Thiên Trường',
      kind: 'official',
      owner_agency_id: 'ubnd-13684',
      status: 'active',
    },
  })
  return makePlan(units, ops, {
    warnings: [
      '13636 Phường Trần Tế Xương is divided: its agencies and accounts follow the default successor 13669',
    ],
  })
}

export const HOSTILE = {
  unitName: 'Phường <script>alert(1)</script> | `x` *y* @everyone',
  holder: '</script><img src=x onerror=alert(1)>',
  username: 'evil\u001b[31mred\u001b[0m\nline\u2028sep',
}

export function hostilePlan(): SignedPlan {
  const units: PlanUnitSummary[] = [
    {
      code: '13669',
      name: HOSTILE.unitName,
      type: 'Phường',
      level: 3,
      change: 'update',
      sources: [
        {code: '13633', name: '[link](javascript:alert(1)) <b>bold</b>', share: 'part', isDefault: true},
      ],
    },
  ]
  const ops: Operation[] = [
    {
      op: 'unit.update',
      key: {code: '13669'},
      unit: '13669',
      before: {name: 'Phường Cửa Bắc'},
      after: {name: HOSTILE.unitName},
    },
    {
      op: 'account.create',
      key: {system: 'dvc', username: HOSTILE.username},
      unit: '13669',
      after: {holder: HOSTILE.holder, agency_id: 'ubnd-13669', role: 'admin', status: 'active'},
      note: '```\n# injected',
    },
  ]
  return makePlan(units, ops, {warnings: ['<script>alert("warning")</script>']})
}

/**
 * A national-scale plan: `units` new units of a few old communes each and `operations` operations,
 * mostly account re-pointing, in the proportions of the 2025 reform. Deterministic.
 */
export function nationalPlan(opts: {units?: number; operations?: number; sign?: boolean} = {}): SignedPlan {
  const nUnits = opts.units ?? 3321
  const nOps = opts.operations ?? 1_000_000
  const names = [
    'Hòa Bình',
    'Nghĩa Hưng',
    'Trực Ninh',
    'Hải Hậu',
    'Xuân Trường',
    'Giao Thủy',
    'Ý Yên',
    'Vụ Bản',
    'Mỹ Lộc',
    'Nam Trực',
  ]
  const units: PlanUnitSummary[] = []
  for (let u = 0; u < nUnits; u++) {
    const code = String(10000 + u * 3).padStart(5, '0')
    const sources: PlanUnitSummary['sources'] = [
      {code, name: `Xã ${names[u % 10]} ${u}`, share: 'whole', isDefault: false},
      {
        code: String(10001 + u * 3).padStart(5, '0'),
        name: `Xã ${names[(u + 3) % 10]} ${u}`,
        share: 'whole',
        isDefault: false,
      },
    ]
    if (u % 3 === 0)
      sources.push({
        code: String(10002 + u * 3).padStart(5, '0'),
        name: `Thị trấn ${names[(u + 5) % 10]} ${u}`,
        share: 'part',
        isDefault: true,
      })
    if (u % 3 === 1)
      sources.push({
        code: String(10002 + (u - 1) * 3).padStart(5, '0'),
        name: `Thị trấn ${names[(u + 4) % 10]} ${u - 1}`,
        share: 'part',
        isDefault: false,
      })
    units.push({code, name: `Xã ${names[u % 10]} Mới ${u}`, type: 'Xã', level: 3, change: 'update', sources})
  }
  const systems = ['dvc', 'qlvb', 'ecert', 'reporting', 'feedback', 'sso']
  const ops: Operation[] = new Array(nOps)
  const perUnit = Math.ceil(nOps / nUnits)
  for (let i = 0; i < nOps; i++) {
    const u = Math.floor(i / perUnit)
    const unit = units[u].code
    const j = i % perUnit
    const sys = systems[j % systems.length]
    if (j === 0)
      ops[i] = {
        op: 'unit.update',
        key: {code: unit},
        unit,
        before: {name: units[u].sources[0].name},
        after: {name: units[u].name},
      }
    else if (j < 3)
      ops[i] = {
        op: 'unit.retire',
        key: {code: units[u].sources[j - 1].code},
        unit,
        before: {status: 'active', valid_to: null},
        after: {status: 'retired', valid_to: '2025-07-01'},
      }
    else if (j < 6)
      ops[i] = {
        op: 'code.stop',
        key: {code: `000.${String(j).padStart(2, '0')}.${String(u % 100).padStart(2, '0')}.H40`},
        unit,
        before: {status: 'issued'},
        after: {status: 'stopped'},
      }
    else if (j < 20)
      ops[i] = {
        op: 'mailbox.create',
        key: {address: `ubnd.xa${u}.${j}@ninhbinh.gov.vn`},
        unit,
        after: {display_name: `UBND ${units[u].name}`, kind: 'official', status: 'active'},
      }
    else if (j % 10 === 0)
      ops[i] = {
        op: 'account.disable',
        key: {system: sys, username: `u${u}.cb${j}`},
        unit,
        before: {status: 'active', reason: null},
        after: {status: 'disabled', reason: REASON},
      }
    else
      ops[i] = {
        op: 'account.reassign',
        key: {system: sys, username: `u${u}.cb${j}`},
        unit,
        before: {agency_id: `ubnd-${units[u].sources[1].code}`},
        after: {agency_id: `ubnd-${unit}`},
      }
  }
  if (opts.sign === false) {
    const body = makeBody(units, ops)
    return {...body, digest: 'sha256:' + '0'.repeat(64)}
  }
  return makePlan(units, ops)
}

function makeBody(units: PlanUnitSummary[], ops: Operation[]): Plan {
  const {digest: _d, ...body} = makePlan(units.slice(0, 1), [])
  return {...body, units, operations: ops, summary: summarize(ops)}
}
