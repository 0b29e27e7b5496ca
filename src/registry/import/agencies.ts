import type {Knex} from 'knex'
import type {Registry} from '../db.js'
import {AGENCY_STATUSES} from '../vocabulary.js'
import {defineExport, optional, required, type ImportResult, type RegistryCheck} from './export-format.js'
import {agencyId, identifierCode, oneOf, slug, text, unitCode} from './fields.js'
import {importExport} from './import-export.js'
import {agencyInvariants} from './invariants.js'
import {rowsMatching} from './lookup.js'

/**
 * Agencies, key `id`. Each identifier code is also recorded in `identifier_codes` as issued to the agency;
 * a code already issued to another agency, or stopped, is refused: codes never move or come back.
 */
export const agenciesExport = defineExport({
  table: 'agencies',
  columns: {
    id: required(agencyId),
    unit_code: required(unitCode),
    kind: required(slug('kind')),
    name: required(text),
    identifier_code: optional(identifierCode),
    parent_id: optional(agencyId),
    status: optional(oneOf(AGENCY_STATUSES), {default: 'active'}),
  },
  unique: [
    {
      keys: (a) => (a.identifier_code !== null && a.status === 'active' ? a.identifier_code : null),
      name: (code) => `identifier code ${code} (of an active agency)`,
      firstRowsOnly: true,
    },
  ],
  references: [
    {column: 'unit_code', table: 'units', keys: (a) => a.unit_code},
    {
      column: 'parent_id',
      table: 'agencies',
      keys: (a) => a.parent_id,
      orInFile: true,
      notSelf: 'cannot be its own parent',
    },
  ],
  registryRule: checkIdentifierCodes,
  invariants: agencyInvariants,
  writes: [
    {
      table: 'identifier_codes',
      columns: ['code', 'agency_id'],
      rows: (a) => (a.identifier_code === null ? [] : [[a.identifier_code, a.id]]),
      update: 'never',
      result: 'identifierCodesIssued',
      counts: 'inserted',
      label: 'identifier codes issued',
    },
  ],
})

export interface ImportAgenciesResult extends ImportResult {
  /** Identifier codes recorded as issued for the first time. */
  identifierCodesIssued: number
}

export function importAgencies(registry: Registry, file: string): Promise<ImportAgenciesResult> {
  return importExport(registry, agenciesExport, file)
}

/** A code keeps its agency for ever, a stopped one is never reissued, and one active agency holds it. */
async function checkIdentifierCodes(
  trx: Knex.Transaction,
  {records, fileKeys, problems}: RegistryCheck<{id: string; identifier_code: string | null; status: string}>,
): Promise<void> {
  const codes = records.flatMap((r) => r.value.identifier_code ?? [])
  const issued = new Map(
    (
      await rowsMatching<{code: string; agency_id: string; status: string}>(
        trx,
        {table: 'identifier_codes', columns: ['code'], select: ['code', 'agency_id', 'status']},
        codes,
      )
    ).map((r) => [r.code, r]),
  )
  const holders = new Map(
    (
      await rowsMatching<{identifier_code: string; id: string}>(
        trx,
        {
          table: 'agencies',
          columns: ['identifier_code'],
          select: ['identifier_code', 'id'],
          where: `status = 'active'`,
        },
        codes,
      )
    ).map((r) => [r.identifier_code, r.id]),
  )
  for (const {line, value: a} of records) {
    if (a.identifier_code === null) continue
    const record = issued.get(a.identifier_code)
    const holder = holders.get(a.identifier_code)
    if (record && record.agency_id !== a.id)
      problems.add(
        line,
        `column "identifier_code": ${a.identifier_code} was issued to agency ${record.agency_id}; a code is never given to another agency`,
      )
    else if (record?.status === 'stopped' && a.status === 'active')
      problems.add(line, `column "identifier_code": ${a.identifier_code} was stopped and is never reissued`)
    else if (holder && holder !== a.id && !fileKeys.has(holder))
      problems.add(line, `column "identifier_code": ${a.identifier_code} belongs to active agency ${holder}`)
  }
}
