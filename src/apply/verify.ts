import type {Knex} from 'knex'
import {SapxepError} from '../errors.js'
import {expectMismatches, provinceCounts, type CountedUnit} from '../mapping/expect.js'
import {carriesUnitName} from '../naming/agencies.js'
import {operationsByKind} from '../plan/order.js'
import {OP_TABLE, type SignedPlan} from '../plan/types.js'
import {readTransaction} from '../registry/db.js'
import {getRun, tablesWritten, type RunCounts, type RunScope} from '../registry/runs.js'
import {onSharedSnapshot} from '../registry/snapshot.js'
import {tableSpec, type UnitLevel} from '../registry/schema.js'
import {query, type SqlValue} from '../registry/sql.js'
import {rowsChangedSince} from './journal.js'

export interface VerifyCheck {
  check: string
  ok: boolean
  violations: number
  examples: string[]
}

export interface VerifyReport {
  ok: boolean
  subject: string
  checks: VerifyCheck[]
}

const EXAMPLES = 10

/** The provinces a plan is about and their expected counts (what verify checks the invariants of). */
export function planScope(plan: Pick<SignedPlan, 'mappings'>): RunScope {
  return {
    provinces: [
      ...new Set(plan.mappings.map((m) => m.province?.code).filter((c): c is string => !!c)),
    ].sort(),
    expect: plan.mappings
      .filter((m) => m.province)
      .map((m) => ({province: m.province!.code, ...m.resolved.expect})),
  }
}

/** Every operation of the plan has its after-state in the registry. */
export async function checkOperations(db: Knex, plan: SignedPlan): Promise<VerifyCheck[]> {
  const checks: VerifyCheck[] = []
  for (const [kind, ops] of operationsByKind(plan.operations)) {
    const table = OP_TABLE[ops[0].op]
    const spec = tableSpec(table)
    const fields = [...new Set(ops.flatMap((o) => Object.keys(o.after)))].filter(
      (f) => f in spec.columns && !spec.key.includes(f),
    )
    const cols = [...spec.key, ...fields.flatMap((f) => [`set_${f}`, `v_${f}`])]
    const types = [
      ...spec.key.map((k) => spec.columns[k].type),
      ...fields.flatMap((f) => ['boolean', spec.columns[f].type]),
    ]
    const bindings = [
      ...spec.key.map((k) => ops.map((o) => o.key[k])),
      ...fields.flatMap((f) => [ops.map((o) => f in o.after), ops.map((o) => o.after[f] ?? null)]),
    ]
    const rows = await query<{key: string; missing: boolean}>(
      db,
      `select ${spec.key.map((k) => `k.${k}`).join(" || '/' || ")} as key, t is null as missing
       from unnest(${types.map((t) => `?::${t}[]`).join(', ')}) k(${cols.join(', ')})
       left join ${table} t on ${spec.key.map((k) => `t.${k} = k.${k}`).join(' and ')}
       where t is null ${fields.map((f) => `or (k.set_${f} and t.${f} is distinct from k.v_${f})`).join(' ')}
       order by 1`,
      bindings as SqlValue[],
    )
    checks.push({
      check: `${kind}: ${ops.length} row(s) have their planned values`,
      ok: rows.length === 0,
      violations: rows.length,
      examples: rows
        .slice(0, EXAMPLES)
        .map((r) => `${table} ${r.key}${r.missing ? ' is missing' : ' differs'}`),
    })
  }
  return checks
}

/** Rows a run wrote still hold what it wrote. */
async function checkRunRows(db: Knex, run: {id: number; counts: RunCounts}): Promise<VerifyCheck> {
  const bad = await rowsChangedSince(db, run, tablesWritten(run.counts))
  return {
    check: `rows written by run ${run.id} still hold what it wrote`,
    ok: bad.length === 0,
    violations: bad.length,
    examples: bad.slice(0, EXAMPLES),
  }
}

/** One check (or a group of them) run on a connection of the verifying transaction. */
type Check = (db: Knex) => Promise<VerifyCheck | VerifyCheck[]>

