/**
 * Each operation kind in the words the HTML report gives a leader, in Vietnamese and English: the names
 * come from the plan (its units, the values its operations carry), codes stand in where it names nothing.
 */
import {describe, expect, it} from 'vitest'
import {describeOperation, kindName, planNames} from '../../src/plan/render/describe.js'
import {renderHtml} from '../../src/plan/render/index.js'
import {OP_KINDS, type Operation, type Plan} from '../../src/plan/types.js'
import {hostilePlan, samplePlan} from '../helpers/plan-fixtures.js'

/** One operation of every kind, as the planner writes them (values from a real Ninh Bình plan). */
const OPS: Operation[] = [
  {
    op: 'unit.create',
    key: {code: '99001'},
    unit: '99001',
    after: {
      name: 'Đặc khu Bạch Long Vĩ',
      type: 'Đặc khu',
      level: 3,
      parent_code: '37',
      valid_from: '2025-07-01',
    },
  },
  {
    op: 'unit.update',
    key: {code: '13285'},
    unit: '13285',
    before: {name: 'Phường Quang Trung', parent_code: '347'},
    after: {history_valid_to: '2025-07-01', name: 'Phường Phủ Lý', parent_code: '37'},
  },
  {
    op: 'unit.update',
    key: {code: '13306'},
    unit: '13306',
    before: {type: 'Xã'},
    after: {type: 'Phường', history_valid_to: '2025-07-01'},
  },
  {
    op: 'unit.retire',
    key: {code: '13294'},
    unit: '13285',
    before: {status: 'active', valid_to: null},
    after: {default_successor: '13285', status: 'retired', successors: '13285', valid_to: '2025-07-01'},
  },
  {
    op: 'unit.retire',
    key: {code: '13636'},
    unit: '13285',
    before: {status: 'active', valid_to: null},
    after: {default_successor: '13285', status: 'retired', successors: '13285 13306', valid_to: '2025-07-01'},
  },
  {
    op: 'unit.retire',
    key: {code: '347'},
    unit: '37',
    before: {status: 'active', valid_to: null},
    after: {default_successor: '37', status: 'retired', successors: '37', valid_to: '2025-07-01'},
    note: 'the district level is abolished',
  },
  {
    op: 'agency.create',
    key: {id: '99001.ubnd'},
    unit: '99001',
    after: {name: 'Ủy ban nhân dân đặc khu Bạch Long Vĩ', unit_code: '99001', status: 'active'},
  },
  {
    op: 'agency.update',
    key: {id: '13285.hdnd'},
    unit: '13285',
    before: {identifier_code: '001.01.21.H19', name: 'Hội đồng nhân dân phường Quang Trung'},
    after: {identifier_code: '001.01.16.H21', name: 'Hội đồng nhân dân phường Phủ Lý'},
  },
  {
    op: 'agency.retire',
    key: {id: '13294.cong_an'},
    unit: '13285',
    before: {status: 'active', successor_id: null},
    after: {status: 'retired', successor_id: '13285.cong_an'},
  },
  {
    op: 'code.stop',
    key: {code: '000.00.00.H40'},
    unit: '37',
    before: {status: 'issued', stopped_on: null},
    after: {status: 'stopped', stopped_on: '2025-07-01'},
  },
  {
    op: 'code.issue',
    key: {code: '000.01.16.H21'},
    unit: '13285',
    after: {agency_id: '13285.ubnd', issued_on: '2025-07-01', status: 'issued'},
  },
  {
    op: 'endpoint.unregister',
    key: {agency_code: '000.00.00.H40', axis: 'national'},
    unit: '37',
    before: {status: 'registered'},
    after: {status: 'unregistered'},
  },
  {
    op: 'endpoint.update',
    key: {agency_code: '000.01.21.H21', axis: 'provincial'},
    unit: '13285',
    before: {mail: 'quangtrung.phuly@hanam.gov.vn', parent_code: '000.00.21.H21'},
    after: {mail: 'ubnd.phuly@ninhbinh.gov.vn', parent_code: '000.00.00.H21'},
  },
  {
    op: 'endpoint.register',
    key: {agency_code: '000.01.16.H21', axis: 'national'},
    unit: '13285',
    after: {
      agency_id: '13285.ubnd',
      mail: 'ubnd.phuly@ninhbinh.gov.vn',
      name: 'Ủy ban nhân dân phường Phủ Lý',
      parent_code: '000.00.00.H21',
      status: 'registered',
    },
  },
  {
    op: 'account.create',
    key: {system: 'qlvb', username: 'nguyenvana.13285'},
    unit: '13285',
    after: {
      holder: 'Nguyễn Văn A',
      agency_id: '13285.ubnd',
      role: 'van_thu',
      status: 'active',
      reason: null,
      successor_username: null,
    },
    note: 'recreated from nguyenvana.13294',
  },
  {
    op: 'account.reassign',
    key: {system: 'dvc', username: 'tranthib.13294'},
    unit: '13285',
    before: {agency_id: '13294.ubnd'},
    after: {agency_id: '13285.ubnd'},
  },
  {
    op: 'account.disable',
    key: {system: 'dvc', username: 'lethic.13294'},
    unit: '13285',
    before: {status: 'active', reason: null, successor_username: null},
    after: {
      status: 'disabled',
      reason: '1674/NQ-UBTVQH15 (in force 2025-07-01): role chu_tich at 13285.ubnd kept by phamvand.13285',
      successor_username: null,
    },
    note: 'single-holder role chu_tich',
  },
  {
    op: 'account.disable',
    key: {system: 'qlvb', username: 'nguyenvana.13294'},
    unit: '13285',
    before: {status: 'active', reason: null, successor_username: null},
    after: {
      status: 'disabled',
      reason: '1674/NQ-UBTVQH15 (in force 2025-07-01): recreated as nguyenvana.13285',
      successor_username: 'nguyenvana.13285',
    },
  },
  {
    op: 'mailbox.create',
    key: {address: 'ubnd.phuly@ninhbinh.gov.vn'},
    unit: '13285',
    after: {
      display_name: 'Ủy ban nhân dân phường Phủ Lý',
      kind: 'official',
      owner_agency_id: '13285.ubnd',
      owner_system: null,
      owner_username: null,
      status: 'active',
    },
  },
  {
    op: 'mailbox.update',
    key: {address: 'hdnd.quangtrung@hanam.gov.vn'},
    unit: '13285',
    before: {display_name: 'Hội đồng nhân dân phường Quang Trung'},
    after: {display_name: 'Hội đồng nhân dân phường Phủ Lý'},
  },
  {
    op: 'mailbox.suspend',
    key: {address: 'lethic.chaucau@hanam.gov.vn'},
    unit: '13285',
    before: {status: 'active'},
    after: {status: 'suspended'},
    note: 'owner account disabled',
  },
  {
    op: 'alias.create',
    key: {alias: 'ubnd.chaucau@hanam.gov.vn'},
    unit: '13285',
    after: {mailbox_address: 'ubnd.phuly@ninhbinh.gov.vn', valid_until: '2026-07-01'},
  },
]

