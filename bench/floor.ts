/**
 * The two baselines apply and rollback are measured against, run with a plain SQL client on a copy of
 * the registry (not through the CLI):
 *
 * - the **floor**: hand-written set-based SQL that makes the plan's row changes (or their reverse) in one
 *   transaction — per operation kind one `UPDATE … FROM unnest(…)`, `INSERT … SELECT … FROM unnest(…)` or
 *   `DELETE … USING unnest(…)`, with no journal, no before-checks and no plan file to read: what the
 *   changes cost the database and nothing more;
 * - the **naive baseline**: the same changes one statement per operation (one round trip each), for a
 *   sample of the operations spread over the kinds, extrapolated per kind to all of them.
 */
import {performance} from 'node:perf_hooks'
import {INSERT_KINDS} from '../src/apply/statements.js'
import {BULK_WORK_MEM_SQL} from '../src/registry/db.js'
import {tableSpec, type ColumnType} from '../src/registry/schema.js'
import {operationsByKind} from '../src/plan/order.js'
import {OP_KINDS, OP_TABLE, type OpKind, type Operation, type Row} from '../src/plan/types.js'
import type {SqlClient} from './engines.js'

export interface Statement {
  /** What it does, for messages. */
  label: string
  sql: string
  params: unknown[]
}

const arr = (type: ColumnType | 'boolean') => `::${type}[]`

/** Columns (other than the key) that `pick` gives values for in any of the operations. */
function fieldsOf(ops: Operation[], table: string, pick: (op: Operation) => Row | undefined): string[] {
  const spec = tableSpec(table)
  const fields = new Set<string>()
  for (const op of ops) for (const f of Object.keys(pick(op) ?? {})) fields.add(f)
  return [...fields].filter((f) => f in spec.columns && !spec.key.includes(f)).sort()
}

/**
 * `UPDATE table SET … FROM unnest(…)` setting each row's columns to the values `pick` gives; a column not
 * given for every row keeps its value where it is not given.
 */
function setBased(
  label: string,
  table: string,
  ops: Operation[],
  pick: (op: Operation) => Row | undefined,
): Statement {
  const spec = tableSpec(table)
  const fields = fieldsOf(ops, table, pick)
  const names: string[] = []
  const casts: string[] = []
  const params: unknown[] = []
  for (const k of spec.key) {
    names.push(k)
    params.push(ops.map((op) => op.key[k]))
    casts.push(arr(spec.columns[k].type))
  }
  const sets: string[] = []
  for (const f of fields) {
    const given = ops.map((op) => f in (pick(op) ?? {}))
    names.push(`v_${f}`)
    params.push(ops.map((op) => pick(op)?.[f] ?? null))
    casts.push(arr(spec.columns[f].type))
    if (given.every(Boolean)) sets.push(`${f} = k.v_${f}`)
    else {
      names.push(`s_${f}`)
      params.push(given)
      casts.push(arr('boolean'))
      sets.push(`${f} = case when k.s_${f} then k.v_${f} else t.${f} end`)
    }
  }
  return {
    label,
    sql:
      `update ${table} t set ${sets.join(', ')} from unnest(${casts.map((c, i) => `$${i + 1}${c}`).join(', ')}) ` +
      `k(${names.join(', ')}) where ${spec.key.map((k) => `t.${k} = k.${k}`).join(' and ')}`,
    params,
  }
}

/** `INSERT INTO table (…) SELECT * FROM unnest(…)`: the key and every column the operations give. */
function insertSetBased(label: string, table: string, ops: Operation[]): Statement {
  const spec = tableSpec(table)
  const cols = [...spec.key, ...fieldsOf(ops, table, (op) => op.after)]
  return {
    label,
    sql: `insert into ${table} (${cols.join(', ')}) select * from unnest(${cols.map((c, i) => `$${i + 1}${arr(spec.columns[c].type)}`).join(', ')})`,
    params: cols.map((c) => ops.map((op) => (c in op.key ? op.key[c] : (op.after[c] ?? null)))),
  }
}

function deleteSetBased(label: string, table: string, keys: Record<string, unknown[]>): Statement {
  const spec = tableSpec(table)
  const cols = Object.keys(keys)
  return {
    label,
    sql:
      `delete from ${table} t using unnest(${cols.map((c, i) => `$${i + 1}${arr(spec.columns[c].type)}`).join(', ')}) k(${cols.join(', ')}) ` +
      `where ${cols.map((c) => `t.${c} = k.${c}`).join(' and ')}`,
    params: cols.map((c) => keys[c]),
  }
}

/** The rows of unit_successors a unit.retire writes. */
function successorRows(ops: Operation[]): {code: string[]; successor_code: string[]; is_default: boolean[]} {
  const rows = {code: [] as string[], successor_code: [] as string[], is_default: [] as boolean[]}
  for (const op of ops)
    for (const s of String(op.after.successors ?? '')
      .split(' ')
      .filter(Boolean)) {
      rows.code.push(op.key.code)
      rows.successor_code.push(s)
      rows.is_default.push(s === op.after.default_successor)
    }
  return rows
}

