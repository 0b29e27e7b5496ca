import type {Knex} from 'knex'
import {keyString, readRowsByKey, type Image, type ImageValue} from '../registry/export-reads.js'
import type {ContentTable} from '../registry/schema.js'
import {query} from '../registry/sql.js'
import type {Change, ChangeSet} from './changes.js'

/**
 * Rows as they are before and after the changes, and as the export shows them: `old` and `new` (for a
 * rolled-back run, old is what the run left and new what the rollback restored). The registry holds one
 * of the two states; the other is that state with the changes' images laid over it.
 */
export class RowStates {
  private readonly byTable = new Map<string, Map<string, Change>>()

  constructor(
    private readonly set: ChangeSet,
    private readonly base: Map<string, Map<string, Image>>,
  ) {
    for (const c of set.changes) {
      const table = this.byTable.get(c.table) ?? new Map<string, Change>()
      table.set(keyString(c.table, c.key), c)
      this.byTable.set(c.table, table)
    }
  }

  change(table: string, key: Record<string, ImageValue>): Change | undefined {
    return this.byTable.get(table)?.get(keyString(table, key))
  }

  private row(table: string, key: Record<string, ImageValue>): Image | undefined {
    return this.base.get(table)?.get(keyString(table, key))
  }

  /** The row before the changes (undefined when a change inserts it). */
  before(table: string, key: Record<string, ImageValue>): Image | undefined {
    const c = this.change(table, key)
    const row = this.row(table, key)
    if (!c || this.set.registryHolds === 'before') return row
    return c.before === null ? undefined : {...row, ...key, ...c.before}
  }

  /** The row after the changes. */
  after(table: string, key: Record<string, ImageValue>): Image | undefined {
    const c = this.change(table, key)
    const row = this.row(table, key)
    if (!c || (this.set.registryHolds === 'after' && row)) return row
    return {...(c.before === null ? {} : row), ...key, ...c.after}
  }

  old(table: string, key: Record<string, ImageValue>): Image | undefined {
    return this.set.reverse ? this.after(table, key) : this.before(table, key)
  }

  new(table: string, key: Record<string, ImageValue>): Image | undefined {
    return this.set.reverse ? this.before(table, key) : this.after(table, key)
  }
}

const text = (v: ImageValue | undefined): string | null => (v === null || v === undefined ? null : String(v))

/**
 * Read every registry row the export shows, in one statement per table: the changed accounts, mailboxes
 * and endpoints, the accounts named as successors, then the agencies of all those accounts (before and
 * after), then their units.
 */
export async function readStates(
  db: Knex,
  set: ChangeSet,
  /** Accounts the changes leave alone but whose agency or unit they change (see `readFollowers`). */
  followers: readonly Record<string, string>[] = [],
): Promise<RowStates> {
  const base = new Map<string, Map<string, Image>>()
  const keysOf = (table: string) => set.changes.filter((c) => c.table === table).map((c) => c.key)
  const load = async (table: ContentTable, keys: Record<string, ImageValue>[]) => {
    const unique = new Map(keys.map((k) => [keyString(table, k), k]))
    const rows = await readRowsByKey(db, table, [...unique.values()])
    base.set(table, new Map([...(base.get(table) ?? []), ...rows]))
  }
  const successors = set.changes
    .filter((c) => c.kind === 'account.disable')
    .flatMap((c) =>
      c.after.successor_username ? [{...c.key, username: String(c.after.successor_username)}] : [],
    )
  await load('accounts', [...keysOf('accounts'), ...successors, ...followers])
  await load('endpoints', keysOf('endpoints'))
  let states = new RowStates(set, base)

  const agencyIds = new Set<string>(keysOf('agencies').map((k) => k.id))
  for (const key of [...keysOf('accounts'), ...successors, ...followers])
    for (const row of [states.before('accounts', key), states.after('accounts', key)]) {
      const id = text(row?.agency_id)
      if (id) agencyIds.add(id)
    }
  await load(
    'agencies',
    [...agencyIds].map((id) => ({id})),
  )
  states = new RowStates(set, base)

  const unitCodes = new Set<string>([
    ...keysOf('units').map((k) => k.code),
    ...(set.province ? [set.province.code] : []),
  ])
  for (const id of agencyIds)
    for (const row of [states.before('agencies', {id}), states.after('agencies', {id})]) {
      const code = text(row?.unit_code)
      if (code) unitCodes.add(code)
    }
  await load(
    'units',
    [...unitCodes].map((code) => ({code})),
  )
  return new RowStates(set, base)
}

/**
 * The single-sign-on accounts the changes do not touch but whose directory entry they change all the
 * same: accounts of an agency the changes rename, recode or move to another unit, and of a unit they
 * rename. One statement; keys of changed accounts left out.
 */
export async function readFollowers(
  db: Knex,
  set: ChangeSet,
): Promise<Array<{system: string; username: string}>> {
  const agencies = set.changes.filter((c) => c.table === 'agencies' && c.before !== null).map((c) => c.key.id)
  const units = set.changes.filter((c) => c.table === 'units' && c.before !== null).map((c) => c.key.code)
  if (agencies.length === 0 && units.length === 0) return []
  const changed = new Set(set.changes.filter((c) => c.table === 'accounts').map((c) => c.key.username))
  const rows = await query<{system: string; username: string}>(
    db,
    `select a.system, a.username from accounts a join agencies g on g.id = a.agency_id
     where a.system = 'sso' and (a.agency_id = any(?::text[]) or g.unit_code = any(?::text[]))
     order by a.username`,
    [agencies, units],
  )
  return rows.filter((r) => !changed.has(r.username))
}
