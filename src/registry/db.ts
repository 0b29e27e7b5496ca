import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type {Knex} from 'knex'
import lockfile from 'proper-lockfile'
import {ExitCode, SapxepError} from '../errors.js'
import {migrationSource} from './migrations/index.js'
import {queryOne} from './sql.js'

export type Engine = 'pglite' | 'pg'

/** An open registry: one knex instance on either engine. Pass `db` (or a transaction) everywhere. */
export interface Registry {
  db: Knex
  engine: Engine
  /** Where the registry lives, safe to print (no password). */
  location: string
  close(): Promise<void>
}

export interface OpenOptions {
  /** PostgreSQL URL; without it the embedded store is used. */
  databaseUrl?: string
  /** Folder of the embedded store (default `$SAPXEP_HOME` or `./.sapxep`). */
  home?: string
  /** Bring the schema up to date on open (default true). */
  migrate?: boolean
  /** How long to wait for another process holding the embedded store (default 0: fail at once). */
  lockTimeoutSeconds?: number
  /**
   * Refuse to create a registry: the embedded store's folder or the server's sapxep schema must exist
   * already (read-only commands and those that need data: a wrong SAPXEP_HOME must not look empty).
   */
  mustExist?: boolean
}

// knex logs pool errors itself; errors reach the user once, through SapxepError.
const quietLog = {warn() {}, error() {}, deprecate() {}, debug() {}}

export function sapxepHome(home?: string): string {
  return path.resolve(home ?? process.env.SAPXEP_HOME ?? '.sapxep')
}

/**
 * `postgres://user:secret@host/db?password=x` → `postgres://user:***@host/db?password=***`: URLs are
 * printed, passwords never (node-postgres honours `password` and `sslpassword` in the query string too).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    for (const name of [...u.searchParams.keys()]) if (isSecretParam(name)) u.searchParams.set(name, '***')
    return u.toString().replaceAll('%2A%2A%2A', '***')
  } catch {
    return '(unparseable database URL)'
  }
}

const isSecretParam = (name: string) => /pass|secret|token|key/i.test(name)

/** Every secret a database URL carries, decoded, as a message may echo it. */
function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url)
    const secrets = [decodeURIComponent(u.password)]
    for (const [name, value] of u.searchParams) if (isSecretParam(name)) secrets.push(value)
    return secrets.filter((s) => s.length > 0)
  } catch {
    return []
  }
}

export async function openRegistry(opts: OpenOptions = {}): Promise<Registry> {
  const registry = opts.databaseUrl ? await openServer(opts.databaseUrl) : await openEmbedded(opts)
  if (opts.mustExist && registry.engine === 'pg' && !(await hasSchema(registry.db))) {
    await registry.close()
    throw noRegistry(registry.location)
  }
  if (opts.migrate ?? true) {
    try {
      await registry.db.migrate.latest({migrationSource})
    } catch (err) {
      await registry.close()
      throw err
    }
  }
  return registry
}

/** The error of a registry that is not there, naming where it was looked for and how to make one. */
function noRegistry(location: string): SapxepError {
  return new SapxepError(
    `no sapxep registry at ${location}: create one with \`sapxep init\` and \`sapxep registry import units FILE\`, ` +
      'or point SAPXEP_HOME or --database-url at the registry you meant',
    {code: 'no_registry'},
  )
}

/** Whether a server database has the sapxep schema (knex records its migrations in this table). */
async function hasSchema(db: Knex): Promise<boolean> {
  const row = await queryOne<{t: string | null}>(db, `select to_regclass('knex_migrations')::text as t`)
  return !!row?.t
}

// The database drivers are loaded when a registry is opened, not when the CLI starts: commands that
// never touch the registry (help, mapping validate, show) start faster.
const loadKnex = async () => (await import('knex')).default

async function openServer(url: string): Promise<Registry> {
  const location = redactUrl(url)
  const knexFactory = await loadKnex()
  const db = knexFactory({client: 'pg', connection: url, pool: {min: 0, max: 4}, log: quietLog})
  try {
    await db.raw('select 1')
  } catch (err) {
    await db.destroy()
    // node-pg messages can echo the connection string; say only what is safe.
    throw new SapxepError(`cannot connect to PostgreSQL at ${location}: ${safeMessage(err, url)}`)
  }
  return {db, engine: 'pg', location, close: () => db.destroy()}
}

function safeMessage(err: unknown, url: string): string {
  let message = err instanceof Error ? err.message : String(err)
  for (const secret of urlSecrets(url)) message = message.split(secret).join('***')
  return message
}

async function openEmbedded(opts: OpenOptions): Promise<Registry> {
  const home = sapxepHome(opts.home)
  const dir = path.join(home, 'registry')
  // PG_VERSION is the first file of a PostgreSQL data directory: without it there is no registry here.
  if (opts.mustExist && !fs.existsSync(path.join(dir, 'PG_VERSION'))) throw noRegistry(dir)
  fs.mkdirSync(home, {recursive: true})
  const release = await lockEmbedded(home, opts.lockTimeoutSeconds ?? 0)
  const [{PGlite}, {default: ClientPgLite}, knexFactory] = await Promise.all([
    import('@electric-sql/pglite'),
    import('knex-pglite'),
    loadKnex(),
  ])
  let pglite: InstanceType<typeof PGlite>
  try {
    pglite = await PGlite.create(dir)
  } catch (err) {
    await release()
    throw new SapxepError(`cannot open the embedded registry at ${dir}: ${(err as Error).message}`)
  }
  const db = knexFactory({
    // knex-pglite's client class is typed for its own knex copy.
    client: ClientPgLite as unknown as Knex.Config['client'],
    dialect: 'postgres',
    connection: () => ({pglite}) as object,
    log: quietLog,
  })
  let closed = false
  return {
    db,
    engine: 'pglite',
    location: dir,
    async close() {
      if (closed) return
      closed = true
      try {
        await db.destroy()
        if (!pglite.closed) await pglite.close()
      } finally {
        await release()
      }
    },
  }
}

