import type {Knex} from 'knex'
import {InputError, SapxepError} from '../../errors.js'
import {splitUnitName} from '../../naming/text.js'
import {refreshStatistics, type Registry} from '../db.js'
import {query} from '../sql.js'
import {CODE_LENGTH, LEVEL_NAMES, UNIT_TYPES_BY_LEVEL, type UnitLevel} from '../vocabulary.js'
import {dataFile} from '../data-files.js'
import {readCsv, type CsvRow} from './csv.js'
import {matchUnitErrata, readUnitErrata, type UnitErratum} from './unit-errata.js'
import {writeTransaction} from '../write.js'

export interface ListedUnit {
  code: string
  name: string
  type: string
  level: UnitLevel
  parentCode: string | null
  englishName: string | null
}

export interface ImportUnitsResult {
  file: string
  format: 'gso' | 'province-snapshot'
  units: {province: number; district: number; commune: number}
  inserted: number
  updated: number
  unchanged: number
  /** The errata file read (null: the list as published) and the stale rows it retired. */
  errata: {
    file: string | null
    retired: Array<{code: string; name: string; successor: UnitErratum['successor']; evidence: string}>
  }
}

export interface ImportUnitsOptions {
  /** The list as published: no errata applied. */
  asPrinted?: boolean
  /** Errata of the lists (default: the shipped data/errata/gso-units-2025.csv). */
  errata?: string
}

/** The two list formats: GSO's national list and the per-province snapshot (dvhcvn). */
const FORMATS = {
  gso: {
    columns: ['Tỉnh Thành Phố', 'Mã TP', 'Quận Huyện', 'Mã QH', 'Phường Xã', 'Mã PX', 'Cấp', 'Tên Tiếng Anh'],
    read: (v: Record<string, string>) => ({
      province: {code: v['Mã TP'], name: v['Tỉnh Thành Phố'], type: ''},
      district: {code: v['Mã QH'], name: v['Quận Huyện'], type: ''},
      commune: {code: v['Mã PX'], name: v['Phường Xã'], type: v['Cấp']},
      englishName: v['Tên Tiếng Anh'],
    }),
  },
  'province-snapshot': {
    columns: [
      'province_code',
      'province_name',
      'district_code',
      'district_name',
      'district_type',
      'commune_code',
      'commune_name',
      'commune_type',
    ],
    read: (v: Record<string, string>) => ({
      province: {code: v.province_code, name: v.province_name, type: ''},
      district: {code: v.district_code, name: v.district_name, type: v.district_type},
      commune: {code: v.commune_code, name: v.commune_name, type: v.commune_type},
      englishName: '',
    }),
  },
} as const

/** Parse a unit list into one row per unit, checking every row; throws at the first bad line. */
export async function readUnitsFile(
  file: string,
): Promise<{format: keyof typeof FORMATS; units: ListedUnit[]}> {
  const head = await readCsv(file, {required: []})
  const format = (Object.keys(FORMATS) as (keyof typeof FORMATS)[]).find((f) =>
    FORMATS[f].columns.every((c) => head.header.includes(c)),
  )
  if (!format) {
    // Name the missing columns of the format the header is closest to.
    const closest = (Object.keys(FORMATS) as (keyof typeof FORMATS)[])
      .map((f) => ({f, missing: FORMATS[f].columns.filter((c) => !head.header.includes(c))}))
      .sort((a, b) => a.missing.length - b.missing.length)[0]
    throw new InputError(
      file,
      1,
      closest.missing.length < FORMATS[closest.f].columns.length / 2
        ? `missing column${closest.missing.length > 1 ? 's' : ''} ${closest.missing.map((c) => `"${c}"`).join(', ')} of the ${closest.f} format`
        : `not a unit list: expected the GSO header (${FORMATS.gso.columns.join(', ')}) or the province snapshot header (${FORMATS['province-snapshot'].columns.join(', ')})`,
    )
  }
  const units = new Map<string, ListedUnit & {line: number}>()
  for (const row of head.rows) {
    const {province, district, commune, englishName} = FORMATS[format].read(row.values)
    add(units, file, row, 1, province.code, province.name, province.type, null, '')
    if (district.code || district.name)
      add(units, file, row, 2, district.code, district.name, district.type, province.code, '')
    if (commune.code || commune.name)
      add(units, file, row, 3, commune.code, commune.name, commune.type, district.code || null, englishName)
  }
  return {format, units: [...units.values()].map(({line: _line, ...u}) => u)}
}

