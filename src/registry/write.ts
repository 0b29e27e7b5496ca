import type {Knex} from 'knex'
import {ExitCode, SapxepError} from '../errors.js'
import {useBulkMemory, type Engine, type Registry} from './db.js'

/** One advisory lock key for every sapxep write (apply, rollback, imports, seed): "sapxep" in ASCII. */
const LOCK_KEY = 0x736170786570

/**
 * Take the exclusive write lock inside the transaction, so it is released whatever happens to the
 * transaction. PostgreSQL: a transaction-level advisory lock, waiting at most `timeoutSeconds`. The
 * embedded store is already locked for this process as a whole when it was opened (see db.ts).
 */
export async function takeWriteLock(
  trx: Knex.Transaction,
  engine: Engine,
  timeoutSeconds: number,
): Promise<void> {
  if (engine === 'pglite') return
  if (timeoutSeconds <= 0) {
    const {rows} = await trx.raw('select pg_try_advisory_xact_lock(?) as ok', [LOCK_KEY])
    if (!rows[0].ok) throw lockHeld(0)
    return
  }
  await trx.raw(`set local lock_timeout = '${Math.round(timeoutSeconds * 1000)}ms'`)
  try {
    await trx.raw('select pg_advisory_xact_lock(?)', [LOCK_KEY])
  } catch (err) {
    if ((err as {code?: string}).code === '55P03') throw lockHeld(timeoutSeconds)
    throw err
  }
  await trx.raw(`set local lock_timeout = 0`)
}

function lockHeld(waited: number): SapxepError {
  return new SapxepError(
    `another sapxep write (apply, rollback, import, seed or sync ldap) holds the registry lock${waited > 0 ? ` (waited ${waited} s)` : ''}; ` +
      'wait for it to finish',
    {exitCode: ExitCode.lockHeld, code: 'lock_held'},
  )
}

/**
 * The write lock held while `work` runs, across many transactions of its own: `sync ldap`, which commits
 * its step records a batch at a time (so that a killed sync keeps what it recorded), keeps apply, rollback,
 * imports and other syncs out from start to end this way. PostgreSQL: a session-level advisory lock on the
 * same key as `takeWriteLock`, on a connection of its own, tried every quarter second for at most
 * `timeoutSeconds` and released at the end; a process that dies holds nothing (the server drops the
 * session). The embedded store: nothing to add — the process holds the store's lock from the moment it
 * opened it until it closes it (db.ts), which no other process can share.
 */
export async function withSessionWriteLock<T>(
  registry: Pick<Registry, 'db' | 'engine'>,
  timeoutSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  if (registry.engine === 'pglite') return work()
  // knex's own pool hands out node-postgres clients; one is kept aside for the lock.
  const client = registry.db.client as {
    acquireConnection(): Promise<PgConnection>
    releaseConnection(c: PgConnection): Promise<void>
  }
  const conn = await client.acquireConnection()
  let locked = false
  try {
    const deadline = Date.now() + timeoutSeconds * 1000
    for (;;) {
      const {rows} = await conn.query('select pg_try_advisory_lock($1) as ok', [LOCK_KEY])
      if (rows[0].ok) break
      if (Date.now() >= deadline) throw lockHeld(timeoutSeconds)
      await new Promise((r) => setTimeout(r, 250))
    }
    locked = true
    return await work()
  } finally {
    // Unlocked before the connection goes back to the pool: a pooled session must not keep the lock.
    if (locked) await conn.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => conn.end())
    await client.releaseConnection(conn)
  }
}

interface PgConnection {
  query(sql: string, params: unknown[]): Promise<{rows: Array<Record<string, unknown>>}>
  end(): Promise<void>
}

export interface WriteOptions {
  /** Seconds to wait for another writer's lock (0: fail at once). */
  lockTimeoutSeconds?: number
  /** Do everything, then roll it back. */
  dryRun?: boolean
}

const DRY_RUN = Symbol('dry run: roll back')

/**
 * The transaction every write to the registry runs in (apply, rollback, imports, seed): the write lock
 * taken first, so that apply's freshness check holds until it commits,
 * memory for bulk statements, and — for a dry run — everything rolled back at the end, so that a
 * rehearsal takes exactly the path of the real thing.
 */
export async function writeTransaction<T>(
  registry: Registry,
  opts: WriteOptions,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  let result: T | undefined
  try {
    await registry.db.transaction(async (trx) => {
      await takeWriteLock(trx, registry.engine, opts.lockTimeoutSeconds ?? 0)
      await useBulkMemory(trx)
      result = await work(trx)
      if (opts.dryRun) throw DRY_RUN
    })
  } catch (err) {
    if (err !== DRY_RUN) throw err
  }
  return result as T
}
