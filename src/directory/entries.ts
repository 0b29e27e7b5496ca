import {accountDn, accountRdn, unitDn, type DirectoryOptions} from './layout.js'
import type {LdifRecord, Modification} from './ldif.js'

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

export const unitEntry = (o: DirectoryOptions, u: DirectoryUnit): LdifRecord => ({
  change: 'add',
  dn: unitDn(o, u.code),
  attributes: [
    ['objectClass', ['top', 'organizationalUnit']],
    ['ou', [u.code]],
    ['description', [u.name]],
  ],
})

/** Vietnamese names put the family name first (`Nguyễn Văn An` → `Nguyễn`); inetOrgPerson requires sn. */
const familyName = (holder: string): string => holder.trim().split(/\s+/)[0] || holder

/** The attributes that follow the account's unit and agency (replaced when it moves). */
function placementAttributes(a: DirectoryAccount): Array<[string, string[]]> {
  return [
    ['ou', a.unit.name ? [a.unit.name] : []],
    ['o', a.agency.name ? [a.agency.name] : []],
    ['departmentNumber', a.agency.identifierCode ? [a.agency.identifierCode] : []],
    ['businessCategory', [a.agency.id]],
  ]
}

export function accountEntry(o: DirectoryOptions, a: DirectoryAccount): LdifRecord {
  const attributes: Array<[string, string[]]> = [
    ['objectClass', ['top', 'person', 'organizationalPerson', 'inetOrgPerson']],
    ['uid', [a.username]],
    ['cn', [a.holder || a.username]],
    ['sn', [familyName(a.holder) || a.username]],
    ['displayName', [a.holder || a.username]],
    ['title', [a.role]],
    ...placementAttributes(a),
    ...(a.disabled ? [[o.disable.attribute, [o.disable.value]] as [string, string[]]] : []),
  ]
  return {
    change: 'add',
    dn: accountDn(o, a.username, a.unit.code),
    attributes: attributes.filter(([, v]) => v.length > 0),
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
          newRdn: accountRdn(c.after.username),
          deleteOldRdn: true,
          newSuperior: unitDn(o, c.after.unit.code),
        })
      const modifications: Modification[] = placementAttributes(c.after).map(([attribute, values]) => ({
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
