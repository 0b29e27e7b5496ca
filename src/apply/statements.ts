import type {Knex} from 'knex'
import {ExitCode, SapxepError} from '../errors.js'
import type {Operation, OpKind, Row} from '../plan/types.js'
import {OP_TABLE} from '../plan/types.js'
import {keyJoin, keyJson, TABLES, type TableSpec} from './tables.js'

/** Rows per statement: large enough to be set-based, small enough to keep parameters and memory bounded. */
export const BATCH = 50_000

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

function rowOf(op: Operation, spec: TableSpec): Row {
  const row: Row = {}
  for (const col of Object.keys(spec.columns)) {
    if (col in op.key) row[col] = op.key[col]
    else if (op.after && col in op.after) row[col] = op.after[col]
  }
  return row
}

/** Apply all operations of one kind: journal the before-images, write, journal the after-images. */
export async function applyKind(ctx: StatementContext, kind: OpKind, ops: Operation[]): Promise<void> {
  const table = OP_TABLE[kind]
  for (let i = 0; i < ops.length; i += BATCH) {
    const batch = ops.slice(i, i + BATCH)
    if (INSERT_KINDS.has(kind))
      await insertRows(
        ctx,
        table,
        batch.map((op) => rowOf(op, TABLES[table])),
      )
    else await updateRows(ctx, kind, table, batch)
    if (kind === 'unit.update') await recordHistory(ctx, batch)
    if (kind === 'unit.retire') await recordSuccessors(ctx, batch)
  }
}

/** Insert rows (all with the same columns) and journal them as inserted (before = null). */
export async function insertRows(ctx: StatementContext, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return
  const spec = TABLES[table]
  const cols = Object.keys(spec.columns).filter((c) => rows.some((r) => c in r))
  const values = cols.map((c) => rows.map((r) => r[c] ?? null))
  await ctx.trx.raw(
    `insert into ${table} (${cols.join(', ')}) select * from unnest(${cols.map((c) => array(spec.columns[c])).join(', ')})`,
    values as any,
  )
  await journalInserted(ctx, table, rows)
  ctx.touched[table] = (ctx.touched[table] ?? 0) + rows.length
}

/**
 * Update rows by key, only where they still hold the values the plan saw (`before`); if any row does not,
 * the registry changed under the plan and the whole run is refused.
 */
async function updateRows(
  ctx: StatementContext,
  kind: OpKind,
  table: string,
  ops: Operation[],
): Promise<void> {
  const spec = TABLES[table]
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
    ...spec.key.map((k) => spec.columns[k]),
    ...fields.flatMap((f) => ['boolean', spec.columns[f], 'boolean', spec.columns[f]]),
  ]
  const bindings = [...keys, ...fields.flatMap((_, i) => [sets[i], afters[i], checks[i], befores[i]])]
  const seqStart = ctx.seq.next
  // Before-images first, in the same transaction.
  const journaled = await ctx.trx.raw(
    `insert into journal (run_id, seq, table_name, key, before)
     select ?, ? + k.ord - 1, ?, ${keyJson(spec, 't')}, to_jsonb(t)
     from unnest(${spec.key.map((k) => array(spec.columns[k])).join(', ')}) with ordinality k(${spec.key.join(', ')}, ord)
     join ${table} t on ${keyJoin(spec, 't', 'k')}`,
    [ctx.runId, seqStart, table, ...keys] as any,
  )
  const result = await ctx.trx.raw(
    `update ${table} t set ${fields.map((f) => `${f} = case when k.set_${f} then k.new_${f} else t.${f} end`).join(', ')}
     from unnest(${types.map(array).join(', ')}) k(${names.join(', ')})
     where ${keyJoin(spec, 't', 'k')}
       ${fields.map((f) => `and (not k.check_${f} or t.${f} is not distinct from k.old_${f})`).join('\n       ')}`,
    bindings as any,
  )
  const updated = Number(result.rowCount ?? result.affectedRows ?? 0)
  if (
    updated !== ops.length ||
    Number(journaled.rowCount ?? journaled.affectedRows ?? ops.length) !== ops.length
  )
    throw new SapxepError(
      `${kind}: ${ops.length - updated} of ${ops.length} ${table} rows are no longer as the plan saw them; the plan is stale. Make a new plan.`,
      {exitCode: ExitCode.stale, code: 'stale'},
    )
  ctx.seq.next += ops.length
  await ctx.trx.raw(
    `update journal j set after = to_jsonb(t) from ${table} t
     where j.run_id = ? and j.seq >= ? and j.seq < ? and ${spec.key.map((k) => `t.${k} = (j.key->>'${k}')::${spec.columns[k]}`).join(' and ')}`,
    [ctx.runId, seqStart, ctx.seq.next],
  )
  ctx.touched[table] = (ctx.touched[table] ?? 0) + updated
}

/** Journal freshly inserted rows: their key and their after-image; `before` null marks an insert. */
async function journalInserted(ctx: StatementContext, table: string, rows: Row[]): Promise<void> {
  const spec = TABLES[table]
  const keys = spec.key.map((k) => rows.map((r) => r[k]))
  await ctx.trx.raw(
    `insert into journal (run_id, seq, table_name, key, before, after)
     select ?, ? + k.ord - 1, ?, ${keyJson(spec, 't')}, null, to_jsonb(t)
     from unnest(${spec.key.map((k) => array(spec.columns[k])).join(', ')}) with ordinality k(${spec.key.join(', ')}, ord)
     join ${table} t on ${keyJoin(spec, 't', 'k')}`,
    [ctx.runId, ctx.seq.next, table, ...keys] as any,
  )
  ctx.seq.next += rows.length
}

/** A unit that changes keeps its earlier name, type and parent in unit_history. */
async function recordHistory(ctx: StatementContext, ops: Operation[]): Promise<void> {
  const rows: Row[] = ops.map((op) => ({
    code: op.key.code,
    valid_to: op.after.history_valid_to as string,
    name: null,
    type: null,
    parent_code: null,
  }))
  // The before-image of each unit row is in the journal already; history takes the old values from it.
  const {rows: olds} = await ctx.trx.raw(
    `select j.key->>'code' as code, j.before->>'name' as name, j.before->>'type' as type, j.before->>'parent_code' as parent_code
     from journal j where j.run_id = ? and j.table_name = 'units' and j.key->>'code' = any(?::text[]) and j.before is not null
     order by j.seq`,
    [ctx.runId, ops.map((op) => op.key.code)],
  )
  const old = new Map<string, {name: string; type: string; parent_code: string | null}>()
  for (const r of olds) if (!old.has(r.code)) old.set(r.code, r)
  for (const row of rows)
    Object.assign(row, {...old.get(row.code as string), code: row.code, valid_to: row.valid_to})
  await insertRows(ctx, 'unit_history', rows)
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
