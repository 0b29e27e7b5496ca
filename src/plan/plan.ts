import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import {SapxepError} from '../errors.js'
import type {ResolvedMapping} from '../mapping/model.js'
import {readSums, scopeSums, splitFingerprint, type Fingerprint} from '../registry/fingerprint.js'
import {
  normalizeSnapshot,
  onSharedSnapshot,
  planReadTransaction,
  readPhaseTwo,
  readSnapshot,
  type Snapshot,
} from '../registry/snapshot.js'
import {
  buildMappingPlan,
  level1CodesFor,
  personalMailboxOps,
  type MappingPlanPart,
  type PlanOptions,
} from './build/index.js'
import {operationText, signPlanDigest, type OperationText} from './file.js'
import {mergeSorted, sortList, sortLists, type SortedList} from './order.js'
import {snapshotScope} from './scope.js'
import {summarize} from './summary.js'
import {
  PLAN_FORMAT_VERSION,
  type Operation,
  type Plan,
  type PlanMappingRef,
  type PlanReads,
  type SignedPlan,
} from './types.js'

export type {PlanOptions} from './build/index.js'

/** One mapping to plan: its file, the file's digest, and the mapping resolved. */
export interface MappingInput {
  file: string
  digest: string
  mapping: ResolvedMapping
}

/**
 * Phase one: the rows of a mapping's units, in key order.
 */
async function readBase(db: Knex, mapping: ResolvedMapping): Promise<{rows: Snapshot}> {
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
  const {plan, opBytes} = await planReadTransaction(db, async (trx) => {
    // The database and this process work at the same time: each mapping's phase one is asked for
    // before the previous mapping is planned, and the fingerprint while the plan is assembled. On a
    // server, the bulk of the fingerprint (the units in scope) is computed on a second connection, in
    // the same snapshot, while the mappings are read and planned.
    const scopes = inputs.map((input) => snapshotScope(input.mapping))
    const early = await onSharedSnapshot(db, trx, (other) => scopeSums(other, scopes))
    const planned: PlannedMapping[] = []
    // Each mapping's operations in plan order and as canonical text, made while the database reads the
    // next mapping; merged at the end.
    const sorted: SortedList[] = []
    const texts: OperationText[] = []
    const serialize = (p: PlannedMapping) => {
      const list = sortList(p.part.operations)
      sorted.push(list)
      texts.push(operationText(list.operations))
    }
    let next = inputs.length > 0 ? readBase(trx, inputs[0].mapping) : null
    for (let i = 0; i < inputs.length; i++) {
      const base = await next!
      next = i + 1 < inputs.length ? readBase(trx, inputs[i + 1].mapping) : null
      // If planning this mapping fails, the read ahead fails with the transaction: not unhandled.
      next?.catch(() => {})
      // Let the next mapping's statement go out before this process works (synchronously) on this one.
      await new Promise((resolve) => setImmediate(resolve))
      if (i > 0) serialize(planned[i - 1])
      planned.push(await planBase(trx, inputs[i], base.rows, opts))
    }
    const reads = mergeReads(planned.map((p) => p.reads))
    // Every row read, fingerprinted by the database in the same snapshot (apply does the same).
    const fingerprint = splitFingerprint(
      early?.result ?? scopeSums(trx, scopes),
      readSums(trx, scopes, reads),
    )
    fingerprint.catch(() => {})
    await new Promise((resolve) => setImmediate(resolve))
    if (planned.length > 0) serialize(planned[planned.length - 1])
    const {operations, list, at} = mergeSorted(sorted)
    const assembled = assemble(inputs, planned, toolVersion, PENDING_FINGERPRINT, reads, operations)
    assembled.fingerprint = await fingerprint
    return {plan: assembled, opBytes: {texts, list, at}}
  })
  return signPlanDigest(plan, opBytes)
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
  const operations = sortLists(planned.map((p) => p.part.operations))
  return assemble(
    inputs,
    planned,
    toolVersion,
    fingerprint,
    mergeReads(planned.map((p) => p.reads)),
    operations,
  )
}

/** The plan body; `operations`: the mappings' operations in plan order (as sortLists puts them). */
function assemble(
  inputs: MappingInput[],
  planned: PlannedMapping[],
  toolVersion: string,
  fingerprint: Fingerprint,
  reads: PlanReads,
  operations: Operation[],
): Plan {
  const parts = planned.map((p) => p.part)
  const errors = parts.flatMap((p, i) => p.errors.map((e) => `${inputs[i].file}: ${e}`))
  if (errors.length > 0)
    throw new SapxepError(`cannot plan:\n  ${errors.join('\n  ')}`, {code: 'plan_failed', details: {errors}})
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
  return plan
}

const pickDecision = (d: ResolvedMapping['decision']) => ({
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
