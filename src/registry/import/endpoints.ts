import {z} from 'zod'
import {refreshStatistics, type Registry} from '../db.js'
import {
  Problems,
  address,
  agencyId,
  checkDuplicates,
  checkReferences,
  columnsOf,
  existingKeys,
  identifierCode,
  oneOf,
  readExport,
  text,
  withUnchanged,
  type ImportResult,
} from './records.js'
import {upsertRows, type UpsertColumn} from './upsert.js'

export const ENDPOINT_COLUMNS = {
  required: ['axis', 'agency_code', 'agency_id', 'name'],
  optional: ['parent_code', 'mail', 'status'],
} as const

const schema = z.object({
  axis: oneOf(['provincial', 'national']),
  agency_code: identifierCode,
  parent_code: identifierCode.nullable(),
  agency_id: agencyId,
  name: text,
  mail: address.nullable(),
  status: oneOf(['registered', 'unregistered']).nullable(),
})
type EndpointRecord = z.infer<typeof schema>

const COLUMNS: (UpsertColumn & {get: (e: EndpointRecord) => unknown})[] = [
  {name: 'axis', type: 'text', get: (e) => e.axis},
  {name: 'agency_code', type: 'text', get: (e) => e.agency_code},
  {name: 'parent_code', type: 'text', get: (e) => e.parent_code},
  {name: 'agency_id', type: 'text', get: (e) => e.agency_id},
  {name: 'name', type: 'text', get: (e) => e.name},
  {name: 'mail', type: 'text', get: (e) => e.mail},
  {name: 'status', type: 'text', get: (e) => e.status ?? 'registered'},
]

/**
 * Import the document-exchange registrations of one or both axes: upsert by (axis, agency_code). The
 * parent code may name an agency outside the registry (a ministry on the national axis), so only its
 * format is checked.
 */
export async function importEndpoints(registry: Registry, file: string): Promise<ImportResult> {
  const problems = new Problems(file)
  const {present, records} = await readExport(file, ENDPOINT_COLUMNS, schema, problems)
  checkDuplicates(
    problems,
    records,
    (e) => `${e.axis}\t${e.agency_code}`,
    (e) => `endpoint ${e.agency_code} on the ${e.axis} axis`,
  )

  const result = await registry.db.transaction(async (trx) => {
    const agencies = await existingKeys(
      trx,
      'agencies',
      'id',
      records.map((r) => r.value.agency_id),
    )
    checkReferences(
      problems,
      records,
      (e) => e.agency_id,
      (k) => agencies.has(k),
      (e) => `column "agency_id": agency ${e.agency_id} is not in the registry`,
    )
    problems.throwIfAny()

    const counts = await upsertRows(
      trx,
      {
        table: 'endpoints',
        columns: COLUMNS,
        key: ['axis', 'agency_code'],
        update: COLUMNS.map((c) => c.name).filter(
          (c) => c !== 'axis' && c !== 'agency_code' && present.has(c),
        ),
      },
      columnsOf(
        records,
        COLUMNS.map((c) => c.get),
      ),
    )
    return withUnchanged({file, table: 'endpoints', rows: records.length}, counts)
  })
  await refreshStatistics(registry.db)
  return result
}
