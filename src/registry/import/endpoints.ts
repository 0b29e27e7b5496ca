import type {Registry} from '../db.js'
import {AXES, ENDPOINT_STATUSES} from '../vocabulary.js'
import {defineExport, optional, required, type ImportResult} from './export-format.js'
import {address, agencyId, identifierCode, oneOf, text} from './fields.js'
import {importExport} from './import-export.js'

/**
 * Registrations on the document-exchange axes, key (axis, agency_code). The parent code may name an
 * agency outside the registry (a ministry on the national axis), so only its format is checked.
 */
export const endpointsExport = defineExport({
  table: 'endpoints',
  columns: {
    axis: required(oneOf(AXES)),
    agency_code: required(identifierCode),
    parent_code: optional(identifierCode),
    agency_id: required(agencyId),
    name: required(text),
    mail: optional(address),
    status: optional(oneOf(ENDPOINT_STATUSES), {default: 'registered'}),
  },
  references: [{column: 'agency_id', table: 'agencies', keys: (e) => e.agency_id}],
})

export function importEndpoints(registry: Registry, file: string): Promise<ImportResult> {
  return importExport(registry, endpointsExport, file)
}
