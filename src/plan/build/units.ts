import type {ResolvedMapping} from '../../mapping/model.js'
import type {Snapshot, UnitRec} from '../../registry/snapshot.js'
import type {Row} from '../types.js'
import {diff, type PlanContext, type Successor, type UnitPlan} from './context.js'
import {expectProblems} from './expect.js'
import {pushAll} from '../../collections.js'

/**
 * Units: create, rename, retype and re-parent the mapping's units; retire the codes that stop existing
 * (and, when the district level is abolished, the districts); move the units the mapping does not name
 * whose parent goes away.
 */
export function planUnits(ctx: PlanContext): UnitPlan {
  const {mapping, snapshot, province} = ctx
  const before = new Map(snapshot.units.map((u) => [u.code, u]))
  const after = new Map<string, UnitRec>()
  for (const u of snapshot.units) if (u.status === 'active') after.set(u.code, {...u})
  const plan: UnitPlan = {
    before,
    after,
    entries: [...mapping.units].sort((a, b) => a.code.localeCompare(b.code)),
    ownerOf: new Map(),
    successors: new Map(),
    formed: new Set(),
  }
  changeNamedUnits(ctx, plan)
  retireUnits(ctx, plan)
  moveOrphans(ctx, plan)
  const problems = expectProblems(mapping, after, province)
  if (ctx.opts.ignoreExpect) pushAll(ctx.warnings, problems)
  // Say which units make the counts differ: usually units the registry has and the mapping does not name.
  else if (problems.length > 0)
    pushAll(
      ctx.errors,
      problems,
      ctx.warnings.filter((w) => w.includes('is not in the mapping')),
    )
  return plan
}

/** The mapping's units: created, or updated where their name, type or parent changes. */
function changeNamedUnits(ctx: PlanContext, plan: UnitPlan): void {
  const {mapping, effective, province} = ctx
  for (const e of plan.entries) {
    const before = plan.before.get(e.code)
    const parent =
      e.parentCode ?? (mapping.abolishDistricts && e.level === 3 ? province : (before?.parent_code ?? null))
    plan.ownerOf.set(e.code, e.code)
    for (const s of e.sources)
      if (s.share === 'whole' || s.isDefault) plan.ownerOf.set(s.code, plan.ownerOf.get(s.code) ?? e.code)
    if (e.level > 1) plan.formed.add(e.code)
    if (before && before.status === 'retired') {
      ctx.errors.push(`unit ${e.code} (${e.name}) was retired; a retired code is never used again`)
      continue
    }
    const after: UnitRec = {
      code: e.code,
      name: e.name,
      type: e.type,
      level: e.level,
      parent_code: parent,
      status: 'active',
    }
    plan.after.set(e.code, after)
    if (!before) {
      ctx.ops.push({
        op: 'unit.create',
        key: {code: e.code},
        unit: e.code,
        after: {name: e.name, type: e.type, level: e.level, parent_code: parent, valid_from: effective},
      })
      continue
    }
    const changed = diff(before as Row, after as Row, ['name', 'type', 'parent_code'])
    if (changed)
      ctx.ops.push({
        op: 'unit.update',
        key: {code: e.code},
        unit: e.code,
        before: changed.before,
        after: {...changed.after, history_valid_to: effective},
      })
  }
}

