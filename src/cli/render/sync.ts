import type {ChalkInstance} from 'chalk'
import type {LdapCheckResult} from '../../sync/check.js'
import type {SyncResult} from '../../sync/ldap.js'

const n = (x: number): string => x.toLocaleString('en-US')

/** `sapxep sync ldap`: what was sent, skipped and found already done. */
export function renderSync(r: SyncResult, chalk: ChalkInstance): string {
  const what = r.direction === 'revert' ? `Undoing run ${r.run}` : `Run ${r.run}`
  if (r.steps === r.skipped)
    return `${chalk.green('✓')} ${what} → ${r.baseDn}: all ${n(r.steps)} step(s) were already synced; nothing to do`
  return [
    `${chalk.green('✓')} ${what} → ${r.baseDn}: ${n(r.applied)} step(s) applied (${n(r.operations)} LDAP operations) in ${(r.ms / 1000).toFixed(1)} s`,
    ...(r.skipped > 0 ? [`  ${n(r.skipped)} step(s) skipped: synced earlier`] : []),
    ...(r.alreadyInPlace > 0
      ? [`  ${n(r.alreadyInPlace)} step(s) were already in place in the directory (an interrupted sync)`]
      : []),
    `  compare with: sapxep sync ldap ${r.run} --check …`,
  ].join('\n')
}

/** `sapxep sync ldap --check`: ✓, or the differences by kind (at most 50 of each listed). */
export function renderLdapCheck(r: LdapCheckResult, chalk: ChalkInstance): string {
  const scope = r.run === null ? `the registry's single-sign-on accounts` : `run ${r.run}`
  if (r.ok) return `${chalk.green('✓')} ${r.baseDn} matches ${scope}: ${n(r.expected)} entries compared`
  const list = (title: string, items: string[]) =>
    items.length === 0
      ? []
      : [
          `  ${title} (${n(items.length)}):`,
          ...items.slice(0, 50).map((i) => `    ${i}`),
          ...(items.length > 50 ? [`    … and ${n(items.length - 50)} more (--json lists all)`] : []),
        ]
  const show = (v: string[]) => (v.length === 0 ? '(none)' : v.map((x) => JSON.stringify(x)).join(', '))
  return [
    `${chalk.red('✗')} ${r.baseDn} differs from ${scope}: ${n(r.missing.length)} missing, ${n(r.extra.length)} extra, ${n(r.drift.length)} attribute difference(s)`,
    ...list('missing from the directory', r.missing),
    ...list('in the directory but not in the registry', r.extra),
    ...list(
      'attribute drift',
      r.drift.map((d) => `${d.dn} ${d.attribute}: registry ${show(d.expected)}, directory ${show(d.found)}`),
    ),
  ].join('\n')
}
