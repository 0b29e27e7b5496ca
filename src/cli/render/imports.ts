import type {
  ImportAgenciesResult,
  ImportMailboxesResult,
  ImportResult,
  ImportUnitsResult,
} from '../../index.js'

const changes = (r: {inserted: number; updated: number; unchanged: number}) =>
  `${r.inserted} new, ${r.updated} updated, ${r.unchanged} unchanged`

/** `sapxep registry import units`: the units in the file by level, and what changed. */
export function renderUnitsImport(r: ImportUnitsResult): string {
  const u = r.units
  return `${r.file} (${r.format}): ${u.province} provinces, ${u.district} districts, ${u.commune} communes — ${changes(r)}`
}

/** `sapxep registry import accounts|endpoints`: rows of the file and what changed. */
export function renderRecordsImport(r: ImportResult): string {
  return `${r.file}: ${r.rows} ${r.table} — ${changes(r)}`
}

/** `sapxep registry import agencies`, with the identifier codes recorded. */
export function renderAgenciesImport(r: ImportAgenciesResult): string {
  return `${renderRecordsImport(r)}; ${r.identifierCodesIssued} identifier codes issued`
}

/** `sapxep registry import mailboxes`, with the aliases written. */
export function renderMailboxesImport(r: ImportMailboxesResult): string {
  return `${renderRecordsImport(r)}; ${r.aliasesWritten} aliases written`
}