const PLAN = {
  province: {code: '37', name: 'Tỉnh Ninh Bình'},
  mappings: [],
  units: [
    {
      code: '13285',
      name: 'Phường Phủ Lý',
      type: 'Phường',
      level: 3,
      change: 'update',
      sources: [
        {code: '13285', name: 'Phường Quang Trung', share: 'whole', isDefault: true},
        {code: '13294', name: 'Phường Châu Cầu', share: 'whole', isDefault: false},
        {code: '13636', name: 'Phường Trần Tế Xương', share: 'part', isDefault: true},
      ],
    },
    {code: '13306', name: 'Phường Phù Vân', type: 'Phường', level: 3, change: 'update', sources: []},
  ],
  operations: OPS,
} as unknown as Plan

const VI = [
  'Thành lập Đặc khu Bạch Long Vĩ (mã 99001); trực thuộc Tỉnh Ninh Bình (37).',
  'Phường Quang Trung (13285) đổi tên thành Phường Phủ Lý; chuyển từ trực thuộc đơn vị 347 sang trực thuộc Tỉnh Ninh Bình (37).',
  'Phường Phù Vân (13306) đổi loại hình từ Xã thành Phường.',
  'Phường Châu Cầu (13294) thôi hoạt động từ ngày 01/07/2025; nhập vào Phường Phủ Lý (13285); mã 13294 không dùng lại.',
  'Phường Trần Tế Xương (13636) thôi hoạt động từ ngày 01/07/2025; được chia cho Phường Phủ Lý (13285) và Phường Phù Vân (13306) (mặc định: 13285); mã 13636 không dùng lại.',
  'Đơn vị 347 thôi hoạt động từ ngày 01/07/2025; do bỏ cấp huyện; mã 347 không dùng lại.',
  'Thành lập cơ quan Ủy ban nhân dân đặc khu Bạch Long Vĩ (99001.ubnd); đơn vị: 99001.',
  'Hội đồng nhân dân phường Quang Trung đổi tên thành Hội đồng nhân dân phường Phủ Lý; mã định danh đổi từ 001.01.21.H19 sang 001.01.16.H21.',
  'Công an phường Châu Cầu thôi hoạt động; cơ quan kế thừa: Công an phường Phủ Lý.',
  'Ngừng sử dụng mã định danh 000.00.00.H40 từ ngày 01/07/2025; mã đã ngừng không cấp lại.',
  'Cấp mã định danh 000.01.16.H21 cho Ủy ban nhân dân phường Phủ Lý từ ngày 01/07/2025.',
  'Hủy đăng ký mã 000.00.00.H40 trên trục liên thông văn bản quốc gia.',
  'Cập nhật đăng ký mã 000.01.21.H21 trên trục liên thông văn bản của tỉnh; thư điện tử: quangtrung.phuly@hanam.gov.vn → ubnd.phuly@ninhbinh.gov.vn; mã cơ quan cấp trên: 000.00.21.H21 → 000.00.00.H21.',
  'Đăng ký Ủy ban nhân dân phường Phủ Lý với mã 000.01.16.H21 trên trục liên thông văn bản quốc gia; thư điện tử ubnd.phuly@ninhbinh.gov.vn.',
  'Tạo tài khoản quản lý văn bản điều hành (qlvb) nguyenvana.13285 cho Nguyễn Văn A tại Ủy ban nhân dân phường Phủ Lý; vai trò van_thu; thay cho tài khoản nguyenvana.13294.',
  'Tài khoản Cổng dịch vụ công (dvc) tranthib.13294 chuyển từ Ủy ban nhân dân phường Châu Cầu sang Ủy ban nhân dân phường Phủ Lý.',
  'Khóa tài khoản Cổng dịch vụ công (dvc) lethic.13294; vai trò chu_tich tại Ủy ban nhân dân phường Phủ Lý chỉ do một người đảm nhiệm, tài khoản phamvand.13285 được giữ lại; theo 1674/NQ-UBTVQH15 (hiệu lực từ 01/07/2025).',
  'Khóa tài khoản quản lý văn bản điều hành (qlvb) nguyenvana.13294; được tạo lại thành tài khoản nguyenvana.13285; theo 1674/NQ-UBTVQH15 (hiệu lực từ 01/07/2025).',
  'Tạo hộp thư công vụ ubnd.phuly@ninhbinh.gov.vn (Ủy ban nhân dân phường Phủ Lý).',
  'Hộp thư hdnd.quangtrung@hanam.gov.vn; đổi tên hiển thị từ Hội đồng nhân dân phường Quang Trung thành Hội đồng nhân dân phường Phủ Lý.',
  'Tạm khóa hộp thư lethic.chaucau@hanam.gov.vn; vì tài khoản của chủ hộp thư bị khóa.',
  'Địa chỉ ubnd.chaucau@hanam.gov.vn trở thành bí danh của hộp thư ubnd.phuly@ninhbinh.gov.vn; dùng đến ngày 01/07/2026.',
]

