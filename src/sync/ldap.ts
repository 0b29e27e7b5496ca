import type {Knex} from 'knex'
import {
  AlreadyExistsError,
  Attribute,
  Change,
  NoSuchAttributeError,
  NoSuchObjectError,
  NotAllowedOnNonLeafError,
  ResultCodeError,
  TypeOrValueExistsError,
  type Client,
} from 'ldapts'
import {ldifText, type DirectoryOptions, type LdifRecord, type Modification} from '../directory/index.js'
import {SapxepError} from '../errors.js'
import {accountRecords, followerRecords} from '../export/accounts.js'
import {directorySteps, mailboxChanges} from '../export/directory-files.js'
import {changeSet, directoryOptions} from '../export/export.js'
import {readFollowers, readStates} from '../export/states.js'
import {readTransaction, type Registry} from '../registry/db.js'
import {recordSteps, syncedSteps, type SyncDirection, type SyncKey} from '../registry/directory-sync.js'
import {getRun} from '../registry/runs.js'
import {withSessionWriteLock} from '../registry/write.js'
import {connectDirectory, directoryIdentity, type DirectoryConnection} from './connection.js'

/**
 * `sync ldap`: a run's directory changes — the same records the export writes to `directory/sso.ldif`
 * — sent to a live directory. Each step (a unit's add or modify, an account's modrdn and modify) is
 * recorded in the registry once the directory has taken it, so an interrupted sync continues where it
 * stopped; a step found already done in the directory (the process died between the directory's answer
 * and the record) counts as done, so nothing is applied twice.
 */

const DIRECTORY_TABLES = ['units', 'agencies', 'accounts', 'mailboxes', 'mailbox_aliases'] as const

export interface SyncStep {
  seq: number
  /** 0: units created or renamed, 1: accounts, 2: units an undo deletes. A phase waits for the one before. */
  phase: number
  /** The DN the step leaves in place (for the record and messages). */
  dn: string
  records: LdifRecord[]
}

export interface SyncTarget {
  run: number
  direction: SyncDirection
  baseDn?: string
  disable?: DirectoryOptions['disable']
  schema?: DirectoryOptions['schema']
}

export interface SyncPlan {
  run: number
  direction: SyncDirection
  options: DirectoryOptions
  header: string
  steps: SyncStep[]
  /** Usernames, unit codes and mailbox addresses the run's changes touch (what a run's `--check` compares). */
  usernames: string[]
  unitCodes: string[]
  addresses: string[]
}

/** The run's directory change list, in the direction asked; refuses a direction the run's status rules out. */
export function syncPlan(db: Knex, target: SyncTarget): Promise<SyncPlan> {
  return readTransaction(db, (trx) => readSyncPlan(trx, target))
}

/**
 * `syncPlan` inside the caller's transaction. Without a direction, the one the run's status means: an
 * applied run's changes, or a rolled-back run's undoing.
 */
export async function readSyncPlan(
  trx: Knex.Transaction,
  target: Omit<SyncTarget, 'direction'> & {direction?: SyncDirection},
): Promise<SyncPlan> {
  const run = await getRun(trx, target.run)
  if (!run)
    throw new SapxepError(`no run ${target.run} in the registry (see sapxep history)`, {code: 'no_run'})
  if (target.direction === 'apply' && run.status === 'rolled_back')
    throw new SapxepError(
      `run ${run.id} was rolled back: undo its directory changes with \`sapxep sync ldap ${run.id} --revert\``,
    )
  if (target.direction === 'revert' && run.status !== 'rolled_back')
    throw new SapxepError(
      `run ${run.id} is applied: roll it back first (\`sapxep rollback ${run.id}\`), then revert its directory changes`,
    )
  const direction = target.direction ?? (run.status === 'rolled_back' ? 'revert' : 'apply')
  // The directory hears of units, agencies (through their accounts), accounts and mailboxes.
  const set = await changeSet(trx, {run: run.id}, DIRECTORY_TABLES)
  const followers = await readFollowers(trx, set)
  const states = await readStates(trx, set, followers)
  const records = accountRecords(set, states)
  const options = directoryOptions(set, target)
  const {phases} = directorySteps(set, records, options, followerRecords(states, followers))
  const steps: SyncStep[] = []
  phases.forEach((phase, p) => {
    for (const recs of phase) steps.push({seq: steps.length, phase: p, dn: recs.at(-1)!.dn, records: recs})
  })
  return {
    run: run.id,
    direction,
    options,
    header: `sapxep run ${run.id} ${run.plan_digest}${direction === 'revert' ? ' (undo: rolled back)' : ''}`,
    steps,
    usernames: [
      ...new Set([...records.filter((r) => r.system === 'sso'), ...followers].map((r) => r.username)),
    ],
    unitCodes: [...new Set(set.changes.flatMap((c) => (c.table === 'units' ? [c.key.code] : [])))],
    addresses: options.schema?.mailboxes === null ? [] : [...mailboxChanges(set).keys()],
  }
}

