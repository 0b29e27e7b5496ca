import {SapxepError} from '../../errors.js'
import {bodyName, localBodyName} from '../../naming/agencies.js'
import {unitSlug} from '../../naming/text.js'
import type {LocalKind} from '../vocabulary.js'

/**
 * The conventions of the sample registry: agency ids and names, identifier codes, official addresses.
 * The plan engine relies on them (agency id = `<unit_code>.<kind>`, codes by QCVN 102), so they live
 * here as pure functions rather than inside the generator.
 */

export {LOCAL_KINDS, type LocalKind} from '../vocabulary.js'

/**
 * Bodies other than the People's Committee that have an official address in the sample, prefixed by the
 * body's short form (`hdnd.<commune>.<district>@`); the police have none.
 */
export const PREFIXED_MAIL_KINDS: readonly LocalKind[] = ['hdnd', 'dang_uy', 'mttq']

export interface Department {
  kind: string
  name: string
  /** Local part of its official address (`stttt@namdinh.gov.vn`). */
  abbreviation: string
}

/** Departments of every province, in order: the i-th (from 1) has identifier code `000.00.<i:02>.<level 1>`. */
export const DEPARTMENTS: readonly Department[] = [
  {kind: 'so_noi_vu', name: 'Sở Nội vụ', abbreviation: 'snv'},
  {kind: 'so_tai_chinh', name: 'Sở Tài chính', abbreviation: 'stc'},
  {kind: 'so_ke_hoach_dau_tu', name: 'Sở Kế hoạch và Đầu tư', abbreviation: 'skhdt'},
  {kind: 'so_tu_phap', name: 'Sở Tư pháp', abbreviation: 'stp'},
  {kind: 'so_cong_thuong', name: 'Sở Công Thương', abbreviation: 'sct'},
  {kind: 'so_nong_nghiep_ptnt', name: 'Sở Nông nghiệp và Phát triển nông thôn', abbreviation: 'snnptnt'},
  {kind: 'so_giao_thong_van_tai', name: 'Sở Giao thông vận tải', abbreviation: 'sgtvt'},
  {kind: 'so_xay_dung', name: 'Sở Xây dựng', abbreviation: 'sxd'},
  {kind: 'so_tai_nguyen_moi_truong', name: 'Sở Tài nguyên và Môi trường', abbreviation: 'stnmt'},
  {kind: 'so_thong_tin_truyen_thong', name: 'Sở Thông tin và Truyền thông', abbreviation: 'stttt'},
  {kind: 'so_lao_dong_tbxh', name: 'Sở Lao động - Thương binh và Xã hội', abbreviation: 'sldtbxh'},
  {kind: 'so_van_hoa_the_thao_du_lich', name: 'Sở Văn hóa, Thể thao và Du lịch', abbreviation: 'svhttdl'},
  {kind: 'so_khoa_hoc_cong_nghe', name: 'Sở Khoa học và Công nghệ', abbreviation: 'skhcn'},
  {kind: 'so_gd_dt', name: 'Sở Giáo dục và Đào tạo', abbreviation: 'sgddt'},
  {kind: 'so_y_te', name: 'Sở Y tế', abbreviation: 'syt'},
].map((d) => ({...d, name: d.name.normalize('NFC')}))

export function agencyId(unitCode: string, kind: string): string {
  return `${unitCode}.${kind}`
}

/** `Ủy ban nhân dân xã Nghĩa Hưng`, `Sở Tư pháp tỉnh Nam Định`. */
export function agencyName(kind: string, unitName: string): string {
  const department = DEPARTMENTS.find((d) => d.kind === kind)
  const name = department ? bodyName(department.name, unitName) : localBodyName(kind, unitName)
  if (!name) throw new Error(`no name for agency kind ${kind}`)
  return name
}

export {provinceDomain} from '../../naming/addresses.js'

/** `H40` → `K40`: the People's Council of a province has the K group with the same digits. */
export function councilLevel1(level1: string): string {
  return `K${level1.slice(1)}`
}

export function identifierCode(v: number, z: number, y: number, level1: string): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `${String(v).padStart(3, '0')}.${two(z)}.${two(y)}.${level1}`
}

/** Level-2 numbers (Y1Y2) of districts start after the departments' range (01..20). */
export const FIRST_DISTRICT_Y = 21

/** A unit's place in the identifier-code tree: its People's Committee is `000.<z>.<y>.<level 1>`. */
export interface CodeSlot {
  y: number
  /** 0 for a district (or a commune coded at level 2). */
  z: number
}

export interface ProvinceShape {
  /** Districts in code order, each with its communes in code order. */
  districts: {code: string; communes: string[]}[]
  /** Communes directly under the province (after the 2025 reform), in code order. */
  communes: string[]
}

/**
 * Identifier-code slots of a province's districts and communes (QCVN 102, src/naming/identifier-codes.ts):
 * - district j (1-based, code order) → Y = 20 + j, Z = 00;
 * - commune k of its district (1-based, code order) → Z = k under the district's Y.
 * Overflow, deterministic (never reached by the real 2025 lists: at most 30 districts and 49 communes
 * per district): communes past the 99th of a district, and communes directly under the province, are
 * coded in groups of 99 under extra Y numbers taken after the last district's, first the province's
 * own communes, then each district's overflow in district code order. A province needing more than 99
 * Y numbers cannot be coded and is refused.
 */
export function allocateCodeSlots(provinceCode: string, shape: ProvinceShape): Map<string, CodeSlot> {
  const slots = new Map<string, CodeSlot>()
  let nextY = FIRST_DISTRICT_Y
  const takeY = () => {
    if (nextY > 99)
      throw new SapxepError(
        `province ${provinceCode} has too many districts and communes for two-digit identifier-code levels`,
      )
    return nextY++
  }
  for (const d of shape.districts) slots.set(d.code, {y: takeY(), z: 0})
  const group = (communes: string[]) => {
    let y = 0
    communes.forEach((code, i) => {
      if (i % 99 === 0) y = takeY()
      slots.set(code, {y, z: (i % 99) + 1})
    })
  }
  group(shape.communes)
  for (const d of shape.districts) {
    const y = slots.get(d.code)!.y
    d.communes.slice(0, 99).forEach((code, i) => slots.set(code, {y, z: i + 1}))
  }
  for (const d of shape.districts) group(d.communes.slice(99))
  return slots
}

/** The mail slug of each unit, unique among the units sharing its address space, suffixed 2, 3… in code order. */
export function uniqueSlugs(units: {code: string; name: string}[]): Map<string, string> {
  const taken = new Set<string>()
  const out = new Map<string, string>()
  for (const u of [...units].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    const base = unitSlug(u.name) || u.code
    let slug = base
    for (let n = 2; taken.has(slug); n++) slug = `${base}${n}`
    taken.add(slug)
    out.set(u.code, slug)
  }
  return out
}

/**
 * Addresses handed out within one province: the first to ask gets `<head>.<tail>`, later ones
 * `<head>2.<tail>`, `<head>3.<tail>`…
 */
export class AddressBook {
  private readonly taken = new Set<string>()

  constructor(readonly domain: string) {}

  take(head: string, tail = ''): string {
    const rest = tail ? `.${tail}@${this.domain}` : `@${this.domain}`
    let address = `${head}${rest}`
    for (let n = 2; this.taken.has(address); n++) address = `${head}${n}${rest}`
    this.taken.add(address)
    return address
  }
}
