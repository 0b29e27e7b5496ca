import type {Row} from '../types.js'
import {cmp, diff, groupBy, type AgencyPlan, type MailPlan, type PlanContext} from './context.js'

/**
 * Identifier codes and document-exchange endpoints: a retiring agency's code is stopped and its
 * endpoints unregistered; an agency whose code changes stops the old code, issues the new one and moves
 * its registration to it (on the axes it or its template was on); other endpoints follow the agency's
 * name, parent code and address.
 */
export function codeAndEndpointOperations(ctx: PlanContext, agencies: AgencyPlan, mail: MailPlan): void {
  const {snapshot, effective} = ctx
  const codeRecs = new Map(snapshot.codes.map((c) => [c.code, c]))
  const endpointsByAgency = groupBy(
    snapshot.endpoints.filter((e) => e.status === 'registered'),
    (e) => e.agency_id,
  )
  const codeAfter = (id: string | null) => (id ? (agencies.after.get(id)?.identifier_code ?? null) : null)
  const stopCode = (code: string | null, agencyId: string) => {
    if (!code || codeRecs.get(code)?.status !== 'issued') return
    ctx.ops.push({
      op: 'code.stop',
      key: {code},
      unit: agencies.unitOf(agencyId),
      before: {status: 'issued', stopped_on: null},
      after: {status: 'stopped', stopped_on: effective},
    })
  }
  const unregister = (e: {axis: string; agency_code: string}, agencyId: string) =>
    ctx.ops.push({
      op: 'endpoint.unregister',
      key: {axis: e.axis, agency_code: e.agency_code},
      unit: agencies.unitOf(agencyId),
      before: {status: 'registered'},
      after: {status: 'unregistered'},
    })
  for (const [id] of [...agencies.successor].sort((x, y) => cmp(x[0], y[0]))) {
    stopCode(agencies.before.get(id)!.identifier_code, id)
    for (const e of endpointsByAgency.get(id) ?? []) unregister(e, id)
  }
  for (const a of [...agencies.after.values()].sort((x, y) => cmp(x.id, y.id))) {
    const before = agencies.before.get(a.id)
    const oldCode = a.created ? null : (before?.identifier_code ?? null)
    const registered = endpointsByAgency.get(a.id) ?? []
    const axes =
      registered.length > 0
        ? registered.map((e) => e.axis)
        : a.template
          ? (endpointsByAgency.get(a.template.id) ?? []).map((e) => e.axis)
          : []
    const endpointAfter: Row = {
      parent_code: codeAfter(a.parent_id),
      agency_id: a.id,
      name: a.name,
      mail: mail.addressAfter.get(a.id) ?? null,
    }
    if (a.identifier_code !== oldCode) {
      stopCode(oldCode, a.id)
      for (const e of registered) unregister(e, a.id)
      if (a.identifier_code) {
        ctx.ops.push({
          op: 'code.issue',
          key: {code: a.identifier_code},
          unit: agencies.unitOf(a.id),
          after: {agency_id: a.id, status: 'issued', issued_on: effective},
        })
        for (const axis of [...new Set(axes.length > 0 ? axes : ['provincial', 'national'])].sort())
          ctx.ops.push({
            op: 'endpoint.register',
            key: {axis, agency_code: a.identifier_code},
            unit: agencies.unitOf(a.id),
            after: {...endpointAfter, status: 'registered'},
          })
      }
      continue
    }
    for (const e of registered) {
      const changed = diff(e as Row, endpointAfter, ['parent_code', 'name', 'mail'])
      if (changed)
        ctx.ops.push({
          op: 'endpoint.update',
          key: {axis: e.axis, agency_code: e.agency_code},
          unit: agencies.unitOf(a.id),
          ...changed,
        })
    }
  }
}