/** unit.update keeps the unit's name, type and parent as they were (read before the update) in unit_history. */
const HISTORY_SQL =
  `insert into unit_history (code, valid_to, name, type, parent_code) ` +
  `select k.code, k.valid_to, u.name, u.type, u.parent_code from unnest($1::text[], $2::date[]) k(code, valid_to) join units u on u.code = k.code`

/** The plan's row changes as set-based statements, one (or two) per operation kind, in apply order. */
export function floorApply(ops: Operation[]): Statement[] {
  const out: Statement[] = []
  for (const [kind, list] of operationsByKind(ops)) {
    const table = OP_TABLE[kind]
    if (kind === 'unit.update')
      out.push({
        label: `${kind} (unit_history)`,
        sql: HISTORY_SQL,
        params: [list.map((op) => op.key.code), list.map((op) => op.after.history_valid_to)],
      })
    if (INSERT_KINDS.has(kind)) out.push(insertSetBased(kind, table, list))
    else out.push(setBased(kind, table, list, (op) => op.after))
    if (kind === 'unit.retire') {
      const s = successorRows(list)
      out.push({
        label: `${kind} (unit_successors)`,
        sql: `insert into unit_successors (code, successor_code, is_default) select * from unnest($1::text[], $2::text[], $3::boolean[])`,
        params: [s.code, s.successor_code, s.is_default],
      })
    }
  }
  return out
}

/** The reverse: kinds in reverse order, created rows deleted, changed rows set back to their before values. */
export function floorRollback(ops: Operation[]): Statement[] {
  const out: Statement[] = []
  for (const [kind, list] of [...operationsByKind(ops)].reverse()) {
    const table = OP_TABLE[kind]
    const spec = tableSpec(table)
    if (kind === 'unit.retire') {
      const s = successorRows(list)
      out.push(
        deleteSetBased(`${kind} (unit_successors)`, 'unit_successors', {
          code: s.code,
          successor_code: s.successor_code,
        }),
      )
    }
    if (INSERT_KINDS.has(kind))
      out.push(
        deleteSetBased(
          kind,
          table,
          Object.fromEntries(spec.key.map((k) => [k, list.map((op) => op.key[k])])),
        ),
      )
    else out.push(setBased(kind, table, list, (op) => op.before))
    if (kind === 'unit.update')
      out.push(
        deleteSetBased(`${kind} (unit_history)`, 'unit_history', {
          code: list.map((op) => op.key.code),
          valid_to: list.map((op) => op.after.history_valid_to),
        }),
      )
  }
  return out
}

export interface Timed {
  seconds: number
  /** Seconds per statement label. */
  statements: Record<string, number>
  rows: number
}

/** Run statements in one transaction (BEGIN … COMMIT, both timed). */
export async function runInTransaction(client: SqlClient, statements: Statement[]): Promise<Timed> {
  const perStatement: Record<string, number> = {}
  let rows = 0
  const started = performance.now()
  await client.query('begin')
  // The same session settings as apply and rollback.
  await client.query(BULK_WORK_MEM_SQL)
  try {
    for (const s of statements) {
      const t0 = performance.now()
      const r = await client.query(s.sql, s.params)
      perStatement[s.label] = (perStatement[s.label] ?? 0) + (performance.now() - t0) / 1000
      rows += r.rowCount
    }
    await client.query('commit')
  } catch (err) {
    await client.query('rollback').catch(() => {})
    throw err
  }
  return {seconds: (performance.now() - started) / 1000, statements: perStatement, rows}
}

// ---------------------------------------------------------------------------------------------------------
// Naive baseline

/** Foreign keys checked at once (not deferred) that a sampled operation may point at a row the plan creates. */
const REFERENCES: Record<string, Array<[columns: string[], table: string]>> = {
  agencies: [[['unit_code'], 'units']],
  identifier_codes: [[['agency_id'], 'agencies']],
  endpoints: [[['agency_id'], 'agencies']],
  accounts: [[['agency_id'], 'agencies']],
  mailboxes: [
    [['owner_agency_id'], 'agencies'],
    [['owner_system', 'owner_username'], 'accounts'],
  ],
  mailbox_aliases: [[['mailbox_address'], 'mailboxes']],
}

const keyString = (values: unknown[]) => JSON.stringify(values)

export interface NaiveSample {
  /** The sampled operations, in apply order. */
  ops: Operation[]
  perKind: Map<OpKind, {sampled: number; total: number}>
}

/**
 * About `target` operations spread evenly over the plan: each kind in proportion to its size but at least
 * `minPerKind` (all of a smaller kind), plus the created rows the sampled ones refer to, so every
 * statement finds its parents.
 */