const EN = [
  'Đặc khu Bạch Long Vĩ (code 99001) is created; under Tỉnh Ninh Bình (37).',
  'Phường Quang Trung (13285) is renamed Phường Phủ Lý; moves from under unit 347 to under Tỉnh Ninh Bình (37).',
  'Phường Phù Vân (13306) changes type from Xã to Phường.',
  'Phường Châu Cầu (13294) is retired on 2025-07-01; merged into Phường Phủ Lý (13285); code 13294 is never reused.',
  'Phường Trần Tế Xương (13636) is retired on 2025-07-01; divided among Phường Phủ Lý (13285) and Phường Phù Vân (13306) (default: 13285); code 13636 is never reused.',
  'Unit 347 is retired on 2025-07-01; the district level is abolished; code 347 is never reused.',
  'Agency Ủy ban nhân dân đặc khu Bạch Long Vĩ (99001.ubnd) is created; unit: 99001.',
  'Hội đồng nhân dân phường Quang Trung is renamed Hội đồng nhân dân phường Phủ Lý; identifier code 001.01.21.H19 → 001.01.16.H21.',
  'Công an phường Châu Cầu is retired; its successor is Công an phường Phủ Lý.',
  'Identifier code 000.00.00.H40 is stopped on 2025-07-01; a stopped code is never reissued.',
  'Identifier code 000.01.16.H21 is issued to Ủy ban nhân dân phường Phủ Lý on 2025-07-01.',
  '000.00.00.H40 is unregistered from the national document-exchange axis.',
  'Registration 000.01.21.H21 is updated on the provincial document-exchange axis; mail: quangtrung.phuly@hanam.gov.vn → ubnd.phuly@ninhbinh.gov.vn; parent code: 000.00.21.H21 → 000.00.00.H21.',
  'Ủy ban nhân dân phường Phủ Lý is registered as 000.01.16.H21 on the national document-exchange axis; mail ubnd.phuly@ninhbinh.gov.vn.',
  'Account nguyenvana.13285 on the document-management system (qlvb) is created for Nguyễn Văn A at Ủy ban nhân dân phường Phủ Lý; role van_thu; replacing nguyenvana.13294.',
  'Account tranthib.13294 on the public-service portal (dvc) moves from Ủy ban nhân dân phường Châu Cầu to Ủy ban nhân dân phường Phủ Lý.',
  'Account lethic.13294 on the public-service portal (dvc) is disabled; role chu_tich at Ủy ban nhân dân phường Phủ Lý has a single holder, kept by phamvand.13285; under 1674/NQ-UBTVQH15 (in force 2025-07-01).',
  'Account nguyenvana.13294 on the document-management system (qlvb) is disabled; recreated as nguyenvana.13285; under 1674/NQ-UBTVQH15 (in force 2025-07-01).',
  'Official mailbox ubnd.phuly@ninhbinh.gov.vn (Ủy ban nhân dân phường Phủ Lý) is created.',
  'Mailbox hdnd.quangtrung@hanam.gov.vn; display name Hội đồng nhân dân phường Quang Trung → Hội đồng nhân dân phường Phủ Lý.',
  "Mailbox lethic.chaucau@hanam.gov.vn is suspended; its owner's account is disabled.",
  'Address ubnd.chaucau@hanam.gov.vn becomes an alias of ubnd.phuly@ninhbinh.gov.vn; until 2026-07-01.',
]

