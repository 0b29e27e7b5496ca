import {accountDn, accountRdn, mailboxDn, schemaOf, unitDn, type DirectoryOptions} from './layout.js'
import type {LdifRecord, Modification} from './ldif.js'
import {
  attributesOf,
  PLACEMENT_FIELDS,
  type AccountField,
  type MailboxField,
  type MailboxSchema,
  type UnitField,
} from './schema.js'

/** An account as the directory holds it: its holder, role, and the unit and agency it belongs to. */
export interface DirectoryAccount {
  username: string
  holder: string
  role: string
  unit: {code: string; name: string | null}
  agency: {id: string; name: string | null; identifierCode: string | null}
  disabled: boolean
}

export interface DirectoryUnit {
  code: string
  name: string
}

/** What changes for one account; `before` absent for a create, `after` absent for nothing else. */
export type DirectoryChange =
  | {action: 'create'; after: DirectoryAccount}
  | {action: 'move'; before: DirectoryAccount; after: DirectoryAccount}
  | {action: 'disable'; before: DirectoryAccount}
  | {action: 'enable'; after: DirectoryAccount}

/** An official or personal mailbox as the directory holds it. */
export interface DirectoryMailbox {
  address: string
  displayName: string | null
  kind: string | null
  agencyId: string | null
  /** Old addresses kept as aliases of this one. */
  aliases: string[]
  disabled: boolean
}

type Attributes = Array<[string, string[]]>

const oneOf = (v: string | null | undefined): string[] => (v ? [v] : [])

/**
 * An entry's attributes: the same attribute named twice (the RDN's and a mapped one, say) holds the
 * values of both, once each; attributes without a value are left out.
 */
function merged(attributes: Attributes): Attributes {
  const out: Attributes = []
  const at = new Map<string, string[]>()
  for (const [name, values] of attributes) {
    const have = at.get(name.toLowerCase())
    if (!have) {
      const mine = [...new Set(values)]
      at.set(name.toLowerCase(), mine)
      out.push([name, mine])
    } else for (const v of values) if (!have.includes(v)) have.push(v)
  }
  return out.filter(([, v]) => v.length > 0)
}

/** Each mapped attribute with the values of the field it holds. */
const mapped = <F extends string>(attributes: Record<string, F>, value: (f: F) => string[]): Attributes =>
  Object.entries(attributes).map(([name, field]) => [name, value(field)])

const unitValue = (u: DirectoryUnit, f: UnitField): string[] => [f === 'code' ? u.code : u.name]

export function unitEntry(o: DirectoryOptions, u: DirectoryUnit): LdifRecord {
  const s = schemaOf(o).units
  return {
    change: 'add',
    dn: unitDn(o, u.code),
    attributes: merged([
      ['objectClass', s.objectClasses],
      [s.rdn, [u.code]],
      ...mapped(s.attributes, (f) => unitValue(u, f)),
    ]),
  }
}

/** A unit renamed: the attributes that hold its name replaced. */
export function unitRenameRecord(o: DirectoryOptions, code: string, name: string): LdifRecord {
  const s = schemaOf(o).units
  return {
    change: 'modify',
    dn: unitDn(o, code),
    modifications: attributesOf(s, ['name']).map((attribute) => ({
      op: 'replace',
      attribute,
      values: [name],
    })),
  }
}

/** Vietnamese names put the family name first (`Nguyễn Văn An` → `Nguyễn`); inetOrgPerson requires sn. */
const familyName = (holder: string): string => holder.trim().split(/\s+/)[0] || holder

function accountValue(a: DirectoryAccount, f: AccountField): string[] {
  switch (f) {
    case 'username':
      return [a.username]
    case 'holder':
      return [a.holder || a.username]
    case 'familyName':
      return [familyName(a.holder) || a.username]
    case 'role':
      return [a.role]
    case 'unitCode':
      return oneOf(a.unit.code)
    case 'unitName':
      return oneOf(a.unit.name)
    case 'agencyId':
      return [a.agency.id]
    case 'agencyName':
      return oneOf(a.agency.name)
    case 'identifierCode':
      return oneOf(a.agency.identifierCode)
  }
}

/** The attributes that follow the account's unit and agency (replaced when it moves). */
function placementAttributes(o: DirectoryOptions, a: DirectoryAccount): Attributes {
  const s = schemaOf(o).accounts
  return attributesOf(s, PLACEMENT_FIELDS).map((name) => [name, accountValue(a, s.attributes[name])])
}

export function accountEntry(o: DirectoryOptions, a: DirectoryAccount): LdifRecord {
  const s = schemaOf(o).accounts
  return {
    change: 'add',
    dn: accountDn(o, a.username, a.unit.code),
    attributes: merged([
      ['objectClass', s.objectClasses],
      [s.rdn, [a.username]],
      ...mapped(s.attributes, (f) => accountValue(a, f)),
      ...(a.disabled ? [[o.disable.attribute, [o.disable.value]] as [string, string[]]] : []),
    ]),
  }
}

