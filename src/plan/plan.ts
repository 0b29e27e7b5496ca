import {createHash} from 'node:crypto'
import type {Knex} from 'knex'
import {SapxepError} from '../errors.js'
import {buildMappingPlan, level1CodesFor, personalMailboxOps, type MappingPlanPart} from './build.js'
import {signPlanDigest} from './file.js'
import type {PlanMapping} from './input.js'
import {
  fingerprintSnapshot,
  normalizeSnapshot,
  readPhaseTwo,
  readSnapshot,
  snapshotScope,
} from './snapshot.js'
import {
  OP_KINDS,
  OP_TABLE,
  PLAN_FORMAT_VERSION,
  type Fingerprint,
  type Operation,
  type Plan,
  type PlanMappingRef,
  type PlanSummary,
  type SignedPlan,
} from './types.js'

export interface MappingInput {
  file: string
  digest: string
  mapping: PlanMapping
}

/**
 * Read what one mapping touches and plan it. Phase one reads the rows of its units; planning them names
 * the usernames and addresses it wants and the accounts it disables; phase two asks which of those names
 * exist and reads those accounts' personal mailboxes. Only if a name it chose turns out to be taken is the
 * mapping planned again, with the answer. Apply's freshness check reads exactly the same way.
 */
export async function readAndPlan(
  db: Knex,
  input: MappingInput,
  opts: PlanOptions = {},
): Promise<PlannedMapping> {
  const base = normalizeSnapshot({
    ...(await readSnapshot(db, snapshotScope(input.mapping), level1CodesFor(input.mapping))),
    ...NOTHING_TAKEN,
  })
  let part = buildMappingPlan(input.mapping, base, opts)
  const two = await readPhaseTwo(db, part.candidates, part.mailboxOwners)
  const snapshot = normalizeSnapshot({...base, ...two})
  const chosen = new Set(
    part.operations
      .filter((o) => o.op === 'account.create' || o.op === 'mailbox.create')
      .map((o) => o.key.address ?? `${o.key.system}/${o.key.username}`),
  )
  if ([...two.takenAddresses, ...two.takenUsernames].some((t) => chosen.has(t)))
    part = buildMappingPlan(input.mapping, snapshot, opts)
  part.operations.push(...personalMailboxOps(part.mailboxOwners, snapshot.personalMailboxes))
  return {part, fingerprint: fingerprintSnapshot(snapshot)}
}

const NOTHING_TAKEN = {takenUsernames: [], takenAddresses: [], personalMailboxes: []}

/**
 * Read the registry (one read-only transaction) and plan each mapping right after reading its rows, so
 * that only one mapping's snapshot is in memory at a time.
 */
export interface PlanOptions {
  /** Report `expect` mismatches as warnings instead of refusing to plan. */
  ignoreExpect?: boolean
}

export async function makePlan(
  db: Knex,
  inputs: MappingInput[],
  toolVersion: string,
  opts: PlanOptions = {},
): Promise<SignedPlan> {
  const planned = await db.transaction(
    async (trx) => {
      const out: PlannedMapping[] = []
      for (const input of inputs) out.push(await readAndPlan(trx, input, opts))
      return out
    },
    {isolationLevel: 'repeatable read', readOnly: true},
  )
  return signPlanDigest(assemblePlan(inputs, planned, toolVersion))
}

export interface PlannedMapping {
  part: MappingPlanPart
  fingerprint: Fingerprint
}

/** Pure: the planned mappings → one plan body. */
export function assemblePlan(inputs: MappingInput[], planned: PlannedMapping[], toolVersion: string): Plan {
  const parts = planned.map((p) => p.part)
  const errors = parts.flatMap((p, i) => p.errors.map((e) => `${inputs[i].file}: ${e}`))
  if (errors.length > 0)
    throw new SapxepError(`cannot plan:\n  ${errors.join('\n  ')}`, {code: 'plan_failed', details: {errors}})
  const operations = sortOperations(parts.flatMap((p) => p.operations))
  const refs: PlanMappingRef[] = inputs.map((input) => ({
    file: input.file,
    digest: input.digest,
    decision: pickDecision(input.mapping.decision),
    province: input.mapping.province ?? null,
    resolved: input.mapping,
  }))
  return {
    format_version: PLAN_FORMAT_VERSION,
    tool: {name: 'sapxep', version: toolVersion},
    mapping: summarizeMappings(refs),
    province: refs.length === 1 ? refs[0].province : null,
    mappings: refs,
    fingerprint: combineFingerprints(planned.map((p) => p.fingerprint)),
    units: parts.flatMap((p) => p.units),
    warnings: parts.flatMap((p, i) =>
      p.warnings.map((w) => (inputs.length > 1 ? `${inputs[i].file}: ${w}` : w)),
    ),
    summary: summarize(operations),
    operations,
  }
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

export function combineFingerprints(parts: Fingerprint[]): Fingerprint {
  if (parts.length === 1) return parts[0]
  const tables: Record<string, string> = {}
  for (const table of [...new Set(parts.flatMap((p) => Object.keys(p.tables)))].sort()) {
    const h = createHash('sha256')
    for (const p of parts) h.update(`${p.tables[table] ?? '-'}\n`)
    tables[table] = `sha256:${h.digest('hex')}`
  }
  const groups: Record<string, string> = {}
  parts.forEach((p, i) => {
    for (const [k, v] of Object.entries(p.groups)) groups[k in groups ? `${k}#${i}` : k] = v
  })
  return {tables, groups, rows: parts.reduce((n, p) => n + p.rows, 0)}
}

const KIND_ORDER = new Map(OP_KINDS.map((k, i) => [k, i]))

/** Kind order first (it is the apply order), then the key, so the plan does not depend on how it was built. */
export function sortOperations(ops: Operation[]): Operation[] {
  // Keys of one kind are built with their fields in one order, so their values alone order them.
  const keyText = new Map(ops.map((o) => [o, Object.values(o.key).join('\u0000')]))
  return [...ops].sort((a, b) => {
    const k = KIND_ORDER.get(a.op)! - KIND_ORDER.get(b.op)!
    if (k !== 0) return k
    const x = keyText.get(a)!
    const y = keyText.get(b)!
    return x < y ? -1 : x > y ? 1 : 0
  })
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
