import type {Knex} from 'knex'
import {contentReferences, tableSpec, type ContentTable} from '../registry/schema.js'
import {execute, query} from '../registry/sql.js'
import {journalJoin, keyJson} from './journal.js'

/**
 * Rows added since a run that refer to rows the run created (an alias imported onto a mailbox the run
 * made): removing the run's rows would break them. Read after the before-images are back, so a row the
 * run itself re-pointed no longer counts. Only references to a parent's natural key can be joined to the
 * journal, which is how the registry's foreign keys are made.
 */

interface Dependent {
  table: ContentTable
  key: string
  parent: string
}

function referencesInto(tables: readonly ContentTable[]) {
  return contentReferences().filter(
    (r) => tables.includes(r.parent) && r.parentColumns.every((c) => tableSpec(r.parent).key.includes(c)),
  )
}

/** `c.k1 = (j.key->>'p1')::type and …` for one reference. */
function referenceJoin(r: ReturnType<typeof referencesInto>[number]): string {
  const parent = tableSpec(r.parent)
  return r.childColumns
    .map((c, i) => `c.${c} = (j.key->>'${r.parentColumns[i]}')::${parent.columns[r.parentColumns[i]].type}`)
    .join(' and ')
}

const NOT_INSERTED_BY_RUN = (table: ContentTable) =>
  `not exists (select 1 from journal jc where jc.run_id = ? and jc.table_name = '${table}' and jc.before is null and ${journalJoin(tableSpec(table), 'c', 'jc')})`

/** Each dependent as `table key (added since; refers to parent key, which run N created)`. */
export async function dependentsOfInserted(
  trx: Knex.Transaction,
  runId: number,
  tables: readonly ContentTable[],
): Promise<Dependent[]> {
  const out: Dependent[] = []
  for (const r of referencesInto(tables)) {
    const rows = await query<{key: string; parent: string}>(
      trx,
      `select ${keyJson(tableSpec(r.child), 'c')}::text as key, j.key::text as parent
       from ${r.child} c join journal j on j.run_id = ? and j.table_name = ? and j.before is null and ${referenceJoin(r)}
       where ${NOT_INSERTED_BY_RUN(r.child)}
       order by 1`,
      [runId, r.parent, runId],
    )
    for (const row of rows) out.push({table: r.child, key: row.key, parent: `${r.parent} ${row.parent}`})
  }
  return out
}

export const describeDependent = (d: Dependent, runId: number): string =>
  `${d.table} ${d.key} (added since; refers to ${d.parent}, which run ${runId} created)`

/** With --force: remove the dependents, children first, so the run's rows can go. */
export async function deleteDependents(
  trx: Knex.Transaction,
  runId: number,
  tables: readonly ContentTable[],
  order: readonly ContentTable[],
): Promise<number> {
  let n = 0
  const refs = referencesInto(tables)
  for (const child of order)
    for (const r of refs.filter((x) => x.child === child))
      n += await execute(
        trx,
        `delete from ${r.child} c using journal j
         where j.run_id = ? and j.table_name = ? and j.before is null and ${referenceJoin(r)}
           and ${NOT_INSERTED_BY_RUN(r.child)}`,
        [runId, r.parent, runId],
      )
  return n
}