export interface SyncOptions extends SyncTarget {
  connection: Omit<DirectoryConnection, 'password'> & {password?: string}
  dryRun?: boolean
  /** Requests outstanding at once on the one connection (default 32). */
  concurrency?: number
  /** Seconds to wait for another writer's lock (default 0: refuse at once). */
  lockTimeoutSeconds?: number
  /** Steps recorded per registry statement (default 1,000; also flushed every quarter second). */
  batch?: number
  onProgress?: (done: number, total: number) => void
}

export interface SyncResult {
  run: number
  direction: SyncDirection
  baseDn: string
  dryRun: boolean
  /** Steps of the run's change list. */
  steps: number
  /** Recorded by an earlier sync: skipped. */
  skipped: number
  /** Sent to the directory this time. */
  applied: number
  /** Of those, found already in the wanted state (an earlier sync died before recording them). */
  alreadyInPlace: number
  /** LDAP operations sent. */
  operations: number
  ms: number
  /** With --dry-run: the change records that would be sent, and their LDIF (text output only). */
  records?: number
  ldif?: string
}

/**
 * Carry a run (or, with direction `revert`, its rollback) into the directory. Except for a dry run, under
 * the registry's write lock from the first read to the last record (`withSessionWriteLock`): a rollback,
 * an apply, an import or another sync waits for it or is refused (exit 4), and the run cannot be rolled
 * back between the check of its status and the changes sent.
 */
export function syncLdap(registry: Pick<Registry, 'db' | 'engine'>, opts: SyncOptions): Promise<SyncResult> {
  if (opts.dryRun) return sync(registry.db, opts)
  return withSessionWriteLock(registry, opts.lockTimeoutSeconds ?? 0, () => sync(registry.db, opts))
}

async function sync(db: Knex, opts: SyncOptions): Promise<SyncResult> {
  const started = Date.now()
  const plan = await syncPlan(db, opts)
  // A dry run without --url shows every step: which are done depends on the directory.
  const key: SyncKey | undefined =
    opts.dryRun && !opts.connection.url
      ? undefined
      : {
          run: plan.run,
          direction: plan.direction,
          directory: directoryIdentity(opts.connection.url, plan.options.baseDn),
        }
  const recorded = key ? await syncedSteps(db, key) : new Map<number, string>()
  for (const s of plan.steps) {
    const dn = recorded.get(s.seq)
    if (dn !== undefined && dn !== s.dn)
      throw new SapxepError(
        `run ${plan.run}: step ${s.seq} was recorded for ${dn}, but now reads ${s.dn}: the directory mapping differs from the earlier sync (another --ldap-schema, --ldap-disable or mapping?)`,
      )
  }
  const todo = plan.steps.filter((s) => !recorded.has(s.seq))
  const result: SyncResult = {
    run: plan.run,
    direction: plan.direction,
    baseDn: plan.options.baseDn,
    dryRun: Boolean(opts.dryRun),
    steps: plan.steps.length,
    skipped: plan.steps.length - todo.length,
    applied: 0,
    alreadyInPlace: 0,
    operations: 0,
    ms: 0,
  }
  if (opts.dryRun) {
    const records = todo.flatMap((s) => s.records)
    result.records = records.length
    result.ldif = ldifText(records, [plan.header, `base ${plan.options.baseDn}`])
    result.ms = Date.now() - started
    return result
  }
  if (todo.length === 0 || !key) {
    result.ms = Date.now() - started
    return result
  }
  const client = await connectDirectory({...opts.connection, password: opts.connection.password ?? ''})
  const recorder = new Recorder(db, key, opts.batch ?? 1000, (recorded) =>
    opts.onProgress?.(result.skipped + recorded, plan.steps.length),
  )
  try {
    for (const phase of [0, 1, 2]) {
      const steps = todo.filter((s) => s.phase === phase)
      await pool(steps, opts.concurrency ?? 32, async (step) => {
        const outcome = await applyStep(client, step, plan)
        result.applied++
        result.operations += outcome.operations
        if (outcome.already) result.alreadyInPlace++
        await recorder.add(step)
      })
    }
  } catch (err) {
    await recorder.flush().catch(() => {})
    const done = result.skipped + recorder.recorded
    const message = err instanceof SapxepError ? err.message : String((err as Error).message)
    throw new SapxepError(
      `${message}\n${done} of ${plan.steps.length} step(s) are done and recorded; fix the cause and run the same command again to continue`,
      {details: {run: plan.run, direction: plan.direction, done, steps: plan.steps.length}},
    )
  } finally {
    await client.unbind().catch(() => {})
  }
  await recorder.flush()
  result.ms = Date.now() - started
  return result
}

