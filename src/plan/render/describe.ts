/**
 * Each operation in words a provincial leader reads ("Tài khoản dvc nguyenvana.13624 chuyển từ Ủy ban
 * nhân dân xã A sang Ủy ban nhân dân phường B"), in Vietnamese or English, for the HTML report. Pure: the
 * names come from the plan alone (its units and the values its operations carry), so the words never say
 * more than the plan does; what the plan does not name is given by its code.
 */
import {LANGS, type Lang} from '../../export/table.js'
import {LOCAL_BODIES, type LocalKind} from '../../registry/vocabulary.js'
import {localBodyName} from '../../naming/agencies.js'
import type {OpKind, Operation, Plan, Row} from '../types.js'
import {clean} from './common.js'

export {LANGS, type Lang}

/** Names the plan knows: units and agencies as they were before it and as they are after it. */
export interface PlanNames {
  unitBefore: Map<string, string>
  unitAfter: Map<string, string>
  agencyBefore: Map<string, string>
  agencyAfter: Map<string, string>
  /** Identifier code → the agency it is issued to (code.issue, endpoint.register). */
  agencyOfCode: Map<string, string>
}

const str = (v: Row[string] | undefined): string | undefined =>
  v === null || v === undefined || v === '' ? undefined : clean(v)

export function planNames(plan: Plan): PlanNames {
  const n: PlanNames = {
    unitBefore: new Map(),
    unitAfter: new Map(),
    agencyBefore: new Map(),
    agencyAfter: new Map(),
    agencyOfCode: new Map(),
  }
  const set = (m: Map<string, string>, k: string | undefined, v: Row[string] | undefined) => {
    const s = str(v)
    if (k && s && !m.has(k)) m.set(k, s)
  }
  for (const p of [plan.province, ...(plan.mappings ?? []).map((m) => m.province)])
    if (p) {
      set(n.unitBefore, p.code, p.name)
      set(n.unitAfter, p.code, p.name)
    }
  for (const u of plan.units ?? []) {
    set(n.unitAfter, u.code, u.name)
    for (const s of u.sources ?? []) set(n.unitBefore, s.code, s.name)
  }
  for (const op of plan.operations) {
    const {key, before, after} = op
    switch (op.op) {
      case 'unit.create':
      case 'unit.update':
        set(n.unitBefore, key.code, before?.name)
        set(n.unitAfter, key.code, after?.name)
        break
      case 'agency.create':
      case 'agency.update':
        set(n.agencyBefore, key.id, before?.name)
        set(n.agencyAfter, key.id, after?.name)
        break
      case 'code.issue':
      case 'endpoint.register': {
        const code = key.code ?? key.agency_code
        set(n.agencyOfCode, code, after?.agency_id)
        break
      }
      default:
        // The other kinds name nothing that is not named above.
        break
    }
  }
  return n
}

/**
 * An agency's name: the one the plan carries for it, else the name the project's convention gives a
 * unit's own body (`<unit code>.ubnd` → `Ủy ban nhân dân xã A`, see naming/agencies.ts) when the plan
 * names that unit, else its id.
 */
export function agencyName(names: PlanNames, id: string, when: 'before' | 'after'): string {
  const [own, other] =
    when === 'before' ? [names.agencyBefore, names.agencyAfter] : [names.agencyAfter, names.agencyBefore]
  const named = own.get(id)
  if (named) return named
  const m = /^([0-9]{2}|[0-9]{3}|[0-9]{5})\.([a-z_]+)$/.exec(id)
  const unit = m && m[2] in LOCAL_BODIES ? unitName(names, m[1], when) : undefined
  return (unit && localBodyName(m![2] as LocalKind, unit)) || other.get(id) || clean(id)
}

function unitName(names: PlanNames, code: string, when: 'before' | 'after'): string | undefined {
  return when === 'before'
    ? (names.unitBefore.get(code) ?? names.unitAfter.get(code))
    : (names.unitAfter.get(code) ?? names.unitBefore.get(code))
}

