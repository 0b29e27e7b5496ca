import type {AccountAction} from '../../mapping/schema.js'
import {usernameCandidates} from '../../naming/usernames.js'
import type {AccountRec} from '../../registry/snapshot.js'
import type {Operation, Row} from '../types.js'
import {cmp, type AgencyPlan, type PlanContext} from './context.js'

/** Accounts disabled or recreated, keyed `system/username`: their personal mailboxes follow them. */
export interface AccountOutcome {
  disabled: Map<string, AccountRec>
  /** Old `system/username` → the username it was recreated as. */
  recreatedAs: Map<string, string>
}

/** Who holds a single-holder role at an agency after the plan, and what happens to the account. */
interface Holder {
  acc: AccountRec
  action: AccountAction | 'keep'
  target: string
}

/**
 * Accounts of retiring agencies follow the policy per system and role (reassign, disable, recreate);
 * with no successor agency they are disabled. A single-holder role (the chairman) is kept by one account
 * per agency, chosen by the conflict rule or an override; the others are disabled.
 */
export function planAccounts(ctx: PlanContext, agencies: AgencyPlan): AccountOutcome {
  const {snapshot} = ctx
  const policy = ctx.mapping.policies.accounts
  const overrides = new Map(policy.overrides.map((o) => [`${o.system}/${o.username}`, o.action]))
  const actionFor = (acc: AccountRec): AccountAction =>
    (overrides.size > 0 ? overrides.get(`${acc.system}/${acc.username}`) : undefined) ??
    policy.systems[acc.system]?.roles?.[acc.role] ??
    policy.systems[acc.system]?.default ??
    policy.default
  const single = new Set(policy.singleHolderRoles)
  // Where each agency's accounts go: decided once per agency rather than once per account.
  const targets = new Map<string, {retiring: boolean; target: string | null}>()
  const targetOf = (agencyId: string) => {
    let t = targets.get(agencyId)
    if (!t) {
      const retiring = agencies.successor.has(agencyId)
      targets.set(agencyId, (t = {retiring, target: retiring ? agencies.resolve(agencyId) : agencyId}))
    }
    return t
  }
  const holders = new Map<string, Holder[]>()
  const moves: Holder[] = []
  for (const acc of snapshot.accounts) {
    const {retiring, target} = targetOf(acc.agency_id)
    const action: AccountAction | 'keep' = retiring ? (target ? actionFor(acc) : 'disable') : 'keep'
    if (action === 'keep' && !single.has(acc.role)) continue
    const h: Holder = {acc, action, target: target ?? acc.agency_id}
    if (action !== 'keep') moves.push(h)
    if (single.has(acc.role) && action !== 'disable') {
      const k = `${h.target}|${acc.system}|${acc.role}`
      const list = holders.get(k)
      if (list) list.push(h)
      else holders.set(k, [h])
    }
  }
  const losers = resolveRoleConflicts(ctx, agencies, holders, overrides)
  const stay: Holder[] = []
  // Losers whose agency stays (in no particular order: sorted with the moves below).
  for (const acc of losers.keys())
    if (!agencies.successor.has(acc.agency_id)) stay.push({acc, action: 'keep', target: acc.agency_id})
  return accountOperations(
    ctx,
    agencies,
    [...moves, ...stay].sort(
      (x, y) => cmp(x.acc.system, y.acc.system) || cmp(x.acc.username, y.acc.username),
    ),
    losers,
  )
}

/** The accounts that lose a single-holder role, each with the username that keeps it. */
function resolveRoleConflicts(
  ctx: PlanContext,
  agencies: AgencyPlan,
  holders: Map<string, Holder[]>,
  overrides: Map<string, AccountAction>,
): Map<AccountRec, string> {
  const policy = ctx.mapping.policies.accounts
  const losers = new Map<AccountRec, string>()
  for (const [k, hs] of [...holders].sort((x, y) => cmp(x[0], y[0]))) {
    if (hs.length < 2) continue
    const [target] = k.split('|')
    const targetUnit = agencies.after.get(target)?.unit ?? ''
    const unitOf = (h: Holder) => agencies.before.get(h.acc.agency_id)?.unit_code
    const rank = (h: Holder) =>
      policy.conflict === 'keep-first-username'
        ? h.acc.username
        : `${h.acc.agency_id === target ? 0 : unitOf(h) === targetUnit ? 1 : 2}|${unitOf(h)}|${h.acc.username}`
    const sorted = [...hs].sort((x, y) => cmp(rank(x), rank(y)))
    const explicit = sorted.filter(
      (h) => overrides.has(`${h.acc.system}/${h.acc.username}`) && h.action !== 'disable',
    )
    const keeper = explicit[0] ?? sorted[0]
    for (const h of sorted) if (h !== keeper) losers.set(h.acc, keeper.acc.username)
  }
  return losers
}