describe('each change in words', () => {
  const names = planNames(PLAN)

  it('covers every operation kind', () => {
    expect(new Set(OPS.map((o) => o.op))).toEqual(new Set(OP_KINDS))
  })

  it('says each in Vietnamese', () => {
    expect(OPS.map((op) => describeOperation(op, names, 'vi'))).toEqual(VI)
  })

  it('says each in English', () => {
    expect(OPS.map((op) => describeOperation(op, names, 'en'))).toEqual(EN)
  })

  it('gives an agency the plan does not name by its id, and quotes an unknown reason as it is', () => {
    const op: Operation = {
      op: 'account.reassign',
      key: {system: 'tabmis', username: 'x'},
      unit: '13285',
      before: {agency_id: 'so-tai-chinh'},
      after: {agency_id: '13285.ubnd'},
    }
    expect(describeOperation(op, names, 'vi')).toBe(
      'Tài khoản tabmis x chuyển từ so-tai-chinh sang Ủy ban nhân dân phường Phủ Lý.',
    )
    const odd = {...OPS[16], after: {...OPS[16].after, reason: 'left the office'}}
    expect(describeOperation(odd, names, 'vi')).toBe(
      'Khóa tài khoản Cổng dịch vụ công (dvc) lethic.13294; lý do: left the office.',
    )
  })

  it('passes every quoted name through ref, so the page can store each once', () => {
    const seen: string[] = []
    describeOperation(OPS[15], names, 'vi', (n) => (seen.push(n), `<${seen.length - 1}>`))
    expect(seen).toEqual([
      'Cổng dịch vụ công (dvc)',
      'Ủy ban nhân dân phường Châu Cầu',
      'Ủy ban nhân dân phường Phủ Lý',
    ])
  })

  it('names every kind for a reader', () => {
    for (const k of OP_KINDS) {
      expect(kindName(k, 'vi')).not.toBe(k)
      expect(kindName(k, 'en')).not.toBe(k)
    }
    expect(kindName('account.reassign', 'vi')).toBe('Chuyển tài khoản')
  })
})

