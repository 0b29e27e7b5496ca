import {
  accountChangeRecords,
  accountDn,
  ldifChunks,
  mailboxChangeRecords,
  scimBulkChunks,
  schemaOf,
  unitDn,
  unitEntry,
  unitRenameRecord,
  type DirectoryAccount,
  type DirectoryChange,
  type DirectoryOptions,
  type LdifRecord,
  type MailboxChange,
} from '../directory/index.js'
import type {AccountRecord, Placement} from './accounts.js'
import type {ChangeSet} from './changes.js'
import {textFile, type ExportFile} from './files.js'

/** Account records as directory changes: the account where it was and where it goes. */
export function directoryChanges(records: readonly AccountRecord[]): DirectoryChange[] {
  const account = (r: AccountRecord, p: Placement | null, disabled: boolean): DirectoryAccount => ({
    username: r.username,
    holder: r.holder,
    role: r.role,
    unit: p?.unit ?? {code: '', name: null},
    agency: p?.agency ?? {id: '', name: null, identifierCode: null},
    disabled,
  })
  return records.map((r): DirectoryChange => {
    switch (r.action) {
      case 'create':
        return {action: 'create', after: account(r, r.new, false)}
      case 'move':
        return {action: 'move', before: account(r, r.old, false), after: account(r, r.new, false)}
      case 'disable':
        return {action: 'disable', before: account(r, r.old, false)}
      case 'enable':
        return {action: 'enable', after: account(r, r.new, true)}
    }
  })
}

/**
 * Organizational units the changes create or rename. Created units come before the accounts that move
 * into them; undoing a run, the units it created are deleted after their accounts have moved back.
 */
function unitRecords(set: ChangeSet, o: DirectoryOptions): {first: LdifRecord[]; last: LdifRecord[]} {
  const first: LdifRecord[] = []
  const last: LdifRecord[] = []
  for (const c of set.changes) {
    if (c.kind === 'unit.create') {
      if (set.reverse) last.push({change: 'delete', dn: unitDn(o, c.key.code)})
      else first.push(unitEntry(o, {code: c.key.code, name: String(c.after.name)}))
    } else if (c.kind === 'unit.update' || c.kind === 'unit.retire') {
      const name = (set.reverse ? c.before : c.after)?.name
      const rename =
        name === undefined || name === null ? undefined : unitRenameRecord(o, c.key.code, String(name))
      // A schema that writes no unit name has nothing to rename.
      if (rename?.change === 'modify' && rename.modifications.length > 0) first.push(rename)
    }
  }
  return {first, last}
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/**
 * The mailbox changes of a change set, per mailbox (the same changes `mail/zmprov.txt` carries): created,
 * renamed with its body, locked when suspended, old addresses added as aliases; undoing a run, the
 * mailboxes it created are locked (never deleted), renames go back, suspended ones are unlocked and the
 * aliases it added are removed. A mailbox's changes go in this order, in one step.
 */
export function mailboxChanges(set: ChangeSet): Map<string, MailboxChange[]> {
  const out = new Map<string, MailboxChange[]>()
  const push = (address: string, c: MailboxChange) => {
    const list = out.get(address)
    if (list) list.push(c)
    else out.set(address, [c])
  }
  const rev = set.reverse
  for (const c of set.changes) {
    switch (c.kind) {
      case 'mailbox.create': {
        const address = c.key.address
        if (rev) push(address, {action: 'lock', address})
        else
          push(address, {
            action: 'create',
            mailbox: {
              address,
              displayName: str(c.after.display_name),
              kind: str(c.after.kind),
              agencyId: str(c.after.owner_agency_id),
              aliases: [],
              disabled: c.after.status === 'suspended',
            },
          })
        break
      }
      case 'mailbox.update': {
        const name = str((rev ? c.before : c.after)?.display_name)
        if (name !== null) push(c.key.address, {action: 'rename', address: c.key.address, displayName: name})
        break
      }
      case 'mailbox.suspend':
        push(c.key.address, {action: rev ? 'unlock' : 'lock', address: c.key.address})
        break
      case 'alias.create': {
        const address = String(c.after.mailbox_address)
        push(address, {action: rev ? 'unalias' : 'alias', address, alias: c.key.alias})
        break
      }
      default:
        break
    }
  }
  const order = {create: 0, rename: 1, lock: 2, unlock: 2, alias: 3, unalias: 3} as const
  for (const list of out.values()) list.sort((a, b) => order[a.action] - order[b.action])
  return out
}

/** One step per mailbox, in address order (none when the schema writes no mailboxes). */
function mailboxSteps(set: ChangeSet, o: DirectoryOptions): LdifRecord[][] {
  if (!schemaOf(o).mailboxes) return []
  return [...mailboxChanges(set)]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, changes]) => changes.flatMap((c) => mailboxChangeRecords(o, c)))
    .filter((records) => records.length > 0)
}