/**
 * PGlite does nothing to keep two processes out of one data directory, so the folder is locked here
 * for as long as the registry is open. The lock names its owner (pid and host): a lock whose owner has
 * died (killed, crashed) is taken over at once; otherwise it goes stale after ten minutes without refresh.
 */
async function lockEmbedded(home: string, timeoutSeconds: number): Promise<() => Promise<void>> {
  const lockfilePath = path.join(home, 'registry.lock')
  // Inside the lock directory, so it is gone whenever the lock is: a new lock never shows an old owner.
  const ownerFile = path.join(lockfilePath, 'owner')
  const deadline = Date.now() + timeoutSeconds * 1000
  for (;;) {
    // A lock left by a process that died (or gone stale with its owner file inside) is cleared first.
    if (ownerIsDead(ownerFile) || ownerNeverWritten(lockfilePath, ownerFile))
      fs.rmSync(lockfilePath, {recursive: true, force: true})
    try {
      const release = await lockfile.lock(home, {
        lockfilePath,
        // The embedded engine can keep the event loop busy for seconds (one long statement), so the
        // refresh may come late. Liveness is decided by the owner's pid above; time only for other hosts.
        stale: 10 * 60_000,
        update: 10_000,
        realpath: false,
        onCompromised: () => {},
      })
      // proper-lockfile checks that the lock's mtime is the one it set: writing the owner file inside
      // changes it, so put it back.
      const {atime, mtime} = fs.statSync(lockfilePath)
      fs.writeFileSync(ownerFile, JSON.stringify({pid: process.pid, host: os.hostname()}))
      fs.utimesSync(lockfilePath, atime, mtime)
      return async () => {
        // The directory and its owner go in one synchronous step: no await between them where a signal
        // could end the process and leave a lock without an owner.
        fs.rmSync(lockfilePath, {recursive: true, force: true})
        await release().catch(() => {}) // stops the refresh; the directory is already gone
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTEMPTY') {
        // proper-lockfile found the lock stale but cannot rmdir it with the owner file inside.
        fs.rmSync(lockfilePath, {recursive: true, force: true})
        continue
      }
      if (code !== 'ELOCKED') throw err
      if (Date.now() >= deadline)
        throw new SapxepError(
          `the embedded registry at ${home} is in use by another sapxep process` +
            (timeoutSeconds > 0 ? ` (waited ${timeoutSeconds} s)` : '') +
            '; wait for it to finish',
          {exitCode: ExitCode.lockHeld, code: 'lock_held'},
        )
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

/**
 * The owner file is written right after the lock directory is made, in the same turn of the event loop
 * as the lock is granted; a directory still without one after a few seconds was left by a process that
 * died in between, and must not block every command until it goes stale.
 */
const OWNERLESS_GRACE_MS = 5_000

function ownerNeverWritten(lockfilePath: string, ownerFile: string): boolean {
  try {
    const {mtimeMs} = fs.statSync(lockfilePath)
    return readOwner(ownerFile) === undefined && Date.now() - mtimeMs > OWNERLESS_GRACE_MS
  } catch {
    return false // no lock
  }
}

/**
 * The lock's owner, or undefined when none is recorded: no file yet, or one a process killed while
 * writing it left empty or torn (then it counts as never written).
 */
function readOwner(ownerFile: string): {pid: number; host: string} | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as {pid?: unknown; host?: unknown}
    return typeof owner?.pid === 'number' && typeof owner.host === 'string'
      ? {pid: owner.pid, host: owner.host}
      : undefined
  } catch {
    return undefined
  }
}

function ownerIsDead(ownerFile: string): boolean {
  const owner = readOwner(ownerFile)
  if (!owner) return false // no owner recorded yet: the lock is being taken right now
  if (owner.host !== os.hostname() || owner.pid === process.pid) return false
  try {
    process.kill(owner.pid, 0)
    return false
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * For a transaction over the whole registry (plan, apply, verify, rollback): enough memory for hash joins
 * and groupings over a million rows, which the server's default (4 MB) would spill to disk. Transaction
 * scoped (`set local`), so the session and other clients keep their settings.
 */
export const BULK_WORK_MEM_SQL = `set local work_mem = '64MB'`

export async function useBulkMemory(trx: Knex.Transaction): Promise<void> {
  await trx.raw(BULK_WORK_MEM_SQL)
}

/** A read-only transaction seeing one consistent state of the registry, with bulk memory. */
export function readTransaction<T>(db: Knex, read: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(
    async (trx) => {
      await useBulkMemory(trx)
      return read(trx)
    },
    {isolationLevel: 'repeatable read', readOnly: true},
  )
}

/**
 * After a bulk load, refresh the planner's statistics: with row counts from an empty table the planner
 * scans a million accounts where an index lookup would do. PGlite has no autovacuum to do it later.
 */
export async function refreshStatistics(db: Knex): Promise<void> {
  await db.raw('analyze')
}
