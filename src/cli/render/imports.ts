import type {ImportResult} from '../../registry/import/export-format.js'
import type {ImportUnitsResult} from '../../registry/import/units.js'
import {count} from './format.js'

const changes = (r: {inserted: number; updated: number; unchanged: number}) =>
  `${count(r.inserted)} new, ${count(r.updated)} updated, ${count(r.unchanged)} unchanged`

/** `sapxep registry import units`: the units in the file by level, and what changed. */
export function renderUnitsImport(r: ImportUnitsResult): string {
  const u = r.units
  const head = `${r.file} (${r.format}): ${count(u.province)} provinces, ${count(u.district)} districts, ${count(u.commune)} communes — ${changes(r)}`
  const {file, retired} = r.errata
  if (file === null) return `${head}\nThe list as published: no errata applied.`
  if (retired.length === 0) return head
  return [
    head,
    `${count(retired.length)} stale row${retired.length === 1 ? '' : 's'} recorded as retired (errata: ${file}):`,
    ...retired.map(
      (e) =>
        `  ${e.code} ${e.name}${e.successor ? ` → ${e.successor.code} ${e.successor.name} (${e.successor.confidence})` : ' (successor not known)'}`,
    ),
  ].join('\n')
}

/** Rows of an export file and what changed. */
export function renderRecordsImport(r: ImportResult): string {
  return `${r.file}: ${count(r.rows)} ${r.table} — ${changes(r)}`
}

/**
 * `sapxep registry import agencies|accounts|mailboxes|endpoints`: rows of the file and what changed, and
 * what the format writes besides (identifier codes issued, aliases written), as its definition labels it.
 */
export function renderExportImport<R extends ImportResult>(
  r: R,
  writes: ReadonlyArray<{result: string; label: string}>,
): string {
  const counts = r as unknown as Record<string, number>
  return renderRecordsImport(r) + writes.map((w) => `; ${count(counts[w.result])} ${w.label}`).join('')
}
