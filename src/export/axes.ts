import {byCodePoint} from '../collections.js'
import type {Image} from '../registry/export-reads.js'
import {AXES} from '../registry/vocabulary.js'
import type {ChangeSet} from './changes.js'
import {workbookAndCsv, type ExportFile} from './files.js'
import type {RowStates} from './states.js'
import {makeTable, type Column, type Lang} from './table.js'

/**
 * The document-exchange axes (provincial and national): the agencies to register, update and unregister,
 * with the fields the axis's SDK takes (identifier code, name, parent code, official mail).
 */

export const AXIS_ACTIONS = ['register', 'update', 'unregister'] as const
export type AxisAction = (typeof AXIS_ACTIONS)[number]

export interface AxisRecord {
  axis: string
  action: AxisAction
  code: string
  name: string | null
  parentCode: string | null
  mail: string | null
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))
const FORWARD = {
  'endpoint.register': 'register',
  'endpoint.update': 'update',
  'endpoint.unregister': 'unregister',
} as const
const UNDO: Record<AxisAction, AxisAction> = {
  register: 'unregister',
  update: 'update',
  unregister: 'register',
}

export function axisRecords(set: ChangeSet, states: RowStates): AxisRecord[] {
  const out: AxisRecord[] = []
  for (const c of set.changes) {
    if (c.kind !== 'endpoint.register' && c.kind !== 'endpoint.update' && c.kind !== 'endpoint.unregister')
      continue
    const forward = FORWARD[c.kind]
    const action = set.reverse ? UNDO[forward] : forward
    // An unregistration names the endpoint as it was; the others as it becomes.
    const row: Image | undefined =
      action === 'unregister' ? states.old('endpoints', c.key) : states.new('endpoints', c.key)
    out.push({
      axis: c.key.axis,
      action,
      code: c.key.agency_code,
      name: str(row?.name),
      parentCode: str(row?.parent_code),
      mail: str(row?.mail),
    })
  }
  return out.sort(
    (a, b) => byCodePoint(a.axis, b.axis) || byCodePoint(a.action, b.action) || byCodePoint(a.code, b.code),
  )
}

const COLUMNS: Column<AxisRecord>[] = [
  {vi: 'Mã định danh', en: 'Identifier code', value: (r) => r.code},
  {vi: 'Tên cơ quan', en: 'Name', value: (r) => r.name},
  {vi: 'Mã cơ quan cấp trên', en: 'Parent code', value: (r) => r.parentCode},
  {vi: 'Thư điện tử công vụ', en: 'Official mail', value: (r) => r.mail},
]

const SHEETS: Record<AxisAction, {slug: string; vi: string; en: string}> = {
  register: {slug: 'register', vi: 'Đăng ký', en: 'Register'},
  update: {slug: 'update', vi: 'Cập nhật', en: 'Update'},
  unregister: {slug: 'unregister', vi: 'Hủy đăng ký', en: 'Unregister'},
}

/** `axes/<axis>.xlsx` with a sheet per action, and the same as CSV, for each axis. */
export function axisFiles(
  axis: (typeof AXES)[number],
  records: readonly AxisRecord[],
  lang: Lang,
): ExportFile[] {
  const tables = AXIS_ACTIONS.map((action) =>
    makeTable(
      SHEETS[action],
      COLUMNS,
      records.filter((r) => r.axis === axis && r.action === action),
      lang,
    ),
  )
  return workbookAndCsv('axes', axis, axis, tables)
}
