/**
 * Every word of the report page, in Vietnamese (the default: the page is for the people who approve a
 * province's plan) and English. Terms follow the hand-off files (src/export) and the domain notes.
 * Numbers follow the language: `29.022` in Vietnamese, `29,022` in English.
 */
import type {Lang} from '../describe.js'

export interface PageLabels {
  num(n: number): string
  title: string
  noDecision: string
  effective: string
  notOfficial: string
  planDigest: string
  mapping: string
  mappingFiles(n: string): string
  madeBy: string
  format: string
  approvals: string
  noApprovals: string
  unnamed: string
  notVerified: string
  navSummary: string
  navUnits: string
  navChanges: string
  summary: string
  operations: string
  create: string
  change: string
  remove: string
  newUnits: string
  noChanges: string
  unitsLine(c: string, r: string, t: string, p: string, x: string): string
  byKind: string
  kind: string
  table: string
  count: string
  total: string
  bySystem: string
  system: string
  byTable: string
  rows: string
  warnings(n: string, one: boolean): string
  unitsHeading: string
  legend: string
  defaultBadge: string
  splitBadge: string
  showAllUnits(n: string): string
  noOldUnit: string
  notInUnitList: string
  changesOf(n: string, one: boolean): string
  noChangesUnit: string
  onPage(n: string): string
  noUnitMatches: string
  changesHeading: string
  /** `file`: the plan's path, HTML-escaped. */
  omitted(embedded: string, total: string, quota: string, left: string, file: string): string
  filter: string
  filterHint: string
  allKinds: string
  allSystems: string
  clear: string
  noscript: string
  colChange: string
  colUnit: string
  footer(digest: string): string
  /** For the page's script. */
  script: {
    key: string
    beforeAfter: string
    note: string
    onThisPage: string
    noMatch: string
    showing: string
    showMore: string
  }
  unitChange: Record<string, string>
}

const viNum = (n: number) => n.toLocaleString('en-US').replace(/,/g, '.')
const enNum = (n: number) => n.toLocaleString('en-US')

const VI: PageLabels = {
  num: viNum,
  title: 'Kế hoạch sapxep',
  noDecision: '(chưa có số nghị quyết)',
  effective: 'Có hiệu lực từ',
  notOfficial: 'không phải văn bản chính thức',
  planDigest: 'Mã băm của kế hoạch',
  mapping: 'Tệp ánh xạ',
  mappingFiles: (n) => `${n} tệp ánh xạ và mã băm của chúng`,
  madeBy: 'Lập bằng',
  format: 'định dạng',
  approvals: 'Phê duyệt',
  noApprovals: 'chưa có',
  unnamed: 'không ghi tên',
  notVerified:
    'trang này không kiểm tra chữ ký: <code>apply --require-approvals</code> kiểm tra chữ ký với các khóa được tin cậy',
  navSummary: 'Tổng hợp',
  navUnits: 'Đơn vị mới',
  navChanges: 'Các thay đổi',
  summary: 'Tổng hợp',
  operations: 'thao tác',
  create: '+ tạo mới',
  change: '~ thay đổi',
  remove: '− khóa hoặc thôi hoạt động',
  newUnits: 'đơn vị mới',
  noChanges: 'Không có thay đổi: cơ sở dữ liệu đã khớp với phương án sắp xếp.',
  unitsLine: (c, r, t, p, x) =>
    `Đơn vị: ${c} thành lập · ${r} đổi tên · ${t} đổi loại hình · ${p} đổi đơn vị cấp trên · ${x} thôi hoạt động`,
  byKind: 'Thao tác theo loại',
  kind: 'Loại',
  table: 'Bảng',
  count: 'Số lượng',
  total: 'Tổng cộng',
  bySystem: 'Tài khoản theo hệ thống',
  system: 'Hệ thống',
  byTable: 'Số dòng theo bảng',
  rows: 'Số dòng',
  warnings: (n) => `${n} cảnh báo`,
  unitsHeading: 'Đơn vị mới và các đơn vị cũ hợp thành',
  legend:
    '<span class="chip whole">toàn bộ</span> nhập toàn bộ đơn vị cũ · <span class="chip part">một phần</span> nhập một phần đơn vị cũ · <span class="badge">mặc định</span> đơn vị kế thừa mặc định của đơn vị bị chia · <span class="badge split">chia</span> đơn vị cũ được chia cho nhiều đơn vị mới',
  defaultBadge: 'mặc định',
  splitBadge: 'chia',
  showAllUnits: (n) => `Xem cả ${n} đơn vị mới (hoặc gõ vào ô lọc bên dưới để tìm)`,
  noOldUnit: 'không có đơn vị cũ',
  notInUnitList: '(không có trong danh sách đơn vị)',
  changesOf: (n) => `${n} thay đổi`,
  noChangesUnit: 'không có thay đổi',
  onPage: (n) => `(${n} có trên trang này)`,
  noUnitMatches: 'Không có đơn vị nào khớp với bộ lọc.',
  changesHeading: 'Các thay đổi',
  omitted: (embedded, total, quota, left, file) =>
    `Trang này chứa <b>${embedded}</b> trên <b>${total}</b> thao tác (nhiều nhất ${quota} thao tác mỗi đơn vị và mỗi loại) để trang vẫn mở được; <b>${left}</b> thao tác không có ở đây. Phần tổng hợp bên trên là đầy đủ. Mọi thao tác đều có trong tệp kế hoạch: <code>sapxep show ${file} --full</code> hoặc <code>--format json</code>.`,
  filter: 'Lọc',
  filterHint: 'mã, tên, tài khoản, địa chỉ thư… (unit:13669 cho một đơn vị)',
  allKinds: 'mọi loại',
  allSystems: 'mọi hệ thống',
  clear: 'Xóa bộ lọc',
  noscript: 'Bảng thay đổi cần JavaScript; phần tổng hợp và sơ đồ đơn vị bên trên thì không.',
  colChange: 'Thay đổi (bấm để xem dữ liệu gốc)',
  colUnit: 'Đơn vị mới',
  footer: (digest) => `Lập bằng sapxep từ kế hoạch <code>${digest}</code>. Trang này không tải gì từ mạng.`,
  script: {
    key: 'Dòng',
    beforeAfter: 'Trước → sau',
    note: 'Ghi chú',
    onThisPage: '({0} trên {1} thao tác có trên trang này)',
    noMatch: 'Không có thay đổi nào khớp với bộ lọc{0}.',
    showing: 'Đang hiện {0} trên {1} thay đổi khớp bộ lọc{2}.',
    showMore: 'Xem thêm {0}',
  },
  unitChange: {create: 'thành lập', update: 'cập nhật', keep: 'giữ nguyên'},
}

