import {followUnitName, localBodyName} from '../../naming/agencies.js'
import type {AgencyRec, UnitRec} from '../../registry/snapshot.js'
import type {Row} from '../types.js'
import {
  cmp,
  diff,
  groupBy,
  type AgencyAfter,
  type AgencyPlan,
  type PlanContext,
  type UnitPlan,
} from './context.js'
import {unitTarget} from './units.js'

/**
 * Agencies: in every formed unit, one agency of each kind its constituents have (the unit's own, or one
 * created from the default constituent's); the province's stay; every other agency of a unit that goes
 * away retires into its successor unit's agency of the same kind (or People's Committee).
 */
export function planAgencies(ctx: PlanContext, units: UnitPlan): AgencyPlan {
  const {snapshot, province} = ctx
  const before = new Map(snapshot.agencies.map((a) => [a.id, a]))
  const active = snapshot.agencies.filter((a) => a.status === 'active')
  const byUnit = groupBy(active, (a) => a.unit_code)
  const after = new Map<string, AgencyAfter>()
  const successor = new Map<string, string | null>()

  for (const code of [...units.formed].sort()) {
    const unit = units.after.get(code)
    if (unit) formAgencies(ctx, units, unit, before, byUnit, after)
  }
  const provinceBefore = province ? units.before.get(province) : undefined
  const provinceAfter = province ? units.after.get(province) : undefined
  if (province)
    for (const a of byUnit.get(province) ?? [])
      after.set(a.id, {
        id: a.id,
        unit: province,
        kind: a.kind,
        name: provinceAfter ? nameAfter(ctx, a, provinceBefore, provinceAfter) : a.name,
        parent_id: a.parent_id,
        identifier_code: a.identifier_code,
        template: a,
        created: false,
      })
  for (const a of active) {
    if (after.has(a.id) || units.after.has(a.unit_code)) continue
    const target = unitTarget(a.unit_code, units.successors)
    let to: string | null = null
    if (target)
      to = after.has(`${target}.${a.kind}`)
        ? `${target}.${a.kind}`
        : after.has(`${target}.ubnd`)
          ? `${target}.ubnd`
          : null
    successor.set(a.id, to)
  }
  const resolve = (id: string | null): string | null => {
    let cur = id
    for (let i = 0; cur && successor.has(cur) && i < 10; i++) cur = successor.get(cur) ?? null
    return cur
  }
  const plan: AgencyPlan = {
    before,
    after,
    successor,
    resolve,
    unitOf: (id) =>
      units.ownerOf.get(after.get(id)?.unit ?? before.get(id)?.unit_code ?? '') ?? after.get(id)?.unit ?? '-',
  }
  assignParents(units, plan)
  return plan
}

/** The agencies of a formed unit: one per kind any of its constituents has. */
function formAgencies(
  ctx: PlanContext,
  units: UnitPlan,
  unit: UnitRec,
  before: Map<string, AgencyRec>,
  byUnit: Map<string, AgencyRec[]>,
  after: Map<string, AgencyAfter>,
): void {
  const code = unit.code
  const entry = units.entries.find((e) => e.code === code)
  const sources = entry
    ? [...entry.sources].filter((s) => s.share === 'whole' || s.isDefault)
    : [{code, share: 'whole' as const, isDefault: true}]
  // The constituent the new unit is made from: itself when it keeps its code, else the default source.
  const order = [
    code,
    ...sources.filter((s) => s.isDefault).map((s) => s.code),
    ...sources.map((s) => s.code).sort(),
  ]
  const kinds = new Set<string>()
  for (const s of order) for (const a of byUnit.get(s) ?? []) kinds.add(a.kind)
  for (const kind of [...kinds].sort()) {
    const id = `${code}.${kind}`
    const existing = before.get(id)
    if (existing && existing.status !== 'active') {
      ctx.errors.push(`agency ${id} was retired and cannot come back`)
      continue
    }
    const template =
      existing ?? order.map((s) => before.get(`${s}.${kind}`)).find((a) => a && a.status === 'active') ?? null
    const oldUnit = template ? units.before.get(template.unit_code) : undefined
    after.set(id, {
      id,
      unit: code,
      kind,
      name: template
        ? nameAfter(ctx, template, oldUnit, unit)
        : (localBodyName(kind, unit.name) ?? `${kind} ${unit.name}`),
      parent_id: existing?.parent_id ?? template?.parent_id ?? null,
      identifier_code: existing?.identifier_code ?? null,
      template,
      created: !existing,
    })
  }
}

/**
 * The name of an agency (or of the one it is created from) once its unit is `newUnit`: names follow their
 * units. A name that does not end with its old unit's name cannot follow: it is kept, and said.
 */
function nameAfter(
  ctx: PlanContext,
  agency: AgencyRec,
  oldUnit: UnitRec | undefined,
  newUnit: UnitRec,
): string {
  if (!oldUnit) return agency.name
  const name = followUnitName(agency.kind, agency.name, oldUnit.name, newUnit.name)
  if (name !== undefined) return name
  ctx.warnings.push(
    `agency ${agency.id} "${agency.name}" does not end with the name of its unit ${oldUnit.code} "${oldUnit.name}": its name is kept though the unit is now "${newUnit.name}"`,
  )
  return agency.name
}

/** Parents: a People's Committee sits under its parent unit's; an agency whose parent retires points at the parent's successor. */
function assignParents(units: UnitPlan, plan: AgencyPlan): void {
  for (const a of plan.after.values()) {
    const unit = units.after.get(a.unit)
    if (a.kind === 'ubnd' && unit?.parent_code) {
      const parentUbnd = `${unit.parent_code}.ubnd`
      if (
        plan.after.has(parentUbnd) ||
        (plan.before.get(parentUbnd)?.status === 'active' && !plan.successor.has(parentUbnd))
      )
        a.parent_id = parentUbnd
      else a.parent_id = plan.resolve(a.parent_id)
    } else if (a.created && a.kind !== 'ubnd')
      a.parent_id = plan.after.has(`${a.unit}.ubnd`) ? `${a.unit}.ubnd` : plan.resolve(a.parent_id)
    else a.parent_id = plan.resolve(a.parent_id)
  }
}

/** Agencies created, updated (name, identifier code, parent) and retired. */
export function agencyOperations(ctx: PlanContext, agencies: AgencyPlan): void {
  for (const a of [...agencies.after.values()].sort((x, y) => cmp(x.id, y.id))) {
    if (a.created) {
      ctx.ops.push({
        op: 'agency.create',
        key: {id: a.id},
        unit: a.unit,
        after: {
          unit_code: a.unit,
          kind: a.kind,
          name: a.name,
          identifier_code: a.identifier_code,
          parent_id: a.parent_id,
          status: 'active',
        },
        note: a.template ? `from ${a.template.id}` : undefined,
      })
      continue
    }
    const before = agencies.before.get(a.id)!
    const changed = diff(before as Row, a as unknown as Row, ['name', 'identifier_code', 'parent_id'])
    if (changed) ctx.ops.push({op: 'agency.update', key: {id: a.id}, unit: agencies.unitOf(a.id), ...changed})
  }
  for (const [id, to] of [...agencies.successor].sort((x, y) => cmp(x[0], y[0]))) {
    ctx.ops.push({
      op: 'agency.retire',
      key: {id},
      unit: agencies.unitOf(to ?? id),
      before: {status: 'active', successor_id: null},
      after: {status: 'retired', successor_id: to},
    })
  }
}
