import type {ResolvedMapping} from '../../mapping/model.js'
import type {Snapshot} from '../../registry/snapshot.js'
import type {Operation, PlanUnitSummary} from '../types.js'
import {planAccounts} from './accounts.js'
import {planOfficialAddresses} from './addresses.js'
import {agencyOperations, planAgencies} from './agencies.js'
import {planContext, type Candidates, type PlanOptions} from './context.js'
import {codeAndEndpointOperations} from './endpoints.js'
import {allocateIdentifierCodes} from './identifier-codes.js'
import {mailboxOwners, officialMailboxOperations, type MailboxOwner} from './mailboxes.js'
import {unitSummaries} from './summary.js'
import {absentUnits, planUnits} from './units.js'

export {level1CodesFor} from './identifier-codes.js'
export {personalMailboxOps, type MailboxOwner} from './mailboxes.js'
export type {Candidates, PlanOptions} from './context.js'

export interface MappingPlanPart {
  operations: Operation[]
  units: PlanUnitSummary[]
  warnings: string[]
  /** Problems that make the plan impossible (expect counts, no level-1 code…). */
  errors: string[]
  candidates: Candidates
  /** Accounts disabled (newUsername null) or recreated: their personal mailboxes follow them. */
  mailboxOwners: MailboxOwner[]
}

const EMPTY_PART = {operations: [], units: [], warnings: [], mailboxOwners: []}

/**
 * Compute every change one mapping implies for the registry rows in `snapshot`. Pure: no I/O, and the
 * same inputs give the same operations in the same order. Run it once with `snapshot.taken*` empty to
 * collect the candidate names to look up, then again with the answers.
 */
export function buildMappingPlan(
  mapping: ResolvedMapping,
  snapshot: Snapshot,
  opts: PlanOptions = {},
): MappingPlanPart {
  const ctx = planContext(mapping, snapshot, opts)
  const absent = absentUnits(mapping, snapshot)
  if (absent) return {...EMPTY_PART, candidates: ctx.candidates, errors: [absent]}
  const units = planUnits(ctx)
  const agencies = planAgencies(ctx, units)
  allocateIdentifierCodes(ctx, units, agencies)
  const mail = planOfficialAddresses(ctx, units, agencies)
  agencyOperations(ctx, agencies)
  codeAndEndpointOperations(ctx, agencies, mail)
  const accounts = planAccounts(ctx, agencies)
  officialMailboxOperations(ctx, agencies, mail)
  return {
    operations: ctx.ops,
    units: unitSummaries(units.entries, units.before, ctx.ops),
    warnings: ctx.warnings,
    errors: ctx.errors,
    candidates: ctx.candidates,
    mailboxOwners: mailboxOwners(agencies, accounts),
  }
}
