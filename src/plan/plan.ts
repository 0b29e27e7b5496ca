import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import {SapxepError} from '../errors.js'
import {readTransaction} from '../registry/db.js'
import {buildMappingPlan, level1CodesFor, personalMailboxOps, type MappingPlanPart} from './build.js'
import {SerializedOperations, signPlanDigest} from './file.js'
import {readFingerprint} from './fingerprint.js'
import type {PlanMapping} from './input.js'
import {normalizeSnapshot, readPhaseTwo, readSnapshot, snapshotScope, type Snapshot} from './snapshot.js'
import {
  OP_KINDS,
  OP_TABLE,
  PLAN_FORMAT_VERSION,
  type Fingerprint,
  type Operation,
  type OpKind,
  type Plan,
  type PlanMappingRef,
  type PlanReads,
  type PlanSummary,
  type SignedPlan,
} from './types.js'

export interface MappingInput {
  file: string
  digest: string
  mapping: PlanMapping
}

/**
 * Phase one: the rows of a mapping's units, in key order.
 */
async function readBase(db: Knex, mapping: PlanMapping): Promise<{rows: Snapshot}> {
  const rows = normalizeSnapshot({
    ...(await readSnapshot(db, snapshotScope(mapping), level1CodesFor(mapping))),
    ...NOTHING_TAKEN,
  })
  return {rows}
}

/**
 * Plan a mapping from its phase-one rows: plan, read phase two, plan again if a chosen name is taken.
 * Returns the plan part and every row read (for the fingerprint).
 */
async function planBase(
  db: Knex,
  input: MappingInput,
  base: Snapshot,
  opts: PlanOptions,
): Promise<PlannedMapping> {
  let part = buildMappingPlan(input.mapping, base, opts)
  const two = await readPhaseTwo(db, part.candidates, part.mailboxOwners)
  // What this mapping read besides its units, for the fingerprint (and apply's freshness check).
  const reads: PlanReads = {
    level1: level1CodesFor(input.mapping)(base.agencies),
    usernames: part.candidates.usernames.map(([system, username]) => `${system}/${username}`),
    addresses: part.candidates.addresses,
    owners: part.mailboxOwners.map((o) => `${o.system}/${o.username}`),
  }
  // Only the rows phase two added need ordering; the rest is already in order.
  const {personalMailboxes, takenUsernames, takenAddresses} = normalizeSnapshot({
    ...EMPTY_SNAPSHOT,
    ...two,
  })
  const snapshot: Snapshot = {...base, personalMailboxes, takenUsernames, takenAddresses}
  if (takenAddresses.length > 0 || takenUsernames.length > 0) {
    const chosen = new Set<string>()
    for (const o of part.operations)
      if (o.op === 'account.create' || o.op === 'mailbox.create')
        chosen.add(o.key.address ?? `${o.key.system}/${o.key.username}`)
    if ([...takenAddresses, ...takenUsernames].some((t) => chosen.has(t)))
      part = buildMappingPlan(input.mapping, snapshot, opts)
  }
  for (const op of personalMailboxOps(part.mailboxOwners, snapshot.personalMailboxes))
    part.operations.push(op)
  return {part, reads}
}

/**
 * Turn the server's JIT compilation off for the rest of the transaction. The reads
 * are a few statements per mapping whose estimated cost (lookups per agency) is high enough for the
 * server to compile them, which takes longer (half a second each) than running them.
 */
async function jitOff(db: Knex): Promise<void> {
  await db.raw(`select set_config('jit', 'off', true)`)
}

const NOTHING_TAKEN = {takenUsernames: [], takenAddresses: [], personalMailboxes: []}
const EMPTY_SNAPSHOT: Snapshot = {
  units: [],
  agencies: [],
  accounts: [],
  mailboxes: [],
  aliases: [],
  endpoints: [],
  codes: [],
  ...NOTHING_TAKEN,
}

export interface PlanOptions {
  /** Report `expect` mismatches as warnings instead of refusing to plan. */
  ignoreExpect?: boolean
}

/**
 * Read the registry (one read-only transaction) and plan each mapping right after reading its rows, so
 * that only a mapping's snapshot (and the next one's) is in memory at a time.
 */
