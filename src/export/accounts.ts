import {byCodePoint} from '../collections.js'
import type {Image, ImageValue} from '../registry/export-reads.js'
import type {ChangeSet} from './changes.js'
import type {RowStates} from './states.js'

/**
 * Account changes as a system's administrator needs them: one record per account and action, with the
 * unit and agency it leaves and the one it joins, by code, id, name and identifier code.
 */

/** `enable` only appears when a rolled-back run is exported (the reverse of a disable). */
export const ACCOUNT_ACTIONS = ['create', 'move', 'disable', 'enable'] as const
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number]

export interface Placement {
  unit: {code: string; name: string | null}
  agency: {id: string; name: string | null; identifierCode: string | null}
}

export interface AccountRecord {
  system: string
  action: AccountAction
  username: string
  holder: string
  role: string
  old: Placement | null
  new: Placement | null
  successor: string | null
  reason: string | null
}

const str = (v: ImageValue | undefined): string | null => (v === null || v === undefined ? null : String(v))

/** Where an account row sits: its agency and the agency's unit, in the state the reader gives. */
export function placement(
  row: Image | undefined,
  read: (table: string, key: Record<string, string>) => Image | undefined,
) {
  const id = str(row?.agency_id)
  if (!id) return null
  const agency = read('agencies', {id})
  const code = str(agency?.unit_code)
  const unit = code ? read('units', {code}) : undefined
  return {
    unit: {code: code ?? '', name: str(unit?.name)},
    agency: {id, name: str(agency?.name), identifierCode: str(agency?.identifier_code)},
  }
}

/**
 * `placement` in one state, remembered per agency id: the accounts of an agency share one placement
 * (a national run moves hundreds of thousands of accounts between a few thousand agencies).
 */
function placements(read: (table: string, key: Record<string, string>) => Image | undefined) {
  const seen = new Map<string, Placement>()
  return (row: Image | undefined): Placement | null => {
    const id = str(row?.agency_id)
    if (!id) return null
    let p = seen.get(id)
    if (!p) seen.set(id, (p = placement(row, read)!))
    return p
  }
}

/** The account records of a change set, sorted by system, action, username. */
export function accountRecords(set: ChangeSet, states: RowStates): AccountRecord[] {
  const placedBefore = placements((t, k) => states.before(t, k))
  const placedAfter = placements((t, k) => states.after(t, k))
  const reason = set.source.kind === 'run' && set.reverse ? `rollback of run ${set.source.run}` : null
  // A recreated account's predecessor: the account disabled in its favour.
  const predecessor = new Map<string, Record<string, string>>()
  for (const c of set.changes)
    if (c.kind === 'account.disable' && c.after.successor_username)
      predecessor.set(`${c.key.system}/${String(c.after.successor_username)}`, c.key)

  const out: AccountRecord[] = []
  for (const c of set.changes) {
    if (c.kind !== 'account.create' && c.kind !== 'account.reassign' && c.kind !== 'account.disable') continue
    const was = states.before('accounts', c.key)
    const is = states.after('accounts', c.key)
    const row = is ?? was
    const base = {
      system: c.key.system,
      username: c.key.username,
      holder: str(row?.holder) ?? '',
      role: str(row?.role) ?? '',
    }
    const successorKey = c.after.successor_username
      ? {system: c.key.system, username: String(c.after.successor_username)}
      : undefined
    const pred = predecessor.get(`${c.key.system}/${c.key.username}`)
    // Only the kind at hand is built: placements are the bulk of the work on 17,000 accounts.
    const forward = {
      'account.create': () => ({
        action: 'create' as const,
        old: pred ? placedBefore(states.before('accounts', pred)) : null,
        new: placedAfter(is),
        successor: null,
        reason: str(is?.reason),
      }),
      'account.reassign': () => ({
        action: 'move' as const,
        old: placedBefore(was),
        new: placedAfter(is),
        successor: null,
        reason: str(is?.reason),
      }),
      'account.disable': () => ({
        action: 'disable' as const,
        old: placedBefore(was),
        new: successorKey ? placedAfter(states.after('accounts', successorKey)) : null,
        successor: successorKey?.username ?? null,
        reason: str(c.after.reason),
      }),
    }
    const f = forward[c.kind]()
    if (!set.reverse) {
      out.push({...base, ...f})
      continue
    }
    // Undoing: a created account is disabled (never deleted), a move goes back, a disabled one is enabled.
    const undo: Record<typeof f.action, Pick<AccountRecord, 'action' | 'old' | 'new'>> = {
      create: {action: 'disable', old: f.new, new: null},
      move: {action: 'move', old: f.new, new: f.old},
      disable: {action: 'enable', old: null, new: f.old},
    }
    out.push({...base, ...undo[f.action], successor: null, reason})
  }
  return out.sort(
    (a, b) =>
      byCodePoint(a.system, b.system) ||
      byCodePoint(a.action, b.action) ||
      byCodePoint(a.username, b.username),
  )
}

const samePlacement = (a: Placement | null, b: Placement | null): boolean =>
  JSON.stringify(a) === JSON.stringify(b)

/**
 * Records for accounts the changes leave alone whose agency or unit they change (`readFollowers`): a
 * `move` from where the account sat to where it sits now, so that the directory entry's unit and agency
 * attributes (and its place, when the agency changed unit) follow. Accounts whose placement reads the
 * same are left out.
 */
export function followerRecords(
  states: RowStates,
  followers: readonly {system: string; username: string}[],
): AccountRecord[] {
  const placedOld = placements((t, k) => states.old(t, k))
  const placedNew = placements((t, k) => states.new(t, k))
  const out: AccountRecord[] = []
  for (const key of followers) {
    const row = states.old('accounts', key) ?? states.new('accounts', key)
    const from = placedOld(row)
    const to = placedNew(row)
    if (!from || !to || samePlacement(from, to)) continue
    out.push({
      system: key.system,
      action: 'move',
      username: key.username,
      holder: str(row?.holder) ?? '',
      role: str(row?.role) ?? '',
      old: from,
      new: to,
      successor: null,
      reason: null,
    })
  }
  return out
}