const EN: PageLabels = {
  num: enNum,
  title: 'sapxep plan',
  noDecision: '(no decision number)',
  effective: 'Effective',
  notOfficial: 'not an official decision',
  planDigest: 'Plan digest',
  mapping: 'Mapping',
  mappingFiles: (n) => `${n} mapping files and their digests`,
  madeBy: 'Made by',
  format: 'format',
  approvals: 'Approvals',
  noApprovals: 'none',
  unnamed: 'unnamed',
  notVerified:
    'not verified here: <code>apply --require-approvals</code> checks signatures against trusted keys',
  navSummary: 'Summary',
  navUnits: 'New units',
  navChanges: 'Changes',
  summary: 'Summary',
  operations: 'operations',
  create: '+ create',
  change: '~ change',
  remove: '− disable or retire',
  newUnits: 'new units',
  noChanges: 'No changes: the registry already matches the mapping.',
  unitsLine: (c, r, t, p, x) =>
    `Units: ${c} created · ${r} renamed · ${t} retyped · ${p} re-parented · ${x} retired`,
  byKind: 'Operations by kind',
  kind: 'Kind',
  table: 'Table',
  count: 'Count',
  total: 'Total',
  bySystem: 'Accounts by system',
  system: 'System',
  byTable: 'Rows by table',
  rows: 'Rows',
  warnings: (n, one) => `${n} ${one ? 'warning' : 'warnings'}`,
  unitsHeading: 'New units and the old units that form them',
  legend:
    '<span class="chip whole">whole</span> old unit merged whole · <span class="chip part">part</span> part of an old unit · <span class="badge">default</span> default successor of a divided unit · <span class="badge split">split</span> old unit divided among several new units',
  defaultBadge: 'default',
  splitBadge: 'split',
  showAllUnits: (n) => `Show all ${n} new units (or type in the filter below to find some)`,
  noOldUnit: 'no old unit listed',
  notInUnitList: '(not in the unit list)',
  changesOf: (n, one) => `${n} ${one ? 'change' : 'changes'}`,
  noChangesUnit: 'no changes',
  onPage: (n) => `(${n} on this page)`,
  noUnitMatches: 'No unit matches the filter.',
  changesHeading: 'Changes',
  omitted: (embedded, total, quota, left, file) =>
    `This page embeds <b>${embedded}</b> of <b>${total}</b> operations (at most ${quota} per unit and kind) so that it stays loadable; <b>${left}</b> are left out. The summary above is complete. Every operation is in the plan file: <code>sapxep show ${file} --full</code> or <code>--format json</code>.`,
  filter: 'Filter',
  filterHint: 'code, name, username, address… (unit:13669 for one unit)',
  allKinds: 'all kinds',
  allSystems: 'all systems',
  clear: 'Clear',
  noscript: 'The change tables need JavaScript; the summary and unit picture above do not.',
  colChange: 'Change (click for the raw values)',
  colUnit: 'New unit',
  footer: (digest) =>
    `Made by sapxep from plan <code>${digest}</code>. This page loads nothing from the network.`,
  script: {
    key: 'Key',
    beforeAfter: 'Before → after',
    note: 'Note',
    onThisPage: '({0} of {1} operations are on this page)',
    noMatch: 'No change matches the filter{0}.',
    showing: 'Showing {0} of {1} matching changes{2}.',
    showMore: 'Show {0} more',
  },
  unitChange: {create: 'create', update: 'update', keep: 'keep'},
}

export const PAGE_LABELS: Record<Lang, PageLabels> = {vi: VI, en: EN}