/** `Phường Phủ Lý (13285)`, or the bare code when the plan does not name the unit. */
function unitLabel(
  names: PlanNames,
  code: string,
  when: 'before' | 'after',
  lang: Lang,
  start = false,
): string {
  const name = unitName(names, code, when)
  if (name) return `${name} (${clean(code)})`
  const word = lang === 'vi' ? 'đơn vị' : 'unit'
  return `${start ? word.charAt(0).toUpperCase() + word.slice(1) : word} ${clean(code)}`
}

interface Words {
  kind: Record<OpKind, string>
  system: Record<string, string>
  axis: Record<string, string>
  date(iso: string): string
  list(items: string[]): string
  columns: Record<string, string>
}

const VI: Words = {
  kind: {
    'unit.create': 'Thành lập đơn vị',
    'unit.update': 'Thay đổi đơn vị',
    'unit.retire': 'Đơn vị thôi hoạt động',
    'agency.create': 'Thành lập cơ quan',
    'agency.update': 'Thay đổi cơ quan',
    'agency.retire': 'Cơ quan thôi hoạt động',
    'code.stop': 'Ngừng mã định danh',
    'code.issue': 'Cấp mã định danh',
    'endpoint.unregister': 'Hủy đăng ký trên trục',
    'endpoint.update': 'Cập nhật trên trục',
    'endpoint.register': 'Đăng ký trên trục',
    'account.create': 'Tạo tài khoản',
    'account.reassign': 'Chuyển tài khoản',
    'account.disable': 'Khóa tài khoản',
    'mailbox.create': 'Tạo hộp thư',
    'mailbox.update': 'Cập nhật hộp thư',
    'mailbox.suspend': 'Tạm khóa hộp thư',
    'alias.create': 'Tạo bí danh thư',
  },
  // The systems' names in domain.md; the bare id when a registry has another.
  system: {
    dvc: 'Cổng dịch vụ công (dvc)',
    qlvb: 'quản lý văn bản điều hành (qlvb)',
    ecert: 'chứng thực điện tử (ecert)',
    reporting: 'hệ thống báo cáo (reporting)',
    feedback: 'phản ánh kiến nghị (feedback)',
    sso: 'đăng nhập một lần (sso)',
  },
  axis: {
    provincial: 'trục liên thông văn bản của tỉnh',
    national: 'trục liên thông văn bản quốc gia',
  },
  date: (iso) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso)
    return m ? `${m[3]}/${m[2]}/${m[1]}` : iso
  },
  list: (items) =>
    items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} và ${items.at(-1)}`,
  columns: {
    name: 'tên',
    type: 'loại hình',
    level: 'cấp',
    parent_code: 'đơn vị cấp trên',
    parent_agency_code: 'mã cơ quan cấp trên',
    identifier_code: 'mã định danh',
    unit_code: 'đơn vị',
    parent_id: 'cơ quan cấp trên',
    mail: 'thư điện tử',
    display_name: 'tên hiển thị',
    owner_username: 'chủ hộp thư',
    holder: 'người sử dụng',
    role: 'vai trò',
  },
}

const EN: Words = {
  kind: {
    'unit.create': 'Unit created',
    'unit.update': 'Unit changed',
    'unit.retire': 'Unit retired',
    'agency.create': 'Agency created',
    'agency.update': 'Agency changed',
    'agency.retire': 'Agency retired',
    'code.stop': 'Identifier code stopped',
    'code.issue': 'Identifier code issued',
    'endpoint.unregister': 'Unregistered from an axis',
    'endpoint.update': 'Updated on an axis',
    'endpoint.register': 'Registered on an axis',
    'account.create': 'Account created',
    'account.reassign': 'Account moved',
    'account.disable': 'Account disabled',
    'mailbox.create': 'Mailbox created',
    'mailbox.update': 'Mailbox changed',
    'mailbox.suspend': 'Mailbox suspended',
    'alias.create': 'Mail alias created',
  },
  system: {
    dvc: 'public-service portal (dvc)',
    qlvb: 'document-management system (qlvb)',
    ecert: 'e-certification system (ecert)',
    reporting: 'government reporting system (reporting)',
    feedback: 'citizen feedback system (feedback)',
    sso: 'single sign-on (sso)',
  },
  axis: {
    provincial: 'the provincial document-exchange axis',
    national: 'the national document-exchange axis',
  },
  date: (iso) => iso,
  list: (items) =>
    items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`,
  columns: {
    parent_code: 'parent unit',
    parent_agency_code: 'parent code',
    identifier_code: 'identifier code',
    unit_code: 'unit',
    parent_id: 'parent agency',
    display_name: 'display name',
    owner_username: 'owner',
  },
}