export function sampleOperations(ops: Operation[], target: number, minPerKind = 50): NaiveSample {
  const groups = operationsByKind(ops)
  const created = new Map<string, Operation>()
  for (const [kind, list] of groups)
    if (INSERT_KINDS.has(kind)) {
      const spec = tableSpec(OP_TABLE[kind])
      for (const op of list) created.set(`${OP_TABLE[kind]} ${keyString(spec.key.map((k) => op.key[k]))}`, op)
    }
  const chosen = new Set<Operation>()
  const add = (op: Operation) => {
    if (chosen.has(op)) return
    chosen.add(op)
    const refs: Array<[unknown[], string]> = (REFERENCES[OP_TABLE[op.op]] ?? []).map(([cols, table]) => [
      cols.map((c) => op.after[c] ?? op.key[c]),
      table,
    ])
    if (op.op === 'unit.retire')
      for (const s of String(op.after.successors ?? '')
        .split(' ')
        .filter(Boolean))
        refs.push([[s], 'units'])
    for (const [values, table] of refs) {
      if (values.some((v) => v === null || v === undefined)) continue
      const parent = created.get(`${table} ${keyString(values)}`)
      if (parent) add(parent)
    }
  }
  for (const list of groups.values()) {
    const n = Math.min(list.length, Math.max(minPerKind, Math.round((target * list.length) / ops.length)))
    for (let i = 0; i < n; i++) add(list[Math.floor(((i + 0.5) * list.length) / n)])
  }
  const order = new Map(ops.map((op, i) => [op, i]))
  const sampled = [...chosen].sort(
    (a, b) => OP_KINDS.indexOf(a.op) - OP_KINDS.indexOf(b.op) || order.get(a)! - order.get(b)!,
  )
  const perKind = new Map<OpKind, {sampled: number; total: number}>()
  for (const [kind, list] of groups) perKind.set(kind, {sampled: 0, total: list.length})
  for (const op of sampled) perKind.get(op.op)!.sampled++
  return {ops: sampled, perKind}
}

/** One operation as the statements a row-by-row implementation sends (one round trip each). */
export function naiveStatements(op: Operation): Statement[] {
  const table = OP_TABLE[op.op]
  const spec = tableSpec(table)
  const out: Statement[] = []
  if (op.op === 'unit.update')
    out.push({
      label: op.op,
      sql: `insert into unit_history (code, valid_to, name, type, parent_code) select code, $2::date, name, type, parent_code from units where code = $1`,
      params: [op.key.code, op.after.history_valid_to],
    })
  if (INSERT_KINDS.has(op.op)) {
    const cols = [
      ...spec.key,
      ...Object.keys(op.after).filter((c) => c in spec.columns && !spec.key.includes(c)),
    ]
    out.push({
      label: op.op,
      sql: `insert into ${table} (${cols.join(', ')}) values (${cols.map((c, i) => `$${i + 1}::${spec.columns[c].type}`).join(', ')})`,
      params: cols.map((c) => (c in op.key ? op.key[c] : op.after[c])),
    })
  } else {
    const fields = Object.keys(op.after).filter((c) => c in spec.columns && !spec.key.includes(c))
    out.push({
      label: op.op,
      sql:
        `update ${table} set ${fields.map((f, i) => `${f} = $${i + 1}::${spec.columns[f].type}`).join(', ')} ` +
        `where ${spec.key.map((k, i) => `${k} = $${fields.length + i + 1}`).join(' and ')}`,
      params: [...fields.map((f) => op.after[f]), ...spec.key.map((k) => op.key[k])],
    })
  }
  if (op.op === 'unit.retire') {
    const s = successorRows([op])
    if (s.code.length > 0)
      out.push({
        label: op.op,
        sql: `insert into unit_successors (code, successor_code, is_default) values ${s.code.map((_, i) => `($${3 * i + 1}, $${3 * i + 2}, $${3 * i + 3}::boolean)`).join(', ')}`,
        params: s.code.flatMap((c, i) => [c, s.successor_code[i], s.is_default[i]]),
      })
  }
  return out
}

export interface NaiveResult {
  /** Extrapolated to every operation of the plan. */
  seconds: number
  /** Time the sample actually took. */
  sampleSeconds: number
  sampled: number
  total: number
  statements: number
  perKind: Record<string, {sampled: number; total: number; msPerOp: number}>
}

/**
 * Run the sample row by row in one transaction that is rolled back (the copy is left as it was), timing
 * each kind; extrapolate each kind's time per operation to all of its operations.
 */
export async function runNaive(
  client: SqlClient,
  allOps: Operation[],
  sample: NaiveSample,
): Promise<NaiveResult> {
  const spent = new Map<OpKind, number>()
  let statements = 0
  const started = performance.now()
  await client.query('begin')
  try {
    for (const op of sample.ops) {
      const t0 = performance.now()
      for (const s of naiveStatements(op)) {
        await client.query(s.sql, s.params)
        statements++
      }
      spent.set(op.op, (spent.get(op.op) ?? 0) + (performance.now() - t0) / 1000)
    }
  } finally {
    await client.query('rollback')
  }
  const sampleSeconds = (performance.now() - started) / 1000
  let seconds = 0
  const perKind: NaiveResult['perKind'] = {}
  for (const [kind, {sampled, total}] of sample.perKind) {
    const perOp = sampled > 0 ? spent.get(kind)! / sampled : 0
    seconds += perOp * total
    perKind[kind] = {sampled, total, msPerOp: perOp * 1000}
  }
  return {seconds, sampleSeconds, sampled: sample.ops.length, total: allOps.length, statements, perKind}
}
