import type {Knex} from 'knex'
import {ExitCode, SapxepError} from '../errors.js'
import type {Engine} from '../registry/db.js'

/** One advisory lock key for every sapxep write (apply, rollback): "sapxep" in ASCII. */
const LOCK_KEY = 0x736170786570

/**
 * Take the exclusive write lock inside the transaction, so it is released whatever happens to the
 * transaction. PostgreSQL: a transaction-level advisory lock, waiting at most `timeoutSeconds`. The
 * embedded store is already locked for this process as a whole when it was opened (see registry/db.ts).
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
    `another sapxep apply or rollback holds the registry lock${waited > 0 ? ` (waited ${waited} s)` : ''}; ` +
      'wait for it to finish, or pass --lock-timeout SECONDS to wait',
    {exitCode: ExitCode.lockHeld, code: 'lock_held'},
  )
}