const WORDS: Record<Lang, Words> = {vi: VI, en: EN}

/** The kind's name for a reader (`account.reassign` → `Chuyển tài khoản`); the raw kind when unknown. */
export function kindName(kind: string, lang: Lang): string {
  return WORDS[lang].kind[kind as OpKind] ?? clean(kind)
}

export function systemName(system: string, lang: Lang): string {
  return WORDS[lang].system[system] ?? clean(system)
}

/** Columns the sentences already say in words; the others are listed as `column: a → b`. */
const SAID = new Set([
  'status',
  'valid_to',
  'valid_from',
  'history_valid_to',
  'successors',
  'default_successor',
  'successor_id',
  'stopped_on',
  'issued_on',
  'reason',
  'successor_username',
  'agency_id',
  'kind',
  'owner_agency_id',
  'owner_system',
  'mailbox_address',
  'valid_until',
])

/** `tên: A → B; đơn vị cấp trên: 347 → 37` for the columns a sentence has not said itself. */
function otherChanges(op: Operation, w: Words, skip: string[] = []): string {
  // An endpoint's parent is the identifier code of the agency above it, not a unit.
  const labels = op.op.startsWith('endpoint.')
    ? {...w.columns, parent_code: w.columns.parent_agency_code}
    : w.columns
  const before = op.before ?? {}
  const after = op.after ?? {}
  const parts: string[] = []
  for (const col of Object.keys(after).sort()) {
    if (SAID.has(col) || skip.includes(col) || (op.key && col in op.key)) continue
    if (col in before && before[col] === after[col]) continue
    const to = str(after[col]) ?? '—'
    const label = labels[col] ?? clean(col)
    parts.push(col in before ? `${label}: ${str(before[col]) ?? '—'} → ${to}` : `${label}: ${to}`)
  }
  return parts.join('; ')
}

/** The parts that apply, joined. */
function sentence(...parts: Array<string | undefined | null | false>): string {
  return parts.filter((p): p is string => !!p).join('; ') + '.'
}

/**
 * One operation in words. `ref` sees every name the sentence quotes (units, agencies, systems) and gives
 * what stands for it: the report page replaces each by a short reference into a table of names, since a
 * million sentences repeat a few thousand names.
 */
export function describeOperation(
  op: Operation,
  names: PlanNames,
  lang: Lang,
  ref: (name: string) => string = (name) => name,
): string {
  return (lang === 'vi' ? describeVi : describeEn)(op, names, ref)
}