describe('the HTML report in Vietnamese and English', () => {
  const plan = samplePlan()

  it('is Vietnamese by default: lang, labels, numbers, kinds in words', () => {
    const html = renderHtml(plan)
    expect(html).toContain('<html lang="vi">')
    for (const label of [
      'Tổng hợp',
      'Thao tác theo loại',
      'Đơn vị mới và các đơn vị cũ hợp thành',
      'Các thay đổi',
    ])
      expect(html).toContain(label)
    expect(html).toContain('Chuyển tài khoản <span class="code">account.reassign</span>')
    // No English label is left on the page (the plan's own values, warnings and kinds aside).
    for (const english of ['Summary', 'Operations by kind', 'New units', 'Changes', 'Filter', 'Approvals'])
      expect(html).not.toContain(`>${english}<`)
  })

  it('is English with lang en', () => {
    const html = renderHtml(plan, {lang: 'en'})
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h2>Summary</h2>')
    expect(html).toContain('Account moved <span class="code">account.reassign</span>')
  })

  it('embeds each change in words, its names stored once', () => {
    const html = renderHtml(plan)
    const json = html.slice(html.indexOf('id="plan-data">') + 15, html.indexOf('</script>'))
    const data = JSON.parse(json) as {names: string[]; rows: string[][]}
    const words = (r: string[]) => r[6].replace(/\uE000(\d+)\uE001/g, (_, i: string) => data.names[Number(i)])
    expect(data.rows).toHaveLength(46)
    // The old agency (its id follows no convention, the plan gives no name) by its id; the new one by
    // the name its agency.update gives it.
    expect(data.rows.map(words)).toContain(
      'Tài khoản Cổng dịch vụ công (dvc) halong.cb01 chuyển từ ubnd-13633 sang UBND phường Nam Định.',
    )
    expect(new Set(data.names).size).toBe(data.names.length)
  })

  it('collapses the mapping digests when there are many', () => {
    const ref = plan.mappings[0]
    const many = {
      ...plan,
      mappings: Array.from({length: 5}, (_, i) => ({
        ...ref,
        file: `mappings/m${i}.yaml`,
        digest: `sha256:${i}`,
      })),
    }
    const html = renderHtml(many)
    expect(html).toMatch(/<details id="mappings"><summary>5 tệp ánh xạ và mã băm của chúng<\/summary>/)
    expect(renderHtml(plan)).not.toContain('id="mappings"')
  })

  it('keeps a hostile name from forging a name reference', () => {
    const html = renderHtml(hostilePlan())
    const json = html.slice(html.indexOf('id="plan-data">') + 15, html.indexOf('</script>'))
    const data = JSON.parse(json) as {names: string[]}
    for (const n of data.names) expect(n).not.toMatch(/[\uE000\uE001]/)
  })
})
