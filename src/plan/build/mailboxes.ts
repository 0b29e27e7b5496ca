import type {MailboxRec} from '../../registry/snapshot.js'
import type {Operation} from '../types.js'
import type {AccountOutcome} from './accounts.js'
import {addMonths, cmp, type AgencyPlan, type MailPlan, type PlanContext} from './context.js'

/** An account disabled (newUsername null) or recreated: its personal mailboxes follow it. */
export interface MailboxOwner {
  system: string
  username: string
  newUsername: string | null
  unit: string
}

/**
 * Official mailboxes: the new addresses created, the ones they replace suspended (and kept as aliases
 * of the new ones, for `aliasMonths`, when the policy says so); a retiring agency's mailbox suspended and
 * aliased to its successor's address; a mailbox that keeps its address takes its agency's new name.
 */
export function officialMailboxOperations(ctx: PlanContext, agencies: AgencyPlan, mail: MailPlan): void {
  const {mapping, snapshot, effective} = ctx
  const {oldAddresses, aliasMonths} = mapping.policies.mail
  const aliasUntil = addMonths(effective, aliasMonths)
  const aliases: Array<{alias: string; to: string; unit: string}> = []
  const suspend = (address: string, unit: string) =>
    ctx.ops.push({
      op: 'mailbox.suspend',
      key: {address},
      unit,
      before: {status: 'active'},
      after: {status: 'suspended'},
    })
  for (const {agency, address, replaces} of mail.newMailboxes) {
    const unit = agencies.unitOf(agency.id)
    ctx.ops.push({
      op: 'mailbox.create',
      key: {address},
      unit,
      after: {
        display_name: agency.name,
        kind: 'official',
        owner_agency_id: agency.id,
        owner_system: null,
        owner_username: null,
        status: 'active',
      },
    })
    if (replaces) {
      suspend(replaces.address, unit)
      if (oldAddresses === 'alias') aliases.push({alias: replaces.address, to: address, unit})
    }
  }
  for (const [id, to] of [...agencies.successor].sort((x, y) => cmp(x[0], y[0]))) {
    const box = mail.officialOf.get(id)
    if (!box) continue
    suspend(box.address, agencies.unitOf(to ?? id))
    const successorAddress = to ? (mail.addressAfter.get(to) ?? mail.officialOf.get(to)?.address) : undefined
    if (successorAddress && oldAddresses === 'alias')
      aliases.push({alias: box.address, to: successorAddress, unit: agencies.unitOf(to!)})
  }
  for (const a of [...agencies.after.values()].sort((x, y) => cmp(x.id, y.id))) {
    const box = mail.officialOf.get(a.id)
    if (box && mail.addressAfter.get(a.id) === box.address && box.display_name !== a.name)
      ctx.ops.push({
        op: 'mailbox.update',
        key: {address: box.address},
        unit: agencies.unitOf(a.id),
        before: {display_name: box.display_name},
        after: {display_name: a.name},
      })
  }
  const existing = new Set(snapshot.aliases.map((a) => a.alias))
  for (const a of aliases.sort((x, y) => cmp(x.alias, y.alias))) {
    if (existing.has(a.alias)) continue
    ctx.ops.push({
      op: 'alias.create',
      key: {alias: a.alias},
      unit: a.unit,
      after: {mailbox_address: a.to, valid_until: aliasUntil},
    })
  }
}

/** The owners whose personal mailboxes phase two reads: every account disabled or recreated. */
export function mailboxOwners(agencies: AgencyPlan, accounts: AccountOutcome): MailboxOwner[] {
  return [...accounts.disabled.keys()].sort().map((k) => {
    const slash = k.indexOf('/')
    const acc = accounts.disabled.get(k)!
    return {
      system: k.slice(0, slash),
      username: k.slice(slash + 1),
      newUsername: accounts.recreatedAs.get(k) ?? null,
      unit: agencies.unitOf(agencies.resolve(acc.agency_id) ?? acc.agency_id),
    }
  })
}

/**
 * The personal mailboxes of disabled accounts are suspended; those of recreated accounts pass to the
 * new account. Pure, run once phase two has read the mailboxes of `owners`.
 */
export function personalMailboxOps(owners: MailboxOwner[], mailboxes: MailboxRec[]): Operation[] {
  const byOwner = new Map(owners.map((o) => [`${o.system}/${o.username}`, o]))
  const ops: Operation[] = []
  for (const m of mailboxes) {
    const owner = byOwner.get(`${m.owner_system}/${m.owner_username}`)
    if (!owner || m.kind !== 'personal' || m.status !== 'active') continue
    if (owner.newUsername)
      ops.push({
        op: 'mailbox.update',
        key: {address: m.address},
        unit: owner.unit,
        before: {owner_username: owner.username},
        after: {owner_username: owner.newUsername},
      })
    else
      ops.push({
        op: 'mailbox.suspend',
        key: {address: m.address},
        unit: owner.unit,
        before: {status: 'active'},
        after: {status: 'suspended'},
        note: 'owner account disabled',
      })
  }
  return ops
}
