import type {ChangeSet} from './changes.js'
import {textFile, type ExportFile} from './files.js'
import {csvChunks, makeTable, type Column, type Lang} from './table.js'

/**
 * Official mail for Zimbra Collaboration: a `zmprov` batch (`zmprov -f mail/zmprov.txt`) and a CSV of
 * the same actions. Accounts are created with their display names, old addresses become aliases of the
 * new ones, suspended mailboxes are locked; undoing a run unlocks, renames back and removes the aliases
 * it added, and locks (never deletes) the mailboxes it created.
 */

export const MAIL_ACTIONS = ['create', 'rename', 'alias', 'unalias', 'lock', 'unlock'] as const
export type MailAction = (typeof MAIL_ACTIONS)[number]

export interface MailRecord {
  action: MailAction
  address: string
  displayName: string | null
  /** For alias and unalias: the alias (an old address). */
  alias: string | null
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/** The mail records of a change set, in the order zmprov must run them (mailboxes before their aliases). */
export function mailRecords(set: ChangeSet): MailRecord[] {
  const out: MailRecord[] = []
  for (const c of set.changes) {
    const rev = set.reverse
    switch (c.kind) {
      case 'mailbox.create':
        out.push(
          rev
            ? {action: 'lock', address: c.key.address, displayName: null, alias: null}
            : {action: 'create', address: c.key.address, displayName: str(c.after.display_name), alias: null},
        )
        break
      case 'mailbox.update': {
        const name = str((rev ? c.before : c.after)?.display_name)
        if (name !== null)
          out.push({action: 'rename', address: c.key.address, displayName: name, alias: null})
        break
      }
      case 'alias.create':
        out.push({
          action: rev ? 'unalias' : 'alias',
          address: String(c.after.mailbox_address),
          displayName: null,
          alias: c.key.alias,
        })
        break
      case 'mailbox.suspend':
        out.push({action: rev ? 'unlock' : 'lock', address: c.key.address, displayName: null, alias: null})
        break
      default:
        break
    }
  }
  const order = (a: MailAction) => MAIL_ACTIONS.indexOf(a)
  return out.sort((a, b) => order(a.action) - order(b.action))
}

/**
 * A zmprov argument: double-quoted, with `\` and `"` escaped, so apostrophes, quotes, diacritics and
 * spaces arrive as they are. A batch line cannot carry a line break: control characters become spaces.
 */
export function zmprovQuote(value: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[\u0000-\u001f\u007f]/g, ' ')}"`
}

export function zmprovLine(r: MailRecord): string {
  switch (r.action) {
    case 'create':
      // No password in a file: the account must set one at first login (or authenticates externally).
      return `createAccount ${r.address} "" displayName ${zmprovQuote(r.displayName ?? '')} zimbraPasswordMustChange TRUE`
    case 'rename':
      return `modifyAccount ${r.address} displayName ${zmprovQuote(r.displayName ?? '')}`
    case 'alias':
      return `addAccountAlias ${r.address} ${r.alias ?? ''}`
    case 'unalias':
      return `removeAccountAlias ${r.address} ${r.alias ?? ''}`
    case 'lock':
      return `modifyAccount ${r.address} zimbraAccountStatus locked`
    case 'unlock':
      return `modifyAccount ${r.address} zimbraAccountStatus active`
  }
}

const COLUMNS: Column<MailRecord>[] = [
  {vi: 'Thao tác', en: 'Action', value: (r) => r.action},
  {vi: 'Địa chỉ', en: 'Address', value: (r) => r.address},
  {vi: 'Tên hiển thị', en: 'Display name', value: (r) => r.displayName},
  {vi: 'Bí danh', en: 'Alias', value: (r) => r.alias},
]

export function mailFiles(records: readonly MailRecord[], lang: Lang, header: string): ExportFile[] {
  const rows: Record<string, number> = {}
  for (const r of records) rows[r.action] = (rows[r.action] ?? 0) + 1
  const table = makeTable({slug: 'mail', vi: 'Thư điện tử', en: 'Mail'}, COLUMNS, records, lang)
  return [
    textFile('mail/zmprov.txt', 'mail', 'zmprov', rows, function* () {
      yield `# ${header}\n`
      for (const r of records) yield zmprovLine(r) + '\n'
    }),
    textFile('mail/mail.csv', 'mail', 'csv', rows, () => csvChunks(table)),
  ]
}
