import type {Knex} from 'knex'
import {ExitCode, SapxepError} from '../errors.js'
import {snapshotScope} from '../plan/scope.js'
import {readFingerprint} from '../registry/fingerprint.js'
import type {SignedPlan} from '../plan/types.js'

export interface StaleReport {
  tables: string[]
  /** `table/unit` groups whose rows differ from what the plan read. */
  groups: string[]
}

/** A fingerprint group in words; `-` is the unit of rows that hang on none of the mapping's units. */
export function describeGroup(table: string, unit: string, change: 'added' | 'removed' | 'changed'): string {
  if (unit !== '-') return `${table} of unit ${unit}: rows ${change}`
  if (table === 'taken')
    return change === 'added'
      ? 'usernames or addresses the plan chose as free are taken now'
      : 'usernames or addresses the plan found taken have changed'
  if (table === 'identifier_codes') return `identifier codes held by no agency of the mapping: rows ${change}`
  return `${table} outside the mapping's units: rows ${change}`
}

/**
 * Fingerprint again exactly the rows the plan read (its mappings' units and what hangs on them, and the
 * names and personal mailboxes it looked up) and compare. Any difference, even in a row the plan does not
 * change, makes the plan stale: its choices (successors, free codes and addresses, conflict winners) may no
 * longer hold.
 */
export async function checkFresh(
  db: Knex,
  plan: Pick<SignedPlan, 'mappings' | 'reads' | 'fingerprint'>,
): Promise<void> {
  const now = await readFingerprint(
    db,
    plan.mappings.map((m) => snapshotScope(m.resolved)),
    plan.reads,
  )
  const tables = Object.keys({...plan.fingerprint.tables, ...now.tables})
    .filter((t) => plan.fingerprint.tables[t] !== now.tables[t])
    .sort()
  if (tables.length === 0) return
  const groups = Object.keys({...plan.fingerprint.groups, ...now.groups})
    .filter((g) => plan.fingerprint.groups[g] !== now.groups[g])
    .sort()
  const shown = groups.slice(0, 20).map((g) => {
    const [table, unit] = g.split('/')
    const change = !(g in plan.fingerprint.groups) ? 'added' : !(g in now.groups) ? 'removed' : 'changed'
    return describeGroup(table, unit, change)
  })
  throw new SapxepError(
    `the plan is stale: the registry changed since it was made, in ${tables.join(', ')}:\n  ${shown.join('\n  ')}` +
      (groups.length > shown.length ? `\n  … and ${groups.length - shown.length} more` : '') +
      '\nMake a new plan from the current registry and review it again.',
    {exitCode: ExitCode.stale, code: 'stale', details: {tables, groups} satisfies StaleReport},
  )
}