/** The registry's invariants (product.md "verify"), for the communes of the provinces in scope. */
export function invariantChecks(scope: RunScope): Check[] {
  const q =
    (check: string, sql: string, bindings: SqlValue[] = []): Check =>
    async (db) => {
      const rows = await query<{what: string}>(db, sql, bindings)
      return {
        check,
        ok: rows.length === 0,
        violations: rows.length,
        examples: rows.slice(0, EXAMPLES).map((r) => r.what),
      }
    }
  const communes = `select u.code, u.name from units u left join units d on d.code = u.parent_code
     where u.status = 'active' and u.level = 3 and (u.parent_code = any(?::text[]) or d.parent_code = any(?::text[]))`
  const p = [scope.provinces, scope.provinces]
  return [
    q(
      'no active account on a retired agency or unit',
      // From the few retired agencies and units to their accounts by the index, not a million accounts
      // joined to every agency (a third of the time).
      `select a.system || '/' || a.username || ' on ' || g.id as what from agencies g join units u on u.code = g.unit_code,
         lateral (select * from accounts a where a.agency_id = g.id and a.status = 'active' offset 0) a
       where g.status = 'retired' or u.status = 'retired' order by 1`,
    ),
    q(
      'no active agency on a retired unit',
      `select g.id as what from agencies g join units u on u.code = g.unit_code where g.status = 'active' and u.status = 'retired' order by 1`,
    ),
    q(
      'no active mailbox of a retired agency or of a disabled account',
      // Two branches, each reached from its few retired agencies or disabled accounts by an index, rather
      // than every mailbox joined to every account.
      `select m.address as what from agencies g join mailboxes m on m.owner_agency_id = g.id
       where m.status = 'active' and g.status = 'retired'
       union
       select m.address from accounts a join mailboxes m on m.owner_system = a.system and m.owner_username = a.username
       where m.status = 'active' and a.status = 'disabled'
       order by 1`,
    ),
    q(
      'each active commune has exactly one active People’s Committee',
      `select c.code || ' ' || c.name || ': ' || count(g.id) || ' People''s Committees' as what
       from (${communes}) c left join agencies g on g.unit_code = c.code and g.kind = 'ubnd' and g.status = 'active'
       group by c.code, c.name having count(g.id) <> 1 order by 1`,
      p,
    ),
    q(
      'each commune People’s Committee has a valid, issued identifier code',
      `select g.id || ' ' || coalesce(g.identifier_code, '(no code)') as what
       from (${communes}) c join agencies g on g.unit_code = c.code and g.kind = 'ubnd' and g.status = 'active'
       left join identifier_codes i on i.code = g.identifier_code and i.agency_id = g.id and i.status = 'issued'
       where i.code is null order by 1`,
      p,
    ),
    q(
      'each commune People’s Committee is registered on the document-exchange axis',
      `select g.id || ' ' || coalesce(g.identifier_code, '') as what
       from (${communes}) c join agencies g on g.unit_code = c.code and g.kind = 'ubnd' and g.status = 'active'
       where not exists (select 1 from endpoints e where e.agency_code = g.identifier_code and e.agency_id = g.id and e.status = 'registered')
       order by 1`,
      p,
    ),
    q(
      'each commune People’s Committee has an active official mailbox',
      `select g.id as what
       from (${communes}) c join agencies g on g.unit_code = c.code and g.kind = 'ubnd' and g.status = 'active'
       where not exists (select 1 from mailboxes m where m.owner_agency_id = g.id and m.kind = 'official' and m.status = 'active')
       order by 1`,
      p,
    ),
    q(
      'identifier codes are unique among active agencies',
      `select identifier_code || ' ×' || count(*) as what from agencies where status = 'active' and identifier_code is not null
       group by identifier_code having count(*) > 1 order by 1`,
    ),
    q(
      'no alias hides an active mailbox address',
      `select a.alias as what from mailbox_aliases a,
         lateral (select * from mailboxes m where m.address = a.alias offset 0) m
       where m.status = 'active' and a.mailbox_address <> m.address order by 1`,
    ),
    (db) => checkNames(db, scope.provinces),
    (db) => checkExpectedCounts(db, scope.expect),
  ]
}

/** Each province's active districts and communes are as many as its mapping expected. */
async function checkExpectedCounts(db: Knex, expected: RunScope['expect']): Promise<VerifyCheck[]> {
  if (expected.length === 0) return []
  const units = await query<{code: string; level: UnitLevel; parent_code: string | null}>(
    db,
    `select code, level, parent_code from units where status = 'active'`,
  )
  const active = new Map<string, CountedUnit>(
    units.map((u) => [u.code, {level: Number(u.level) as UnitLevel, parentCode: u.parent_code}]),
  )
  return expected.map(({province, ...expect}) => {
    const bad = expectMismatches(expect, provinceCounts(active, province), province).map((m) => m.message)
    return {
      check: `expected counts in province ${province}`,
      ok: bad.length === 0,
      violations: bad.length,
      examples: bad,
    }
  })
}

