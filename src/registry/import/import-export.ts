import type {Knex} from 'knex'
import {refreshStatistics, type Registry} from '../db.js'
import {tableSpec} from '../schema.js'
import {
  cell,
  keysOf,
  rowName,
  type ExportColumns,
  type ExportFormat,
  type ExportRecord,
  type ImportResultOf,
  type RecordOf,
} from './export-format.js'
import {existingKeys} from './lookup.js'
import type {Problems} from './problems.js'
import {readExport, type ExportOptions} from './read-export.js'
import {upsertRows, type UpsertCounts} from './upsert.js'
import {writeTransaction} from '../write.js'

/**
 * Import a system export with its format definition: every row is checked (format, file, references to
 * the file and the registry, the format's registry rule) before anything is written; any problem aborts
 * the whole import with every problem listed. Then one transaction upserts the rows by natural key,
 * updating only the columns the file gives, and writes the format's extra rows. Nothing is deleted.
 */
export async function importExport<Cs extends ExportColumns, K extends string>(
  registry: Registry,
  format: ExportFormat<Cs, K>,
  file: string,
  options: ExportOptions = {},
): Promise<ImportResultOf<K>> {
  const {present, records, fileKeys, problems} = await readExport(format, file, options)
  // Under the write lock: an apply checks the registry is as its plan read it, then writes.
  const {counts, extra} = await writeTransaction(registry, {}, async (trx) => {
    await checkReferences(trx, format, records, fileKeys, problems)
    await format.registryRule?.(trx, {records, fileKeys, problems})
    problems.throwIfAny()
    const written = await writeRecords(trx, format, records, present)
    // Thrown inside the transaction: a file that would break an invariant writes nothing.
    await format.invariants?.(trx, {records, fileKeys, problems})
    problems.throwIfAny()
    return written
  })
  await refreshStatistics(registry.db)
  const rows = records.length
  return {
    file,
    table: format.table,
    rows,
    ...counts,
    unchanged: rows - counts.inserted - counts.updated,
    ...extra,
  }
}

/** Each reference, one batched lookup per reference, in the order the definition lists them. */
async function checkReferences<Cs extends ExportColumns, K extends string>(
  trx: Knex.Transaction,
  format: ExportFormat<Cs, K>,
  records: readonly ExportRecord<RecordOf<Cs>>[],
  fileKeys: ReadonlySet<string>,
  problems: Problems,
): Promise<void> {
  for (const reference of format.references ?? []) {
    const {column, table, orInFile, clash} = reference
    const named = records.flatMap((r) => keysOf(reference.keys(r.value)))
    const found = await existingKeys(trx, table, orInFile ? named.filter((k) => !fileKeys.has(k)) : named)
    for (const {line, value} of records)
      for (const key of keysOf(reference.keys(value))) {
        if (clash !== undefined) {
          if (found.has(key)) problems.add(line, `column "${column}": ${key} ${clash}`)
        } else if (!found.has(key) && !(orInFile && fileKeys.has(key)))
          problems.add(
            line,
            `column "${column}": ${rowName(table, key)} ` +
              (orInFile ? 'is neither in the file nor in the registry' : 'is not in the registry'),
          )
      }
  }
}

/** Upsert the records, then each extra write; the counts of the extra writes by result name. */
async function writeRecords<Cs extends ExportColumns, K extends string>(
  trx: Knex.Transaction,
  format: ExportFormat<Cs, K>,
  records: readonly ExportRecord<RecordOf<Cs>>[],
  present: ReadonlySet<string>,
): Promise<{counts: UpsertCounts; extra: Record<K, number>}> {
  const spec = tableSpec(format.table)
  const stored = Object.keys(format.columns).filter((c) => format.columns[c].stored)
  const counts = await upsertRows(
    trx,
    {
      table: format.table,
      columns: stored.map((name) => ({name, type: spec.columns[name].type})),
      key: spec.key,
      // A column left out of the file is not touched on rows already in the registry.
      update: stored.filter((c) => !spec.key.includes(c) && present.has(c)),
    },
    stored.map((c) => records.map((r) => cell(r.value, c))),
  )
  const extra = {} as Record<K, number>
  for (const write of format.writes ?? []) {
    const target = tableSpec(write.table)
    const rows = records.flatMap((r) => write.rows(r.value))
    const written = await upsertRows(
      trx,
      {
        table: write.table,
        columns: write.columns.map((name) => ({name, type: target.columns[name].type})),
        key: target.key,
        update: write.update === 'never' ? [] : undefined,
      },
      write.columns.map((_, i) => rows.map((row) => row[i])),
    )
    extra[write.result] = write.counts === 'inserted' ? written.inserted : written.inserted + written.updated
  }
  return {counts, extra}
}
