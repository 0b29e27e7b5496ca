// `node scripts/resolution-shares.js RESOLUTIONS_DIR`: what each province's resolution of 16 June 2025
// gives each new unit receiving part of a split code, written to data/resolution-shares-2025.csv.
// The table only says "part"; the resolution's items say "một phần diện tích tự nhiên của" (area
// only: no population), "một phần diện tích tự nhiên, toàn bộ quy mô dân số" (the whole population),
// "một phần diện tích tự nhiên, quy mô dân số" (area and people) or "phần còn lại" (the rest). Only
// the first two decide a default successor, so only they are written. RESOLUTIONS_DIR holds the
// texts `<number>_NQ-UBTVQH15.md` (the shared data set's resolutions-2025/, data/PROVENANCE.md).
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'
import {applyTableErrata, parseConversionTable, readTableErrata} from '../dist/src/index.js'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const dir = process.argv[2]
if (!dir) {
  process.stderr.write('usage: node scripts/resolution-shares.js RESOLUTIONS_DIR\n')
  process.exit(1)
}
const table = path.join(root, 'data/conversion-table-2025-07-01.csv')
const errataFile = path.join(root, 'data/errata/conversion-table-2025-07-01.csv')
const rows = applyTableErrata(
  parseConversionTable(fs.readFileSync(table, 'utf8'), table).rows,
  await readTableErrata(errataFile),
  errataFile,
)
const resolutions = new Map(
  fs
    .readFileSync(path.join(root, 'data/resolutions-2025.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .map(([code, , number]) => [code, number]),
)

/** Words without tone marks, lower case, single spaces: wrapped OCR lines compare equal. */
const words = (s) =>
  ` ${s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[đĐ]/gu, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `
const proper = (name) => name.replace(/^(phường|xã|thị trấn|đặc khu) /iu, '')

// Longest first: "một phần …, toàn bộ quy mô dân số" contains "một phần diện tích tự nhiên".
const SHARES = [
  ['whole-population', words('một phần diện tích tự nhiên, toàn bộ quy mô dân số của')],
  ['area-and-population', words('một phần diện tích tự nhiên, quy mô dân số của')],
  ['area', words('một phần diện tích tự nhiên của')],
  ['rest', words('phần còn lại của')],
  ['whole', words('toàn bộ diện tích tự nhiên, quy mô dân số của')],
]
const SHARE_COLUMNS = {
  old_code: 1,
  old_name: 1,
  new_code: 1,
  new_name: 1,
  share: 1,
  resolution: 1,
  item: 1,
  wording: 1,
}
const WORDING = {
  'whole-population': 'một phần diện tích tự nhiên, toàn bộ quy mô dân số của',
  area: 'một phần diện tích tự nhiên của',
}

/**
 * Where the old unit is named in an item: with its type word ("xã Tân An"), else, for a name of two
 * words or more, alone (lists name the type once: "các xã A, B và C"). A bare one-word or numeric
 * name ("Phường 4") could match inside another name or a "khoản 4", so it needs its type word.
 */
function nameAt(text, name) {
  const typed = text.indexOf(words(name))
  if (typed >= 0) return typed + words(name).length - words(proper(name)).length
  const bare = words(proper(name))
  return bare.trim().split(' ').length >= 2 && !/[0-9]/.test(bare) ? text.indexOf(bare) : -1
}

/** The items of a resolution: number, the words before "thành … mới có tên gọi là", the new name. */
function items(number) {
  const text = fs.readFileSync(path.join(dir, `${number.replace('/', '_')}.md`), 'utf8').normalize('NFC')
  const parts = text.replaceAll('\\', '').split(/\n\s*(\d+)\. /)
  const out = []
  for (let i = 1; i < parts.length - 1; i += 2) {
    const body = parts[i + 1].replace(/\s+/g, ' ')
    const m = /thành (?:xã|phường|đặc khu) mới có tên gọi là \*\*(.+?)\*\*/u.exec(body)
    if (m) out.push({item: parts[i], before: words(body.slice(0, m.index)), name: words(proper(m[1]))})
  }
  return out
}

const byOld = new Map()
for (const r of rows) if (r.oldCode !== '') byOld.set(r.oldCode, [...(byOld.get(r.oldCode) ?? []), r])
const cache = new Map()
const found = []
let split = 0
let unread = 0
let receiving = 0
for (const [oldCode, rs] of byOld) {
  if (rs.length < 2) continue
  split++
  for (const r of rs) {
    receiving++
    const number = resolutions.get(r.newProvince.code)
    if (!cache.has(number)) cache.set(number, items(number))
    const candidates = cache.get(number).filter((it) => it.name === words(proper(r.newName)))
    const at = candidates.length === 1 ? nameAt(candidates[0].before, r.oldName) : -1
    if (at < 0) {
      unread++
      continue
    }
    const before = candidates[0].before.slice(0, at + 1)
    // The share is the wording nearest before the old unit's name (a list shares one wording).
    const [share] = SHARES.map(([s, w]) => [s, before.lastIndexOf(w)]).reduce((a, b) => (b[1] > a[1] ? b : a))
    if (WORDING[share])
      found.push({
        old_code: oldCode,
        old_name: r.oldName,
        new_code: r.newCode,
        new_name: r.newName,
        share,
        resolution: number,
        item: candidates[0].item,
        wording: `${WORDING[share]} ${r.oldName.replace(/^(\S+)/u, (t) => t.toLowerCase())}`,
      })
  }
}
found.sort((a, b) => (a.old_code + a.new_code < b.old_code + b.new_code ? -1 : 1))
const out = path.join(root, 'data/resolution-shares-2025.csv')
const cell = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
const columns = Object.keys(SHARE_COLUMNS)
fs.writeFileSync(
  out,
  [columns, ...found.map((f) => columns.map((c) => f[c]))].map((r) => r.map(cell).join(',')).join('\n') +
    '\n',
)
process.stderr.write(
  `${split} split codes; ${found.length} shares written to ${path.relative(root, out)}; ${unread} of ${receiving} receiving rows not found in the resolutions (OCR or naming differences)\n`,
)