const ORDER = {create: 0, move: 1, enable: 2, disable: 3} as const

/**
 * The directory change records of a change set, as steps: each step's records go in order (an account's
 * modrdn before its modify), the steps of one phase are independent of each other, and the phases go in
 * order — units created or renamed, then the accounts and the mailboxes (a mailbox's records in one
 * step), then the units an undo deletes. The export writes them out as one LDIF file; `sync ldap` sends
 * them, a phase's steps concurrently.
 */
export function directorySteps(
  set: ChangeSet,
  records: readonly AccountRecord[],
  o: DirectoryOptions,
  followers: readonly AccountRecord[] = [],
): {phases: LdifRecord[][][]; changes: DirectoryChange[]; followers: DirectoryChange[]} {
  const changes = directoryChanges(records.filter((r) => r.system === 'sso')).sort(
    (a, b) => ORDER[a.action] - ORDER[b.action],
  )
  const follow = directoryChanges(followers)
  const units = unitRecords(set, o)
  // Undoing a run, the accounts it created are disabled — except in a unit it created: that unit is
  // deleted, and a directory deletes no unit that still holds entries, so they are deleted first.
  const goesWithUnit = new Set(set.reverse ? units.last.map((r) => r.dn.toLowerCase()) : [])
  const changeRecords = (c: DirectoryChange): LdifRecord[] =>
    c.action === 'disable' && goesWithUnit.has(unitDn(o, c.before.unit.code).toLowerCase())
      ? [{change: 'delete', dn: accountDn(o, c.before.username, c.before.unit.code)}]
      : accountChangeRecords(o, c)
  return {
    phases: [
      units.first.map((r) => [r]),
      [...[...changes, ...follow].map(changeRecords), ...mailboxSteps(set, o)],
      units.last.map((r) => [r]),
    ],
    changes,
    followers: follow,
  }
}

/**
 * `directory/sso.ldif` (RFC 2849 change records) and `directory/sso-scim.json` (SCIM 2.0 bulk request):
 * the same accounts in both, those that follow their agency included (a SCIM `PATCH` of their
 * organization and department).
 */
export function directoryFiles(
  set: ChangeSet,
  records: readonly AccountRecord[],
  o: DirectoryOptions,
  header: string,
  followers: readonly AccountRecord[] = [],
): ExportFile[] {
  const {phases, changes, followers: follow} = directorySteps(set, records, o, followers)
  const ldif = phases.flat(2)
  const rows: Record<string, number> = {units: phases[0].length + phases[2].length}
  for (const c of changes) rows[c.action] = (rows[c.action] ?? 0) + 1
  // Accounts whose agency or unit changed under them: their entries follow (not counted as account moves),
  // in the LDIF and the SCIM request alike.
  if (follow.length > 0) rows.follow = follow.length
  const mailboxes = phases[1].length - changes.length - follow.length
  // The SCIM request carries the accounts only.
  const accountRows = Object.fromEntries(Object.entries(rows).filter(([k]) => k !== 'units'))
  if (mailboxes > 0) rows.mailboxes = mailboxes
  return [
    textFile('directory/sso.ldif', 'sso', 'ldif', rows, () => ldifChunks(ldif, [header, `base ${o.baseDn}`])),
    textFile('directory/sso-scim.json', 'sso', 'scim', accountRows, () =>
      scimBulkChunks([...changes, ...follow]),
    ),
  ]
}
