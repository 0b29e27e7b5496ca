import type {Knex} from 'knex'
import {ExitCode, SapxepError} from '../errors.js'
import type {Operation, OpKind, Row} from '../plan/types.js'
import {OP_TABLE} from '../plan/types.js'
import {tableSpec} from '../registry/schema.js'
import {execute, query} from '../registry/sql.js'
import {keyJoin, keyJson} from './journal.js'

/** Rows per statement: large enough to be set-based, small enough to keep parameters and memory bounded. */
export const BATCH = 250_000

export interface StatementContext {
  trx: Knex.Transaction
  runId: number
  /** Next journal sequence number; advanced by every journaled row. */
  seq: {next: number}
  /** Rows written per table (the figures --dry-run reports). */
  touched: Record<string, number>
}

/** Kinds that insert rows; every other kind updates rows by key. */
export const INSERT_KINDS = new Set<OpKind>([
  'unit.create',
  'agency.create',
  'code.issue',
  'endpoint.register',
  'account.create',
  'mailbox.create',
  'alias.create',
])

const array = (type: string) => `?::${type}[]`

function rowOf(op: Operation, spec: ReturnType<typeof tableSpec>): Row {
  const row: Row = {}
  for (const col of Object.keys(spec.columns)) {
    if (col in op.key) row[col] = op.key[col]
    else if (op.after && col in op.after) row[col] = op.after[col]
  }
  return row
}

/**
 * Apply all operations of one kind, batch by batch; each batch is one statement that writes the rows and
 * journals them. The journal holds one entry per row a run touches (the executor refuses a plan that
 * touches a row twice): for an updated row its key and the columns the kind sets, as they were (`before`)
 * and as the run left them (`after`); for an inserted row `before` is null and `after` is the whole row.
 */
export async function applyKind(ctx: StatementContext, kind: OpKind, ops: Operation[]): Promise<void> {
  const table = OP_TABLE[kind]
  for (let i = 0; i < ops.length; i += BATCH) {
    const batch = ops.slice(i, i + BATCH)
    if (INSERT_KINDS.has(kind))
      await insertRows(
        ctx,
        table,
        batch.map((op) => rowOf(op, tableSpec(table))),
      )
    else {
      // History keeps the unit's name, type and parent as they are before this update.
      if (kind === 'unit.update') await recordHistory(ctx, batch)
      await updateRows(ctx, kind, table, batch)
    }
    if (kind === 'unit.retire') await recordSuccessors(ctx, batch)
  }
}

/**
 * Insert rows (all with the same columns) and journal them as inserted (before = null, after = the row),
 * in one statement.
 */
export async function insertRows(ctx: StatementContext, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return
  const spec = tableSpec(table)
  const cols = Object.keys(spec.columns).filter((c) => rows.some((r) => c in r))
  const values = cols.map((c) => rows.map((r) => r[c] ?? null))
  const inserted = await execute(
    ctx.trx,
    `with i as (
       insert into ${table} (${cols.join(', ')}) select * from unnest(${cols.map((c) => array(spec.columns[c].type)).join(', ')})
       returning *)
     insert into journal (run_id, seq, table_name, key, before, after)
     select ?, ? + row_number() over () - 1, ?, ${keyJson(spec, 'i')}, null, to_jsonb(i) from i`,
    [...values, ctx.runId, ctx.seq.next, table],
  )
  ctx.seq.next += inserted
  ctx.touched[table] = (ctx.touched[table] ?? 0) + inserted
}

/**
 * Update rows by key, only where they still hold the values the plan saw (`before`); if any row does not,
 * the registry changed under the plan and the whole run is refused. One statement reads each row's
 * before-image, updates it and journals both images: the table is joined once per batch.
 */
async function updateRows(
  ctx: StatementContext,
  kind: OpKind,
  table: string,
  ops: Operation[],
): Promise<void> {
  const spec = tableSpec(table)
  const fields = [...new Set(ops.flatMap((op) => Object.keys(op.after)))].filter(
    (f) => f in spec.columns && !spec.key.includes(f),
  )
  const keys = spec.key.map((k) => ops.map((op) => op.key[k]))
  const sets = fields.map((f) => ops.map((op) => f in op.after))
  const afters = fields.map((f) => ops.map((op) => op.after[f] ?? null))
  const befores = fields.map((f) => ops.map((op) => op.before?.[f] ?? null))
  const checks = fields.map((f) => ops.map((op) => !!op.before && f in op.before))
  const names = [...spec.key, ...fields.flatMap((f) => [`set_${f}`, `new_${f}`, `check_${f}`, `old_${f}`])]
  const types = [
    ...spec.key.map((k) => spec.columns[k].type),
    ...fields.flatMap((f) => ['boolean', spec.columns[f].type, 'boolean', spec.columns[f].type]),
  ]
  const bindings = [...keys, ...fields.flatMap((_, i) => [sets[i], afters[i], checks[i], befores[i]])]
  const changed = (t: string) => `jsonb_build_object(${fields.map((f) => `'${f}', ${t}.${f}`).join(', ')})`
  const updated = await execute(
    ctx.trx,
    `with o as (
       select k.*, t.ctid as tid, ${changed('t')} as before_image
       from unnest(${types.map(array).join(', ')}) with ordinality k(${names.join(', ')}, ord)
       join ${table} t on ${keyJoin(spec, 't', 'k')}
       where ${fields.map((f) => `(not k.check_${f} or t.${f} is not distinct from k.old_${f})`).join(' and ') || 'true'}),
     u as (
       update ${table} t set ${fields.map((f) => `${f} = case when o.set_${f} then o.new_${f} else t.${f} end`).join(', ')}
       from o where t.ctid = o.tid
       returning ${spec.key.map((k) => `t.${k}`).join(', ')}, o.ord, o.before_image, ${changed('t')} as after_image)
     insert into journal (run_id, seq, table_name, key, before, after)
     select ?, ? + u.ord - 1, ?, ${keyJson(spec, 'u')}, u.before_image, u.after_image from u`,
    [...bindings, ctx.runId, ctx.seq.next, table],
  )
  if (updated !== ops.length)
    throw new SapxepError(
      `${kind}: ${ops.length - updated} of ${ops.length} ${table} rows are no longer as the plan saw them; the plan is stale. Make a new plan.`,
      {exitCode: ExitCode.stale, code: 'stale'},
    )
  ctx.seq.next += ops.length
  ctx.touched[table] = (ctx.touched[table] ?? 0) + updated
}

/** A unit that changes keeps its earlier name, type and parent in unit_history. */
async function recordHistory(ctx: StatementContext, ops: Operation[]): Promise<void> {
  const olds = await query<Row>(
    ctx.trx,
    `select code, name, type, parent_code from units where code = any(?::text[])`,
    [ops.map((op) => op.key.code)],
  )
  const old = new Map<string, Row>(olds.map((r) => [r.code as string, r]))
  await insertRows(
    ctx,
    'unit_history',
    ops.map((op) => ({...old.get(op.key.code), code: op.key.code, valid_to: op.after.history_valid_to})),
  )
}

async function recordSuccessors(ctx: StatementContext, ops: Operation[]): Promise<void> {
  const rows: Row[] = ops.flatMap((op) =>
    String(op.after.successors ?? '')
      .split(' ')
      .filter(Boolean)
      .map((s) => ({code: op.key.code, successor_code: s, is_default: s === op.after.default_successor})),
  )
  await insertRows(ctx, 'unit_successors', rows)
}
