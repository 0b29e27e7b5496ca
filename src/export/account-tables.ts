import {ACCOUNT_ACTIONS, type AccountAction, type AccountRecord} from './accounts.js'
import {workbookAndCsv, type ExportFile} from './files.js'
import {makeTable, type Column, type Lang} from './table.js'

/** The columns of every account sheet: what the system's administrator needs on one row. */
const COLUMNS: Column<AccountRecord>[] = [
  {vi: 'Tên đăng nhập', en: 'Username', value: (r) => r.username},
  {vi: 'Người sử dụng', en: 'Holder', value: (r) => r.holder},
  {vi: 'Vai trò', en: 'Role', value: (r) => r.role},
  {vi: 'Mã đơn vị cũ', en: 'Old unit code', value: (r) => r.old?.unit.code ?? null},
  {vi: 'Tên đơn vị cũ', en: 'Old unit name', value: (r) => r.old?.unit.name ?? null},
  {vi: 'Mã đơn vị mới', en: 'New unit code', value: (r) => r.new?.unit.code ?? null},
  {vi: 'Tên đơn vị mới', en: 'New unit name', value: (r) => r.new?.unit.name ?? null},
  {vi: 'Mã cơ quan cũ', en: 'Old agency id', value: (r) => r.old?.agency.id ?? null},
  {vi: 'Tên cơ quan cũ', en: 'Old agency name', value: (r) => r.old?.agency.name ?? null},
  {vi: 'Mã định danh cũ', en: 'Old identifier code', value: (r) => r.old?.agency.identifierCode ?? null},
  {vi: 'Mã cơ quan mới', en: 'New agency id', value: (r) => r.new?.agency.id ?? null},
  {vi: 'Tên cơ quan mới', en: 'New agency name', value: (r) => r.new?.agency.name ?? null},
  {vi: 'Mã định danh mới', en: 'New identifier code', value: (r) => r.new?.agency.identifierCode ?? null},
  {vi: 'Tài khoản kế thừa', en: 'Successor account', value: (r) => r.successor},
  {vi: 'Lý do', en: 'Reason', value: (r) => r.reason},
]

export const ACTION_SHEETS: Record<AccountAction, {slug: string; vi: string; en: string}> = {
  create: {slug: 'create', vi: 'Tạo mới', en: 'Create'},
  move: {slug: 'move', vi: 'Chuyển đơn vị (phân quyền lại)', en: 'Move (re-permission)'},
  disable: {slug: 'disable', vi: 'Khóa', en: 'Disable'},
  enable: {slug: 'enable', vi: 'Mở khóa', en: 'Enable'},
}

/**
 * One workbook per system (`accounts/<system>.xlsx`, a sheet per action) and the same sheets as CSV.
 * Every action of a forward export has its sheet, empty or not; `enable` only when undoing a run.
 */
export function accountFiles(
  system: string,
  records: readonly AccountRecord[],
  lang: Lang,
  reverse: boolean,
): ExportFile[] {
  const actions = ACCOUNT_ACTIONS.filter((a) => a !== 'enable' || reverse)
  const tables = actions.map((action) =>
    makeTable(
      ACTION_SHEETS[action],
      COLUMNS,
      records.filter((r) => r.system === system && r.action === action),
      lang,
    ),
  )
  return workbookAndCsv('accounts', system, system, tables)
}