/** Records finished steps in batches: one statement per batch, and at least every quarter second. */
class Recorder {
  private pending: Array<{seq: number; dn: string}> = []
  private last = Date.now()
  private chain: Promise<void> = Promise.resolve()
  recorded = 0

  constructor(
    private readonly db: Knex,
    private readonly key: SyncKey,
    private readonly batch: number,
    private readonly onFlush: (recorded: number) => void,
  ) {}

  async add(step: SyncStep): Promise<void> {
    this.pending.push({seq: step.seq, dn: step.dn})
    if (this.pending.length >= this.batch || Date.now() - this.last >= 250) await this.flush()
  }

  flush(): Promise<void> {
    const rows = this.pending
    this.pending = []
    this.last = Date.now()
    this.chain = this.chain.then(async () => {
      await recordSteps(this.db, this.key, rows)
      this.recorded += rows.length
      if (rows.length > 0) this.onFlush(this.recorded)
    })
    return this.chain
  }
}

/** Run `fn` over the items with at most `width` of them outstanding; the first failure stops the rest. */
async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed: unknown
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]
      try {
        await fn(item)
      } catch (err) {
        failed ??= err
      }
    }
  }
  await Promise.all(Array.from({length: Math.min(width, items.length)}, worker))
  if (failed !== undefined) throw failed
}

const attributeChange = (m: Modification) =>
  new Change({operation: m.op, modification: new Attribute({type: m.attribute, values: m.values})})

/** The step's records in order; whether some were found already done. */
async function applyStep(
  client: Client,
  step: SyncStep,
  plan: SyncPlan,
): Promise<{already: boolean; operations: number}> {
  let already = false
  let operations = 0
  for (const r of step.records) {
    try {
      operations++
      if ((await applyRecord(client, r, plan)) === 'already') already = true
    } catch (err) {
      const what =
        err instanceof ResultCodeError ? `${err.message} (LDAP result ${err.code})` : (err as Error).message
      throw new SapxepError(`${r.change} ${r.dn}: ${what}`)
    }
  }
  return {already, operations}
}

/**
 * One change record. Each is applied so that a second application changes nothing: an add that finds
 * the entry sets the wanted values on it; a modrdn whose entry is already at its new place is done; a
 * delete of an absent entry is done. A modify replaces values, which is the same the second time.
 */
async function applyRecord(client: Client, r: LdifRecord, plan: SyncPlan): Promise<'written' | 'already'> {
  switch (r.change) {
    case 'add':
      try {
        await client.add(r.dn, Object.fromEntries(r.attributes))
        return 'written'
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err
        const rdn = r.dn.slice(0, r.dn.indexOf('=')).toLowerCase()
        const changes = r.attributes
          .filter(([a]) => a.toLowerCase() !== 'objectclass' && a.toLowerCase() !== rdn)
          .map(([attribute, values]) => attributeChange({op: 'replace', attribute, values}))
        if (changes.length > 0) await client.modify(r.dn, changes)
        return 'already'
      }
    case 'modify':
      try {
        await client.modify(r.dn, r.modifications.map(attributeChange))
        return 'written'
      } catch (err) {
        // Undoing a create whose account never reached the directory: an absent entry is not active.
        const disableOnly = r.modifications.every(
          (m) => m.attribute.toLowerCase() === plan.options.disable.attribute.toLowerCase(),
        )
        if (err instanceof NoSuchObjectError && plan.direction === 'revert' && disableOnly) return 'already'
        // A value added that is there (a mailbox's alias), or deleted that is not (or from no entry): done.
        const op = r.modifications.length === 1 ? r.modifications[0].op : undefined
        if (
          (op === 'add' && err instanceof TypeOrValueExistsError) ||
          (op === 'delete' && (err instanceof NoSuchAttributeError || err instanceof NoSuchObjectError))
        )
          return 'already'
        throw err
      }
    case 'modrdn': {
      const newDn = r.newSuperior === undefined ? r.newRdn : `${r.newRdn},${r.newSuperior}`
      try {
        await client.modifyDN(r.dn, newDn)
        return 'written'
      } catch (err) {
        if (err instanceof NoSuchObjectError && r.newSuperior !== undefined && (await exists(client, newDn)))
          return 'already'
        throw err
      }
    }
    case 'delete':
      try {
        await client.del(r.dn)
        return 'written'
      } catch (err) {
        if (err instanceof NoSuchObjectError) return 'already'
        if (err instanceof NotAllowedOnNonLeafError)
          throw new SapxepError(
            `${r.dn} still holds entries the run did not create; move or delete them, then run again`,
          )
        throw err
      }
  }
}

async function exists(client: Client, dn: string): Promise<boolean> {
  try {
    const {searchEntries} = await client.search(dn, {scope: 'base', attributes: ['1.1']})
    return searchEntries.length > 0
  } catch (err) {
    if (err instanceof NoSuchObjectError) return false
    throw err
  }
}