function accountOperations(
  ctx: PlanContext,
  agencies: AgencyPlan,
  holders: Holder[],
  losers: Map<AccountRec, string>,
): AccountOutcome {
  const {snapshot, reason} = ctx
  const outcome: AccountOutcome = {disabled: new Map(), recreatedAs: new Map()}
  const taken = new Set(snapshot.takenUsernames)
  // Usernames in the snapshot by system (only a recreate asks), without a key string per account.
  let usernamesBefore: Map<string, Set<string>> | null = null
  const existedBefore = (system: string, username: string): boolean => {
    if (!usernamesBefore) {
      usernamesBefore = new Map()
      for (const a of snapshot.accounts) {
        let names = usernamesBefore.get(a.system)
        if (!names) usernamesBefore.set(a.system, (names = new Set()))
        names.add(a.username)
      }
    }
    return usernamesBefore.get(system)?.has(username) ?? false
  }
  const unitsOf = new Map<string, string>()
  const unitOf = (agencyId: string) => {
    let unit = unitsOf.get(agencyId)
    if (unit === undefined) unitsOf.set(agencyId, (unit = agencies.unitOf(agencyId)))
    return unit
  }
  // A million accounts move to a few thousand agencies: their before/after values are shared.
  const agencyValues = new Map<string, Row>()
  const agencyValue = (id: string): Row => {
    let v = agencyValues.get(id)
    if (!v) agencyValues.set(id, (v = {agency_id: id}))
    return v
  }
  const ops: Operation[] = []
  const disable = (acc: AccountRec, unit: string, why: string, successor: string | null, note?: string) => {
    outcome.disabled.set(`${acc.system}/${acc.username}`, acc)
    ops.push({
      op: 'account.disable',
      key: {system: acc.system, username: acc.username},
      unit,
      before: {status: 'active', reason: acc.reason, successor_username: null},
      after: {status: 'disabled', reason: why, successor_username: successor},
      ...(note ? {note} : {}),
    })
  }
  for (const h of holders) {
    const {acc} = h
    const unit = unitOf(h.target)
    const loser = losers.get(acc)
    if (loser !== undefined || h.action === 'disable' || h.action === 'keep') {
      disable(
        acc,
        unit,
        loser !== undefined
          ? `${reason}: role ${acc.role} at ${h.target} kept by ${loser}`
          : `${reason}: ${acc.agency_id} retired`,
        null,
        loser !== undefined ? `single-holder role ${acc.role}` : undefined,
      )
      continue
    }
    if (h.action === 'reassign') {
      ops.push({
        op: 'account.reassign',
        key: {system: acc.system, username: acc.username},
        unit,
        before: agencyValue(acc.agency_id),
        after: agencyValue(h.target),
      })
      continue
    }
    // recreate: a new account in the successor, the old one disabled and linked to it
    const newUnit = agencies.after.get(h.target)?.unit ?? h.target.split('.')[0]
    const candidates = usernameCandidates(acc.username, newUnit)
    for (const c of candidates) ctx.candidates.usernames.push([acc.system, c])
    const username = candidates.find((c) => !taken.has(`${acc.system}/${c}`) && !existedBefore(acc.system, c))
    const k = `${acc.system}/${acc.username}`
    if (!username) {
      ctx.errors.push(`no free username for ${k} in ${newUnit}`)
      continue
    }
    taken.add(`${acc.system}/${username}`)
    outcome.recreatedAs.set(k, username)
    ops.push({
      op: 'account.create',
      key: {system: acc.system, username},
      unit,
      after: {
        holder: acc.holder,
        agency_id: h.target,
        role: acc.role,
        status: 'active',
        reason: null,
        successor_username: null,
      },
      note: `recreated from ${acc.username}`,
    })
    disable(acc, unit, `${reason}: recreated as ${username}`, username)
  }
  for (const op of ops) ctx.ops.push(op)
  return outcome
}