export async function makePlan(
  db: Knex,
  inputs: MappingInput[],
  toolVersion: string,
  opts: PlanOptions = {},
): Promise<SignedPlan> {
  // Each mapping's operations in canonical form, made while the database reads (see signPlanDigest).
  const serialized = new SerializedOperations()
  const {plan, order} = await readTransaction(db, async (trx) => {
    await jitOff(trx)
    // The database and this process work at the same time: each mapping's phase one is asked for
    // before the previous mapping is planned, and the fingerprint while the plan is assembled.
    const planned: PlannedMapping[] = []
    let next = inputs.length > 0 ? readBase(trx, inputs[0].mapping) : null
    for (let i = 0; i < inputs.length; i++) {
      const base = await next!
      next = i + 1 < inputs.length ? readBase(trx, inputs[i + 1].mapping) : null
      // If planning this mapping fails, the read ahead fails with the transaction: not unhandled.
      next?.catch(() => {})
      // Let the next mapping's statement go out before this process plans (synchronously) this one.
      await new Promise((resolve) => setImmediate(resolve))
      const mapping = await planBase(trx, inputs[i], base.rows, opts)
      for (const op of mapping.part.operations) serialized.add(op)
      planned.push(mapping)
    }
    const reads = mergeReads(planned.map((p) => p.reads))
    // Every row read, fingerprinted by the database in the same snapshot (apply does the same).
    const fingerprint = readFingerprint(
      trx,
      inputs.map((input) => input.mapping),
      reads,
    )
    fingerprint.catch(() => {})
    await new Promise((resolve) => setImmediate(resolve))
    const assembled = assemble(inputs, planned, toolVersion, PENDING_FINGERPRINT, reads)
    assembled.plan.fingerprint = await fingerprint
    return assembled
  })
  return signPlanDigest(plan, {operations: serialized, order})
}

// Stands in for the fingerprint while the database computes it (replaced before the plan is signed).
const PENDING_FINGERPRINT: Fingerprint = {tables: {}, groups: {}, rows: 0}

export interface PlannedMapping {
  part: MappingPlanPart
  reads: PlanReads
}

/** The reads of several mappings as one: each list merged, without repeats, sorted. */
export function mergeReads(reads: PlanReads[]): PlanReads {
  const merge = (pick: (r: PlanReads) => string[]) => [...new Set(reads.flatMap(pick))].sort()
  return {
    level1: merge((r) => r.level1),
    usernames: merge((r) => r.usernames),
    addresses: merge((r) => r.addresses),
    owners: merge((r) => r.owners),
  }
}

/** Pure: the planned mappings → one plan body. */
export function assemblePlan(
  inputs: MappingInput[],
  planned: PlannedMapping[],
  toolVersion: string,
  fingerprint: Fingerprint,
): Plan {
  return assemble(inputs, planned, toolVersion, fingerprint, mergeReads(planned.map((p) => p.reads))).plan
}

/** The plan body, and where each operation was among the mappings' operations one after the other. */
function assemble(
  inputs: MappingInput[],
  planned: PlannedMapping[],
  toolVersion: string,
  fingerprint: Fingerprint,
  reads: PlanReads,
): {plan: Plan; order: number[]} {
  const parts = planned.map((p) => p.part)
  const errors = parts.flatMap((p, i) => p.errors.map((e) => `${inputs[i].file}: ${e}`))
  if (errors.length > 0)
    throw new SapxepError(`cannot plan:\n  ${errors.join('\n  ')}`, {code: 'plan_failed', details: {errors}})
  const {operations, order} = sortOrder(parts.map((p) => p.operations))
  const refs: PlanMappingRef[] = inputs.map((input) => ({
    file: input.file,
    digest: input.digest,
    decision: pickDecision(input.mapping.decision),
    province: input.mapping.province ?? null,
    resolved: input.mapping,
  }))
  const plan: Plan = {
    format_version: PLAN_FORMAT_VERSION,
    tool: {name: 'sapxep', version: toolVersion},
    mapping: summarizeMappings(refs),
    province: refs.length === 1 ? refs[0].province : null,
    mappings: refs,
    fingerprint,
    reads,
    units: parts.flatMap((p) => p.units),
    warnings: parts.flatMap((p, i) =>
      p.warnings.map((w) => (inputs.length > 1 ? `${inputs[i].file}: ${w}` : w)),
    ),
    summary: summarize(operations),
    operations,
  }
  return {plan, order}
}

const pickDecision = (d: PlanMapping['decision']) => ({
  number: d.number,
  effective: d.effective,
  ...(d.title ? {title: d.title} : {}),
  official: d.official,
})

