import {addressCandidates, bodyShort, expandAddressPattern} from '../../naming/addresses.js'
import {unitSlug} from '../../naming/text.js'
import type {MailboxRec} from '../../registry/snapshot.js'
import {cmp, type AgencyPlan, type MailPlan, type PlanContext, type UnitPlan} from './context.js'

/**
 * Official addresses: each agency of a formed unit that has (or whose template has) an official mailbox
 * gets the address the mail pattern makes for it, the first candidate never used before; an address
 * the pattern already gave it stays.
 */
export function planOfficialAddresses(ctx: PlanContext, units: UnitPlan, agencies: AgencyPlan): MailPlan {
  const {snapshot, province} = ctx
  const mailboxesBefore = new Map(snapshot.mailboxes.map((m) => [m.address, m]))
  const officialOf = new Map<string, MailboxRec>()
  for (const m of snapshot.mailboxes)
    if (
      m.kind === 'official' &&
      m.status === 'active' &&
      m.owner_agency_id &&
      !officialOf.has(m.owner_agency_id)
    )
      officialOf.set(m.owner_agency_id, m)
  const taken = new Set(snapshot.takenAddresses)
  const plan: MailPlan = {officialOf, addressAfter: new Map(), newMailboxes: []}
  const {pattern, domain} = ctx.mapping.policies.mail
  const provinceUnit = province ? units.after.get(province) : undefined
  for (const a of [...agencies.after.values()].sort((x, y) => cmp(x.unit, y.unit) || cmp(x.kind, y.kind))) {
    const current = officialOf.get(a.id) ?? null
    const template = a.template ? officialOf.get(a.template.id) : undefined
    if (a.unit === province || (!current && !template)) {
      if (current) plan.addressAfter.set(a.id, current.address)
      continue
    }
    const unit = units.after.get(a.unit)!
    const district =
      unit.parent_code && unit.parent_code.length === 3 ? units.after.get(unit.parent_code) : undefined
    const local = expandAddressPattern(pattern, {
      body: bodyShort(a.kind),
      unit: unitSlug(unit.name),
      district: district ? unitSlug(district.name) : undefined,
      province: provinceUnit ? unitSlug(provinceUnit.name) : '',
    })
    // An address already made by this pattern (with or without a collision number) stays.
    const candidates = addressCandidates(local, domain)
    if (current && candidates.includes(current.address)) {
      plan.addressAfter.set(a.id, current.address)
      continue
    }
    ctx.candidates.addresses.push(...candidates)
    const address = candidates.find((c) => !taken.has(c) && !mailboxesBefore.has(c))
    if (!address) {
      ctx.errors.push(`no free address for ${a.id} among ${candidates[0]}…${candidates.at(-1)}`)
      continue
    }
    taken.add(address)
    plan.addressAfter.set(a.id, address)
    plan.newMailboxes.push({agency: a, address, replaces: current})
  }
  return plan
}