/** The codes that stop existing, each with its successors; the districts, when their level goes. */
function retireUnits(ctx: PlanContext, plan: UnitPlan): void {
  const {mapping, snapshot, effective, province} = ctx
  const entryCodes = new Set(plan.entries.map((e) => e.code))
  const retire = (code: string, successors: Successor[], note?: string) => {
    if (plan.before.get(code)?.status !== 'active' || entryCodes.has(code) || plan.successors.has(code))
      return
    plan.successors.set(code, successors)
    plan.after.delete(code)
    const def = successors.find((s) => s.isDefault) ?? successors[0]
    const owner = plan.ownerOf.get(code) ?? def?.code ?? code
    plan.ownerOf.set(code, owner)
    ctx.ops.push({
      op: 'unit.retire',
      key: {code},
      unit: owner,
      before: {status: 'active', valid_to: null},
      after: {
        status: 'retired',
        valid_to: effective,
        successors: successors.map((s) => s.code).join(' '),
        default_successor: def?.code ?? null,
      },
      ...(note ? {note} : {}),
    })
  }
  const mentioned = new Set<string>()
  for (const e of plan.entries) for (const s of e.sources) mentioned.add(s.code)
  for (const r of mapping.retired) {
    mentioned.add(r.code)
    if (!plan.before.has(r.code))
      ctx.warnings.push(`retired code ${r.code} is not in the registry; nothing to retire`)
    const successors = [...r.successors].sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    if (successors.length === 0)
      ctx.warnings.push(
        `unit ${r.code} is retired without a successor: its agencies and accounts are disabled`,
      )
    retire(r.code, successors)
  }
  for (const code of mentioned)
    if (!plan.before.has(code) && !entryCodes.has(code))
      ctx.warnings.push(`the mapping names ${code}, which is not in the registry`)
  if (mapping.abolishDistricts && province) {
    const provinces = new Set(
      snapshot.units
        .filter((u) => u.level === 1 && (u.code === province || plan.ownerOf.get(u.code) === province))
        .map((u) => u.code),
    )
    for (const u of snapshot.units)
      if (u.level === 2 && u.parent_code && provinces.has(u.parent_code))
        retire(u.code, [{code: province, isDefault: true}], 'the district level is abolished')
  }
}

/** Units the mapping does not name but whose parent goes away move to the parent's successor. */
function moveOrphans(ctx: PlanContext, plan: UnitPlan): void {
  const {mapping, effective, province} = ctx
  for (const u of [...plan.after.values()].sort((a, b) => a.code.localeCompare(b.code))) {
    if (!u.parent_code || plan.after.has(u.parent_code)) continue
    const successors = plan.successors.get(u.parent_code)
    const to = mapping.abolishDistricts && u.level === 3 && province ? province : successors?.[0]?.code
    if (!to) {
      ctx.errors.push(`unit ${u.code} (${u.name}) would be left under retired ${u.parent_code}`)
      continue
    }
    ctx.warnings.push(
      `${u.code} ${u.name} is not in the mapping; it stays and moves from ${u.parent_code} to ${to}`,
    )
    const before = u.parent_code
    u.parent_code = to
    plan.formed.add(u.code)
    plan.ownerOf.set(u.code, u.code)
    ctx.ops.push({
      op: 'unit.update',
      key: {code: u.code},
      unit: u.code,
      before: {parent_code: before},
      after: {parent_code: to, history_valid_to: effective},
      note: 'not in the mapping; parent retired',
    })
  }
}

/** Where a retired unit's rows go: its default successor, followed through chains (district → province). */
export function unitTarget(code: string, successors: Map<string, Successor[]>): string | null {
  let cur: string | null = code
  for (let i = 0; cur && successors.has(cur) && i < 5; i++) {
    const s: Successor[] = successors.get(cur)!
    cur = (s.find((x) => x.isDefault) ?? s[0])?.code ?? null
  }
  return cur
}

/**
 * When none of the units a mapping names is in the registry, planning it would only invent the province
 * from nothing (an empty registry, another province's, a wrong SAPXEP_HOME): the refusal, or null.
 */
export function absentUnits(mapping: ResolvedMapping, snapshot: Snapshot): string | null {
  const named = new Set<string>()
  for (const u of mapping.units) {
    named.add(u.code)
    for (const s of u.sources) named.add(s.code)
  }
  for (const r of mapping.retired) named.add(r.code)
  if (named.size === 0 || snapshot.units.some((u) => named.has(u.code))) return null
  const codes = [...named].sort()
  const shown = codes.slice(0, 5).join(', ') + (codes.length > 5 ? ', …' : '')
  return (
    `none of the ${codes.length} units the mapping names (${shown}) is in the registry: ` +
    'import the units first (`sapxep registry import units FILE`), or plan against the registry you meant'
  )
}
