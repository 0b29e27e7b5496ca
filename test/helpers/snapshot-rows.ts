import type {AccountRec, AgencyRec, MailboxRec, UnitRec} from '../../src/registry/snapshot.js'
import type {System} from '../../src/registry/vocabulary.js'

/** Active registry rows for the planner's unit tests, written the short way. */
export const unit = (
  code: string,
  name: string,
  type: string,
  level: 1 | 2 | 3,
  parent: string | null,
): UnitRec => ({code, name, type, level, parent_code: parent, status: 'active'})

/** An agency `<unit>.<kind>`. */
export const agency = (id: string, name: string, code: string | null, parent: string | null): AgencyRec => ({
  id,
  unit_code: id.split('.')[0],
  kind: id.split('.')[1],
  name,
  identifier_code: code,
  parent_id: parent,
  status: 'active',
  successor_id: null,
})

export const account = (system: System, username: string, agencyId: string, role: string): AccountRec => ({
  system,
  username,
  holder: `Người ${username}`,
  agency_id: agencyId,
  role,
  status: 'active',
  reason: null,
  successor_username: null,
})

/** An agency's official mailbox, named after the agency. */
export const official = (address: string, agencyId: string, displayName = agencyId): MailboxRec => ({
  address,
  display_name: displayName,
  kind: 'official',
  owner_agency_id: agencyId,
  owner_system: null,
  owner_username: null,
  status: 'active',
})

/** Identifier codes recorded as issued. */
export const issued = (codes: string[]) =>
  codes.map((code) => ({code, agency_id: '-', status: 'issued' as const, issued_on: null, stopped_on: null}))