function describeVi(op: Operation, names: PlanNames, ref: (name: string) => string): string {
  const w = VI
  const k = op.key ?? {}
  const b = op.before ?? {}
  const a = op.after ?? {}
  const agency = (id: Row[string] | undefined, when: 'before' | 'after') =>
    str(id) ? ref(agencyName(names, String(id), when)) : '?'
  switch (op.op) {
    case 'unit.create':
      return sentence(
        `Thành lập ${str(a.name) ?? 'đơn vị'} (mã ${clean(k.code)})`,
        str(a.parent_code) && `trực thuộc ${ref(unitLabel(names, String(a.parent_code), 'after', 'vi'))}`,
      )
    case 'unit.update': {
      const renamed = str(a.name) && `đổi tên thành ${str(a.name)}`
      const retyped = str(a.type) && `đổi loại hình từ ${str(b.type) ?? '?'} thành ${str(a.type)}`
      const parent =
        'parent_code' in a &&
        `chuyển từ trực thuộc ${str(b.parent_code) ? ref(unitLabel(names, String(b.parent_code), 'before', 'vi')) : '—'} sang trực thuộc ${str(a.parent_code) ? ref(unitLabel(names, String(a.parent_code), 'after', 'vi')) : '—'}`
      return sentence(
        `${ref(unitLabel(names, k.code, 'before', 'vi', true))} ${[renamed, retyped].filter(Boolean).join(', ') || 'thay đổi'}`,
        parent,
        otherChanges(op, w, ['name', 'type', 'parent_code']),
        op.note === 'not in the mapping; parent retired' &&
          'đơn vị không có trong phương án, đơn vị cấp trên thôi hoạt động',
      )
    }
    case 'unit.retire': {
      const successors = (str(a.successors) ?? '').split(' ').filter(Boolean)
      const into =
        successors.length === 0
          ? 'không có đơn vị kế thừa'
          : successors.length === 1
            ? `nhập vào ${ref(unitLabel(names, successors[0], 'after', 'vi'))}`
            : `được chia cho ${w.list(successors.map((c) => ref(unitLabel(names, c, 'after', 'vi'))))}${str(a.default_successor) ? ` (mặc định: ${clean(a.default_successor)})` : ''}`
      return sentence(
        `${ref(unitLabel(names, k.code, 'before', 'vi', true))} thôi hoạt động${str(a.valid_to) ? ` từ ngày ${w.date(str(a.valid_to)!)}` : ''}`,
        op.note === 'the district level is abolished' ? 'do bỏ cấp huyện' : into,
        `mã ${clean(k.code)} không dùng lại`,
      )
    }
    case 'agency.create':
      return sentence(
        `Thành lập cơ quan ${str(a.name) ?? clean(k.id)} (${clean(k.id)})`,
        str(a.identifier_code) && `mã định danh ${str(a.identifier_code)}`,
        otherChanges(op, w, ['name', 'identifier_code']),
      )
    case 'agency.update':
      return sentence(
        `${agency(k.id, 'before')} ${str(a.name) && str(b.name) !== str(a.name) ? `đổi tên thành ${str(a.name)}` : 'thay đổi'}`,
        'identifier_code' in a &&
          `mã định danh đổi từ ${str(b.identifier_code) ?? '(chưa có)'} sang ${str(a.identifier_code) ?? '(không còn)'}`,
        otherChanges(op, w, ['name', 'identifier_code']),
      )
    case 'agency.retire':
      return sentence(
        `${agency(k.id, 'before')} thôi hoạt động`,
        str(a.successor_id)
          ? `cơ quan kế thừa: ${agency(a.successor_id, 'after')}`
          : 'không có cơ quan kế thừa',
      )
    case 'code.stop':
      return sentence(
        `Ngừng sử dụng mã định danh ${clean(k.code)}${str(a.stopped_on) ? ` từ ngày ${w.date(str(a.stopped_on)!)}` : ''}`,
        'mã đã ngừng không cấp lại',
      )
    case 'code.issue':
      return sentence(
        `Cấp mã định danh ${clean(k.code)} cho ${agency(a.agency_id, 'after')}${str(a.issued_on) ? ` từ ngày ${w.date(str(a.issued_on)!)}` : ''}`,
      )
    case 'endpoint.unregister':
      return sentence(
        `Hủy đăng ký mã ${clean(k.agency_code)}${names.agencyOfCode.has(k.agency_code) ? ` (${agency(names.agencyOfCode.get(k.agency_code), 'before')})` : ''} trên ${w.axis[k.axis] ?? clean(k.axis)}`,
      )
    case 'endpoint.update':
      return sentence(
        `Cập nhật đăng ký mã ${clean(k.agency_code)} trên ${w.axis[k.axis] ?? clean(k.axis)}`,
        otherChanges(op, w),
      )
    case 'endpoint.register':
      return sentence(
        `Đăng ký ${str(a.name) ?? agency(a.agency_id, 'after')} với mã ${clean(k.agency_code)} trên ${w.axis[k.axis] ?? clean(k.axis)}`,
        str(a.mail) && `thư điện tử ${str(a.mail)}`,
      )
    case 'account.create': {
      const from = /^recreated from (.+)$/.exec(op.note ?? '')
      return sentence(
        `Tạo tài khoản ${ref(systemName(k.system, 'vi'))} ${clean(k.username)}${str(a.holder) ? ` cho ${str(a.holder)}` : ''} tại ${agency(a.agency_id, 'after')}`,
        str(a.role) && `vai trò ${str(a.role)}`,
        from && `thay cho tài khoản ${clean(from[1])}`,
      )
    }
    case 'account.reassign':
      return sentence(
        `Tài khoản ${ref(systemName(k.system, 'vi'))} ${clean(k.username)} chuyển từ ${agency(b.agency_id, 'before')} sang ${agency(a.agency_id, 'after')}`,
        otherChanges(op, w),
      )
    case 'account.disable':
      return sentence(
        `Khóa tài khoản ${ref(systemName(k.system, 'vi'))} ${clean(k.username)}`,
        disableReason(str(a.reason), names, 'vi', ref),
      )
    case 'mailbox.create':
      return sentence(
        `Tạo ${a.kind === 'official' ? 'hộp thư công vụ' : 'hộp thư'} ${clean(k.address)}${str(a.display_name) ? ` (${str(a.display_name)})` : ''}`,
        str(a.owner_agency_id) &&
          agencyName(names, String(a.owner_agency_id), 'after') !== str(a.display_name) &&
          `của ${agency(a.owner_agency_id, 'after')}`,
        str(a.owner_username) &&
          `chủ hộp thư: ${str(a.owner_system) ?? ''} ${str(a.owner_username)}`.replace('  ', ' '),
      )
    case 'mailbox.update':
      return sentence(
        `Hộp thư ${clean(k.address)}`,
        'display_name' in a &&
          `đổi tên hiển thị từ ${str(b.display_name) ?? '—'} thành ${str(a.display_name) ?? '—'}`,
        'owner_username' in a &&
          `chuyển chủ hộp thư từ ${str(b.owner_username) ?? '—'} sang ${str(a.owner_username) ?? '—'}`,
        otherChanges(op, w, ['display_name', 'owner_username']),
      )
    case 'mailbox.suspend':
      return sentence(
        `Tạm khóa hộp thư ${clean(k.address)}`,
        op.note === 'owner account disabled' && 'vì tài khoản của chủ hộp thư bị khóa',
      )
    case 'alias.create':
      return sentence(
        `Địa chỉ ${clean(k.alias)} trở thành bí danh của hộp thư ${str(a.mailbox_address) ?? '?'}`,
        str(a.valid_until) && `dùng đến ngày ${w.date(str(a.valid_until)!)}`,
      )
    default:
      return sentence(`${clean(op.op)} ${Object.values(k).map(clean).join('/')}`, otherChanges(op, w))
  }
}

