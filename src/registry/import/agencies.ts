import {z} from 'zod'
import {refreshStatistics, type Registry} from '../db.js'
import {
  Problems,
  agencyId,
  checkDuplicates,
  checkReferences,
  columnsOf,
  existingKeys,
  identifierCode,
  oneOf,
  readExport,
  slug,
  text,
  unitCode,
  withUnchanged,
  type ImportResult,
} from './records.js'
import {upsertRows, type UpsertColumn} from './upsert.js'

export const AGENCY_COLUMNS = {
  required: ['id', 'unit_code', 'kind', 'name'],
  optional: ['identifier_code', 'parent_id', 'status'],
} as const

const schema = z.object({
  id: agencyId,
  unit_code: unitCode,
  kind: slug('kind'),
  name: text,
  identifier_code: identifierCode.nullable(),
  parent_id: agencyId.nullable(),
  status: oneOf(['active', 'retired']).nullable(),
})
type AgencyRecord = z.infer<typeof schema>

export interface ImportAgenciesResult extends ImportResult {
  /** Identifier codes recorded as issued for the first time. */
  identifierCodesIssued: number
}

const COLUMNS: (UpsertColumn & {get: (a: AgencyRecord) => unknown})[] = [
  {name: 'id', type: 'text', get: (a) => a.id},
  {name: 'unit_code', type: 'text', get: (a) => a.unit_code},
  {name: 'kind', type: 'text', get: (a) => a.kind},
  {name: 'name', type: 'text', get: (a) => a.name},
  {name: 'identifier_code', type: 'text', get: (a) => a.identifier_code},
  {name: 'parent_id', type: 'text', get: (a) => a.parent_id},
  {name: 'status', type: 'text', get: (a) => a.status ?? 'active'},
]

/**
 * Import an agency export: upsert by `id`; each identifier code is also recorded in `identifier_codes`.
 * A code already issued to another agency, or stopped, is refused: codes never move or come back.
 */
export async function importAgencies(registry: Registry, file: string): Promise<ImportAgenciesResult> {
  const problems = new Problems(file)
  const {present, records} = await readExport(file, AGENCY_COLUMNS, schema, problems)
  checkDuplicates(
    problems,
    records,
    (a) => a.id,
    (a) => `agency ${a.id}`,
  )
  // A repeated row is reported once, as a repeated id, not again for its code.
  const ids = new Set<string>()
  checkDuplicates(
    problems,
    records.filter((r) => !ids.has(r.value.id) && ids.add(r.value.id)),
    (a) => (a.identifier_code && (a.status ?? 'active') === 'active' ? a.identifier_code : null),
    (a) => `identifier code ${a.identifier_code} (of an active agency)`,
  )
  for (const {line, value} of records)
    if (value.parent_id === value.id)
      problems.add(line, `column "parent_id": agency ${value.id} cannot be its own parent`)

  const result = await registry.db.transaction(async (trx) => {
    const units = await existingKeys(
      trx,
      'units',
      'code',
      records.map((r) => r.value.unit_code),
    )
    checkReferences(
      problems,
      records,
      (a) => a.unit_code,
      (k) => units.has(k),
      (a) => `column "unit_code": unit ${a.unit_code} is not in the registry`,
    )

    const inFile = new Set(records.map((r) => r.value.id))
    const parents = await existingKeys(
      trx,
      'agencies',
      'id',
      records.map((r) => r.value.parent_id).filter((p): p is string => p !== null && !inFile.has(p)),
    )
    checkReferences(
      problems,
      records,
      (a) => a.parent_id,
      (k) => inFile.has(k) || parents.has(k),
      (a) => `column "parent_id": agency ${a.parent_id} is neither in the file nor in the registry`,
    )

    const codes = records.map((r) => r.value.identifier_code).filter((c): c is string => c !== null)
    const issued = new Map<string, {agency_id: string; status: string}>()
    for (let i = 0; i < codes.length; i += 20_000) {
      const {rows} = await trx.raw(
        `select code, agency_id, status from identifier_codes where code = any(?::text[])`,
        [codes.slice(i, i + 20_000)],
      )
      for (const r of rows) issued.set(r.code, r)
    }
    const holders = new Map<string, string>()
    for (let i = 0; i < codes.length; i += 20_000) {
      const {rows} = await trx.raw(
        `select identifier_code, id from agencies where identifier_code = any(?::text[]) and status = 'active'`,
        [codes.slice(i, i + 20_000)],
      )
      for (const r of rows) holders.set(r.identifier_code, r.id)
    }
    for (const {line, value: a} of records) {
      if (a.identifier_code === null) continue
      const record = issued.get(a.identifier_code)
      const holder = holders.get(a.identifier_code)
      if (record && record.agency_id !== a.id)
        problems.add(
          line,
          `column "identifier_code": ${a.identifier_code} was issued to agency ${record.agency_id}; a code is never given to another agency`,
        )
      else if (record?.status === 'stopped' && (a.status ?? 'active') === 'active')
        problems.add(line, `column "identifier_code": ${a.identifier_code} was stopped and is never reissued`)
      else if (holder && holder !== a.id && !inFile.has(holder))
        problems.add(
          line,
          `column "identifier_code": ${a.identifier_code} belongs to active agency ${holder}`,
        )
    }
    problems.throwIfAny()

    // A column left out of the header is not touched on agencies already in the registry.
    const counts = await upsertRows(
      trx,
      {
        table: 'agencies',
        columns: COLUMNS,
        key: ['id'],
        update: COLUMNS.map((c) => c.name).filter((c) => c !== 'id' && present.has(c)),
      },
      columnsOf(
        records,
        COLUMNS.map((c) => c.get),
      ),
    )
    const withCode = records.filter((r) => r.value.identifier_code !== null)
    const codesWritten = await upsertRows(
      trx,
      {
        table: 'identifier_codes',
        columns: [
          {name: 'code', type: 'text'},
          {name: 'agency_id', type: 'text'},
        ],
        key: ['code'],
        update: [],
      },
      columnsOf(withCode, [(a) => a.identifier_code, (a) => a.id]),
    )
    return {
      ...withUnchanged({file, table: 'agencies', rows: records.length}, counts),
      identifierCodesIssued: codesWritten.inserted,
    }
  })
  await refreshStatistics(registry.db)
  return result
}