function add(
  units: Map<string, ListedUnit & {line: number}>,
  file: string,
  row: CsvRow,
  level: UnitLevel,
  code: string,
  name: string,
  explicitType: string,
  parentCode: string | null,
  englishName: string,
): void {
  const what = LEVEL_NAMES[level]
  if (!/^[0-9]+$/.test(code) || code.length !== CODE_LENGTH[level])
    throw new InputError(
      file,
      row.line,
      code === ''
        ? `missing ${what} code`
        : `${what} code "${code}" must be ${CODE_LENGTH[level]} digits (codes are strings with leading zeros)`,
    )
  if (!name) throw new InputError(file, row.line, `missing ${what} name for code ${code}`)
  if (level > 1 && !parentCode)
    throw new InputError(
      file,
      row.line,
      `${what} ${code} (${name}) has an unknown parent: its ${LEVEL_NAMES[(level - 1) as UnitLevel]} code is empty`,
    )
  const type = explicitType || splitUnitName(name).type
  if (!(UNIT_TYPES_BY_LEVEL[level] as readonly string[]).includes(type))
    throw new InputError(
      file,
      row.line,
      `${what} ${code} (${name}): type "${type || '(none)'}" is not a ${what} type (${UNIT_TYPES_BY_LEVEL[level].join(', ')})`,
    )
  const unit = {code, name, type, level, parentCode, englishName: englishName || null, line: row.line}
  const seen = units.get(code)
  if (!seen) {
    units.set(code, unit)
    return
  }
  if (seen.name !== name || seen.parentCode !== parentCode || seen.type !== type || seen.level !== level)
    throw new InputError(
      file,
      row.line,
      `${what} ${code} is "${name}" under ${parentCode ?? '-'} here but "${seen.name}" under ${seen.parentCode ?? '-'} on line ${seen.line}`,
    )
}

/**
 * Import a unit list: one transaction, upsert by code, rows that did not change are not written.
 * Parents must be in the file or already in the registry. Rows the errata describe as stale are
 * recorded retired (never deleted, never re-activated), linked to their successor where it is known.
 */
export async function importUnits(
  registry: Registry,
  file: string,
  opts: ImportUnitsOptions = {},
): Promise<ImportUnitsResult> {
  const {format, units} = await readUnitsFile(file)
  const errataFile = opts.asPrinted ? null : (opts.errata ?? dataFile('errata/gso-units-2025.csv'))
  const stale = errataFile ? matchUnitErrata(await readUnitErrata(errataFile), units) : []
  const fileCodes = new Set(units.map((u) => u.code))
  // Under the write lock: an apply checks the registry is as its plan read it, then writes.
  const result = await writeTransaction(registry, {}, async (trx) => {
    const successors = stale.flatMap((e) => (e.successor ? [e.successor.code] : []))
    const outside = [
      ...new Set(
        [...units.map((u) => u.parentCode), ...successors].filter(
          (p): p is string => !!p && !fileCodes.has(p),
        ),
      ),
    ]
    if (outside.length > 0) {
      const known = new Set(
        (await trx.raw(`select code from units where code = any(?::text[])`, [outside])).rows.map(
          (r: {code: string}) => r.code,
        ),
      )
      const unknown = outside.find((p) => !known.has(p))
      if (unknown)
        throw new SapxepError(
          `${file}: ${successors.includes(unknown) ? 'successor' : 'parent'} ${unknown} is neither in the file nor in the registry`,
        )
    }
    const written = await upsertUnits(trx, units, stale)
    const count = (level: UnitLevel) => units.filter((u) => u.level === level).length
    return {
      file,
      format,
      units: {province: count(1), district: count(2), commune: count(3)},
      inserted: written.inserted,
      updated: written.updated,
      unchanged: units.length - written.inserted - written.updated,
      errata: {
        file: errataFile,
        retired: stale.map(({code, name, successor, evidence}) => ({code, name, successor, evidence})),
      },
    }
  })
  await refreshStatistics(registry.db)
  return result
}

/**
 * One statement for the units, one for the stale rows' successor links. A list never re-activates a
 * unit (a plan may have retired it since); a stale row retires it.
 */
async function upsertUnits(
  trx: Knex.Transaction,
  units: ListedUnit[],
  stale: UnitErratum[],
): Promise<{inserted: number; updated: number}> {
  const col = <K extends keyof ListedUnit>(k: K) => units.map((u) => u[k])
  const retiredBy = new Map(stale.map((e) => [e.code, e.retiredBy]))
  const rows = await query<{inserted: boolean}>(
    trx,
    `insert into units as u (code, name, type, level, parent_code, english_name, status, valid_to)
     select c, n, t, l, p, e, case when r is null then 'active' else 'retired' end, r
       from unnest(?::text[], ?::text[], ?::text[], ?::smallint[], ?::text[], ?::text[], ?::date[])
            as x(c, n, t, l, p, e, r)
     on conflict (code) do update
       set name = excluded.name, type = excluded.type, level = excluded.level,
           parent_code = excluded.parent_code, english_name = excluded.english_name,
           status = case when excluded.status = 'retired' then 'retired' else u.status end,
           valid_to = case when excluded.status = 'retired' then coalesce(u.valid_to, excluded.valid_to)
                           else u.valid_to end
       where (u.name, u.type, u.level, u.parent_code, u.english_name)
             is distinct from (excluded.name, excluded.type, excluded.level, excluded.parent_code, excluded.english_name)
          or (u.status = 'active' and excluded.status = 'retired')
     returning (xmax = 0) as inserted`,
    [
      col('code'),
      col('name'),
      col('type'),
      col('level'),
      col('parentCode'),
      col('englishName'),
      units.map((u) => retiredBy.get(u.code) ?? null),
    ],
  )
  const links = stale.flatMap((e) => (e.successor ? [{code: e.code, successor: e.successor.code}] : []))
  if (links.length > 0)
    await trx.raw(
      `insert into unit_successors (code, successor_code, is_default)
       select c, s, true from unnest(?::text[], ?::text[]) as x(c, s)
       on conflict do nothing`,
      [links.map((l) => l.code), links.map((l) => l.successor)],
    )
  const inserted = rows.filter((r) => r.inserted).length
  return {inserted, updated: rows.length - inserted}
}