function describeEn(op: Operation, names: PlanNames, ref: (name: string) => string): string {
  const w = EN
  const k = op.key ?? {}
  const b = op.before ?? {}
  const a = op.after ?? {}
  const agency = (id: Row[string] | undefined, when: 'before' | 'after') =>
    str(id) ? ref(agencyName(names, String(id), when)) : '?'
  switch (op.op) {
    case 'unit.create':
      return sentence(
        `${str(a.name) ?? 'A unit'} (code ${clean(k.code)}) is created`,
        str(a.parent_code) && `under ${ref(unitLabel(names, String(a.parent_code), 'after', 'en'))}`,
      )
    case 'unit.update': {
      const renamed = str(a.name) && `is renamed ${str(a.name)}`
      const retyped = str(a.type) && `changes type from ${str(b.type) ?? '?'} to ${str(a.type)}`
      const parent =
        'parent_code' in a &&
        `moves from under ${str(b.parent_code) ? ref(unitLabel(names, String(b.parent_code), 'before', 'en')) : '—'} to under ${str(a.parent_code) ? ref(unitLabel(names, String(a.parent_code), 'after', 'en')) : '—'}`
      return sentence(
        `${ref(unitLabel(names, k.code, 'before', 'en', true))} ${[renamed, retyped].filter(Boolean).join(', ') || 'changes'}`,
        parent,
        otherChanges(op, w, ['name', 'type', 'parent_code']),
        op.note === 'not in the mapping; parent retired' && 'not in the mapping, its parent is retired',
      )
    }
    case 'unit.retire': {
      const successors = (str(a.successors) ?? '').split(' ').filter(Boolean)
      const into =
        successors.length === 0
          ? 'no successor'
          : successors.length === 1
            ? `merged into ${ref(unitLabel(names, successors[0], 'after', 'en'))}`
            : `divided among ${w.list(successors.map((c) => ref(unitLabel(names, c, 'after', 'en'))))}${str(a.default_successor) ? ` (default: ${clean(a.default_successor)})` : ''}`
      return sentence(
        `${ref(unitLabel(names, k.code, 'before', 'en', true))} is retired${str(a.valid_to) ? ` on ${str(a.valid_to)}` : ''}`,
        op.note === 'the district level is abolished' ? 'the district level is abolished' : into,
        `code ${clean(k.code)} is never reused`,
      )
    }
    case 'agency.create':
      return sentence(
        `Agency ${str(a.name) ?? clean(k.id)} (${clean(k.id)}) is created`,
        str(a.identifier_code) && `identifier code ${str(a.identifier_code)}`,
        otherChanges(op, w, ['name', 'identifier_code']),
      )
    case 'agency.update':
      return sentence(
        `${agency(k.id, 'before')} ${str(a.name) && str(b.name) !== str(a.name) ? `is renamed ${str(a.name)}` : 'changes'}`,
        'identifier_code' in a &&
          `identifier code ${str(b.identifier_code) ?? '(none)'} → ${str(a.identifier_code) ?? '(none)'}`,
        otherChanges(op, w, ['name', 'identifier_code']),
      )
    case 'agency.retire':
      return sentence(
        `${agency(k.id, 'before')} is retired`,
        str(a.successor_id) ? `its successor is ${agency(a.successor_id, 'after')}` : 'no successor',
      )
    case 'code.stop':
      return sentence(
        `Identifier code ${clean(k.code)} is stopped${str(a.stopped_on) ? ` on ${str(a.stopped_on)}` : ''}`,
        'a stopped code is never reissued',
      )
    case 'code.issue':
      return sentence(
        `Identifier code ${clean(k.code)} is issued to ${agency(a.agency_id, 'after')}${str(a.issued_on) ? ` on ${str(a.issued_on)}` : ''}`,
      )
    case 'endpoint.unregister':
      return sentence(
        `${clean(k.agency_code)}${names.agencyOfCode.has(k.agency_code) ? ` (${agency(names.agencyOfCode.get(k.agency_code), 'before')})` : ''} is unregistered from ${w.axis[k.axis] ?? clean(k.axis)}`,
      )
    case 'endpoint.update':
      return sentence(
        `Registration ${clean(k.agency_code)} is updated on ${w.axis[k.axis] ?? clean(k.axis)}`,
        otherChanges(op, w),
      )
    case 'endpoint.register':
      return sentence(
        `${str(a.name) ?? agency(a.agency_id, 'after')} is registered as ${clean(k.agency_code)} on ${w.axis[k.axis] ?? clean(k.axis)}`,
        str(a.mail) && `mail ${str(a.mail)}`,
      )
    case 'account.create': {
      const from = /^recreated from (.+)$/.exec(op.note ?? '')
      return sentence(
        `Account ${clean(k.username)} on the ${ref(systemName(k.system, 'en'))} is created${str(a.holder) ? ` for ${str(a.holder)}` : ''} at ${agency(a.agency_id, 'after')}`,
        str(a.role) && `role ${str(a.role)}`,
        from && `replacing ${clean(from[1])}`,
      )
    }
    case 'account.reassign':
      return sentence(
        `Account ${clean(k.username)} on the ${ref(systemName(k.system, 'en'))} moves from ${agency(b.agency_id, 'before')} to ${agency(a.agency_id, 'after')}`,
        otherChanges(op, w),
      )
    case 'account.disable':
      return sentence(
        `Account ${clean(k.username)} on the ${ref(systemName(k.system, 'en'))} is disabled`,
        disableReason(str(a.reason), names, 'en', ref),
      )
    case 'mailbox.create':
      return sentence(
        `${a.kind === 'official' ? 'Official mailbox' : 'Mailbox'} ${clean(k.address)}${str(a.display_name) ? ` (${str(a.display_name)})` : ''} is created`,
        str(a.owner_agency_id) &&
          agencyName(names, String(a.owner_agency_id), 'after') !== str(a.display_name) &&
          `for ${agency(a.owner_agency_id, 'after')}`,
        str(a.owner_username) &&
          `owner ${str(a.owner_system) ?? ''} ${str(a.owner_username)}`.replace('  ', ' '),
      )
    case 'mailbox.update':
      return sentence(
        `Mailbox ${clean(k.address)}`,
        'display_name' in a && `display name ${str(b.display_name) ?? '—'} → ${str(a.display_name) ?? '—'}`,
        'owner_username' in a && `owner ${str(b.owner_username) ?? '—'} → ${str(a.owner_username) ?? '—'}`,
        otherChanges(op, w, ['display_name', 'owner_username']),
      )
    case 'mailbox.suspend':
      return sentence(
        `Mailbox ${clean(k.address)} is suspended`,
        op.note === 'owner account disabled' && "its owner's account is disabled",
      )
    case 'alias.create':
      return sentence(
        `Address ${clean(k.alias)} becomes an alias of ${str(a.mailbox_address) ?? '?'}`,
        str(a.valid_until) && `until ${w.date(str(a.valid_until)!)}`,
      )
    default:
      return sentence(`${clean(op.op)} ${Object.values(k).map(clean).join('/')}`, otherChanges(op, w))
  }
}