function summarizeMappings(refs: PlanMappingRef[]): Plan['mapping'] {
  if (refs.length === 1) return {file: refs[0].file, digest: refs[0].digest, decision: refs[0].decision}
  const digest = createHash('sha256')
  for (const r of refs) digest.update(`${r.file} ${r.digest}\n`)
  return {
    file: `${refs.length} mapping files`,
    digest: `sha256:${digest.digest('hex')}`,
    decision: {
      number: [...new Set(refs.map((r) => r.decision.number))].join(', '),
      effective: refs
        .map((r) => r.decision.effective)
        .sort()
        .at(-1)!,
      official: refs.every((r) => r.decision.official),
    },
  }
}

const KIND_INDEX = new Map<string, number>(OP_KINDS.map((k, i) => [k, i]))

// Keys of one kind are built with their fields in one order, so their values alone order them.
const keyText = (o: Operation): string => Object.values(o.key).join('\u0000')

/** Kind order first (it is the apply order), then the key, so the plan does not depend on how it was built. */
export function sortOperations(ops: Operation[]): Operation[] {
  return sortOrder([ops]).operations
}

/**
 * The operations of several lists in plan order: per kind, in list order, then sorted by key (stable).
 * `order[i]`: the position of `operations[i]` in the lists one after the other.
 */
function sortOrder(lists: Operation[][]): {operations: Operation[]; order: number[]} {
  const all: Operation[] = []
  const buckets: number[][] = OP_KINDS.map(() => [])
  for (const list of lists)
    for (const op of list) {
      const k = KIND_INDEX.get(op.op)
      if (k === undefined) throw new Error(`unknown operation kind ${op.op}`)
      buckets[k].push(all.length)
      all.push(op)
    }
  const operations: Operation[] = new Array(all.length)
  const order: number[] = new Array(all.length)
  let n = 0
  for (let bucket of buckets) {
    // The keys as text, side by side: a million comparisons touch them and nothing else.
    const keys = bucket.map((i) => keyText(all[i]))
    let sorted = true
    for (let j = 1; j < keys.length && sorted; j++) sorted = keys[j - 1] <= keys[j]
    if (!sorted) {
      const positions = keys.map((_, j) => j)
      positions.sort((x, y) => (keys[x] < keys[y] ? -1 : keys[x] > keys[y] ? 1 : 0))
      bucket = positions.map((j) => bucket[j])
    }
    for (const i of bucket) {
      order[n] = i
      operations[n++] = all[i]
    }
  }
  return {operations, order}
}

/** Operations grouped by kind, in the order they are applied (kinds without operations left out). */
export function operationsByKind(ops: Operation[]): Map<OpKind, Operation[]> {
  const groups = new Map<OpKind, Operation[]>()
  for (const kind of OP_KINDS) groups.set(kind, [])
  for (const op of ops) groups.get(op.op)!.push(op)
  for (const kind of OP_KINDS) if (groups.get(kind)!.length === 0) groups.delete(kind)
  return groups
}

/** Counts by kind and system, and the rows each table will see written (what a dry run must report). */
export function summarize(ops: Operation[]): PlanSummary {
  const byKind: PlanSummary['byKind'] = {}
  const accountsBySystem: PlanSummary['accountsBySystem'] = {}
  const rowsByTable: Record<string, number> = {}
  const units = {created: 0, renamed: 0, retyped: 0, reparented: 0, retired: 0}
  const bump = (table: string, n = 1) => (rowsByTable[table] = (rowsByTable[table] ?? 0) + n)
  for (const op of ops) {
    byKind[op.op] = (byKind[op.op] ?? 0) + 1
    bump(OP_TABLE[op.op])
    if (op.op.startsWith('account.')) {
      const s = (accountsBySystem[op.key.system] ??= {})
      s[op.op] = (s[op.op] ?? 0) + 1
    }
    if (op.op === 'unit.create') units.created++
    if (op.op === 'unit.retire') {
      units.retired++
      bump(
        'unit_successors',
        String(op.after.successors ?? '')
          .split(' ')
          .filter(Boolean).length,
      )
    }
    if (op.op === 'unit.update') {
      bump('unit_history')
      if (op.before && 'name' in op.before) units.renamed++
      if (op.before && 'type' in op.before) units.retyped++
      if (op.before && 'parent_code' in op.before) units.reparented++
    }
  }
  const sortedTables = Object.fromEntries(Object.entries(rowsByTable).sort(([a], [b]) => (a < b ? -1 : 1)))
  return {operations: ops.length, byKind, accountsBySystem, rowsByTable: sortedTables, units}
}