/**
 * The LDIF records that carry one account change: an add; a move as modrdn to the new unit's ou (when
 * the unit changes) and a modify of the placement attributes; a disable or enable as a modify of the
 * disable attribute (`replace` with no value removes it whether or not it is there).
 */
export function accountChangeRecords(o: DirectoryOptions, c: DirectoryChange): LdifRecord[] {
  switch (c.action) {
    case 'create':
      return [accountEntry(o, c.after)]
    case 'move': {
      const out: LdifRecord[] = []
      const from = accountDn(o, c.before.username, c.before.unit.code)
      if (c.before.unit.code !== c.after.unit.code)
        out.push({
          change: 'modrdn',
          dn: from,
          newRdn: accountRdn(o, c.after.username),
          deleteOldRdn: true,
          newSuperior: unitDn(o, c.after.unit.code),
        })
      const modifications: Modification[] = placementAttributes(o, c.after).map(([attribute, values]) => ({
        op: 'replace',
        attribute,
        values,
      }))
      out.push({change: 'modify', dn: accountDn(o, c.after.username, c.after.unit.code), modifications})
      return out
    }
    case 'disable':
      return [
        {
          change: 'modify',
          dn: accountDn(o, c.before.username, c.before.unit.code),
          modifications: [{op: 'replace', attribute: o.disable.attribute, values: [o.disable.value]}],
        },
      ]
    case 'enable':
      return [
        {
          change: 'modify',
          dn: accountDn(o, c.after.username, c.after.unit.code),
          modifications: [{op: 'replace', attribute: o.disable.attribute, values: []}],
        },
      ]
  }
}

function mailboxValue(m: DirectoryMailbox, f: MailboxField): string[] {
  switch (f) {
    case 'address':
      return [m.address]
    case 'displayName':
      return oneOf(m.displayName)
    case 'kind':
      return oneOf(m.kind)
    case 'agencyId':
      return oneOf(m.agencyId)
  }
}

const mailboxSchema = (o: DirectoryOptions): MailboxSchema => {
  const s = schemaOf(o).mailboxes
  if (!s) throw new Error('the directory schema writes no mailboxes')
  return s
}

/** A mailbox's entry: its address in the RDN, its aliases (when the schema writes them), the disable marker when suspended. */
export function mailboxEntry(o: DirectoryOptions, m: DirectoryMailbox): LdifRecord {
  const s = mailboxSchema(o)
  return {
    change: 'add',
    dn: mailboxDn(o, m.address),
    attributes: merged([
      ['objectClass', s.objectClasses],
      [s.rdn, [m.address]],
      ...mapped(s.attributes, (f) => mailboxValue(m, f)),
      ...(s.aliases ? [[s.aliases, m.aliases] as [string, string[]]] : []),
      ...(m.disabled ? [[o.disable.attribute, [o.disable.value]] as [string, string[]]] : []),
    ]),
  }
}

/** What a run does to one mailbox, in the direction the records go. */
export type MailboxChange =
  | {action: 'create'; mailbox: DirectoryMailbox}
  | {action: 'rename'; address: string; displayName: string}
  | {action: 'lock' | 'unlock'; address: string}
  | {action: 'alias' | 'unalias'; address: string; alias: string}

/**
 * The LDIF record of one mailbox change: an add; a rename as a replace of the attributes that hold the
 * display name; a lock or unlock as the disable marker set or removed (as for accounts); an alias added
 * to or deleted from the alias attribute (none when the schema writes no aliases).
 */
export function mailboxChangeRecords(o: DirectoryOptions, c: MailboxChange): LdifRecord[] {
  const s = mailboxSchema(o)
  switch (c.action) {
    case 'create':
      return [mailboxEntry(o, c.mailbox)]
    case 'rename': {
      const names = attributesOf(s, ['displayName'])
      if (names.length === 0) return []
      return [
        {
          change: 'modify',
          dn: mailboxDn(o, c.address),
          modifications: names.map((attribute) => ({op: 'replace', attribute, values: [c.displayName]})),
        },
      ]
    }
    case 'lock':
    case 'unlock':
      return [
        {
          change: 'modify',
          dn: mailboxDn(o, c.address),
          modifications: [
            {
              op: 'replace',
              attribute: o.disable.attribute,
              values: c.action === 'lock' ? [o.disable.value] : [],
            },
          ],
        },
      ]
    case 'alias':
    case 'unalias':
      if (!s.aliases) return []
      return [
        {
          change: 'modify',
          dn: mailboxDn(o, c.address),
          modifications: [
            {op: c.action === 'alias' ? 'add' : 'delete', attribute: s.aliases, values: [c.alias]},
          ],
        },
      ]
  }
}