/**
 * Why an account is disabled, from the reason the planner writes (plan/build/accounts.ts):
 * `<decision> (in force <date>): role R at A kept by U`, `…: A retired`, `…: recreated as U`.
 * Anything else is quoted as it is.
 */
function disableReason(
  reason: string | undefined,
  names: PlanNames,
  lang: Lang,
  ref: (name: string) => string,
): string | undefined {
  if (!reason) return undefined
  const m = /^(.+?) \(in force (\d{4}-\d{2}-\d{2})\): (.+)$/.exec(reason)
  if (!m) return lang === 'vi' ? `lý do: ${reason}` : `reason: ${reason}`
  const [, decision, date] = m
  const why = m[3]
  const w = WORDS[lang]
  const by =
    lang === 'vi' ? `theo ${decision} (hiệu lực từ ${w.date(date)})` : `under ${decision} (in force ${date})`
  let r: RegExpExecArray | null
  if ((r = /^role (\S+) at (\S+) kept by (\S+)$/.exec(why)))
    return lang === 'vi'
      ? `vai trò ${r[1]} tại ${ref(agencyName(names, r[2], 'after'))} chỉ do một người đảm nhiệm, tài khoản ${r[3]} được giữ lại; ${by}`
      : `role ${r[1]} at ${ref(agencyName(names, r[2], 'after'))} has a single holder, kept by ${r[3]}; ${by}`
  if ((r = /^recreated as (\S+)$/.exec(why)))
    return lang === 'vi' ? `được tạo lại thành tài khoản ${r[1]}; ${by}` : `recreated as ${r[1]}; ${by}`
  if ((r = /^(\S+) retired$/.exec(why)))
    return lang === 'vi'
      ? `${ref(agencyName(names, r[1], 'before'))} thôi hoạt động; ${by}`
      : `${ref(agencyName(names, r[1], 'before'))} is retired; ${by}`
  return lang === 'vi' ? `lý do: ${reason}` : `reason: ${reason}`
}

export const isLang = (s: string): s is Lang => (LANGS as readonly string[]).includes(s)