/**
 * Run the checks in the transaction and, on a server, also on a second connection in the same snapshot:
 * each connection takes the next check when it is done with one, so the database works on two cores.
 * The reports come back in the checks' order.
 */
async function runChecks(db: Knex, trx: Knex.Transaction, checks: Check[]): Promise<VerifyCheck[]> {
  const results: Array<VerifyCheck | VerifyCheck[]> = new Array(checks.length)
  let next = 0
  const work = async (conn: Knex): Promise<void> => {
    while (next < checks.length) {
      const i = next++
      results[i] = await checks[i](conn)
    }
  }
  const shared = await onSharedSnapshot(db, trx, work)
  await Promise.all([work(trx), shared?.result])
  return results.flat()
}

/**
 * Names follow their units: every active agency of the provinces in scope ends with its unit's name as
 * it is now, and its active official mailbox and registered endpoints carry the agency's name.
 */
async function checkNames(db: Knex, provinces: string[]): Promise<VerifyCheck> {
  const rows = await query<{
    id: string
    name: string
    unit_name: string
    mailboxes: string[] | null
    endpoints: string[] | null
  }>(
    db,
    `select g.id, g.name, u.name as unit_name,
       (select array_agg(m.address || '\x1f' || m.display_name order by m.address) from mailboxes m
        where m.owner_agency_id = g.id and m.kind = 'official' and m.status = 'active') as mailboxes,
       (select array_agg(e.axis || ' ' || e.agency_code || '\x1f' || e.name order by e.axis, e.agency_code) from endpoints e
        where e.agency_id = g.id and e.status = 'registered') as endpoints
     from agencies g join units u on u.code = g.unit_code
     left join units p on p.code = u.parent_code
     where g.status = 'active' and u.status = 'active'
       and (u.code = any(?::text[]) or u.parent_code = any(?::text[]) or p.parent_code = any(?::text[]))
     order by g.id`,
    [provinces, provinces, provinces],
  )
  const bad: string[] = []
  for (const r of rows) {
    if (!carriesUnitName(r.name, r.unit_name))
      bad.push(`agency ${r.id} is "${r.name}" but its unit is now "${r.unit_name}"`)
    for (const [where, named] of [
      ...(r.mailboxes ?? []).map((m) => ['mailbox ' + m.split('\x1f')[0], m.split('\x1f')[1]]),
      ...(r.endpoints ?? []).map((e) => ['endpoint ' + e.split('\x1f')[0], e.split('\x1f')[1]]),
    ])
      if (named !== r.name) bad.push(`${where} of ${r.id} is named "${named}", not "${r.name}"`)
  }
  return {
    check: 'every active agency, official mailbox and endpoint carries the name its unit has now',
    ok: bad.length === 0,
    violations: bad.length,
    examples: bad.slice(0, EXAMPLES),
  }
}

export function report(subject: string, checks: VerifyCheck[]): VerifyReport {
  return {ok: checks.every((c) => c.ok), subject, checks}
}

/** Verify a saved plan's operations and the invariants of its provinces. */
export function verifyPlan(db: Knex, plan: SignedPlan, subject: string): Promise<VerifyReport> {
  return readTransaction(db, async (trx) =>
    report(
      subject,
      await runChecks(db, trx, [(c) => checkOperations(c, plan), ...invariantChecks(planScope(plan))]),
    ),
  )
}

/** Verify a run: what it wrote is still there, and the invariants of the provinces its plan was about. */
export function verifyRun(db: Knex, runId: number): Promise<VerifyReport> {
  return readTransaction(db, async (trx) => {
    const run = await getRun(trx, runId)
    if (!run) throw new SapxepError(`there is no run ${runId} (see \`sapxep history\`)`, {code: 'no_run'})
    if (run.status !== 'applied')
      throw new SapxepError(`run ${runId} was rolled back; there is nothing of it to verify`)
    const checks = [(c: Knex) => checkRunRows(c, run), ...invariantChecks(run.counts.scope)]
    return report(`run ${runId}`, await runChecks(db, trx, checks))
  })
}
