import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {directoryDump, withoutLockedNewMailboxes} from '../helpers/directory.js'
import {testEngine} from '../helpers/engine.js'
import type {TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhLdapScenario, registryDigestOf, type LdapScenario} from '../helpers/scenario.js'
import {slapdMissing} from '../helpers/slapd.js'
import {startCli, type Started} from '../helpers/spawn.js'

const missing = slapdMissing()
const SCALE = Number(process.env.SAPXEP_SYNC_SCALE ?? 0.1)
/** The registry write lock's key ("sapxep" in ASCII), as pg_locks shows a bigint advisory key. */
const LOCK = {classid: 0x7361, objid: 0x70786570}

/** Resolve once `held()` is true; reject if the process ends first or after a minute. */
async function waitUntil(run: Started, held: () => Promise<boolean>): Promise<void> {
  let ended = false
  void run.done.then(() => (ended = true))
  for (let i = 0; i < 600; i++) {
    if (await held()) return
    if (ended) throw new Error(`ended before it held the lock: ${run.stderr()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('the sync did not take the registry lock within a minute')
}

/** Whether a session holds the registry's write lock (pg_locks). */
async function lockHeld(target: TestRegistryTarget): Promise<boolean> {
  const client = new pg.Client({connectionString: target.databaseUrl})
  await client.connect()
  try {
    const {rows} = await client.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and granted
         and database = (select oid from pg_database where datname = current_database())
         and classid = $1 and objid = $2`,
      [LOCK.classid, LOCK.objid],
    )
    return rows[0].n > 0
  } finally {
    await client.end()
  }
}

/**
 * A sync holds the registry's write lock from start to end, though it commits its step records batch by
 * batch: a rollback of the run, or a second sync to the same directory, is refused while it runs (exit 4,
 * nothing written) or waits for it with --lock-timeout. The sync is held open by a directory that stops
 * answering (slapd paused with SIGSTOP) and resumes when it answers again.
 */
// On the embedded engine the store is the process's from open to close (test/e2e/write-lock.test.ts
// shows a second process refused); this file runs in `npm run test:pg`, where the lock is the sync's own.
const skipped = missing ?? (testEngine === 'pglite' ? 'the embedded store is locked per process' : undefined)

describe.skipIf(skipped !== undefined)(
  `sync ldap holds the registry lock${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    let scenario: LdapScenario
    let target: TestRegistryTarget
    const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
    const start = (...args: string[]) => startCli([...args, ...target.cliArgs], target.env)

    beforeAll(async () => {
      scenario = await ninhBinhLdapScenario({scale: SCALE})
      target = scenario.target
    }, 300_000)

    afterAll(() => {
      try {
        scenario?.slapd.signal('SIGCONT')
      } catch {
        // not running
      }
      scenario?.cleanup()
    })

    it('a rollback or a second sync during a sync is refused (exit 4) or waits with --lock-timeout; the sync then completes', async () => {
      const {slapd, conn} = scenario
      const initial = directoryDump(slapd)
      const applied = registryDigestOf(target)
      const steps = cli('sync', 'ldap', '1', '--dry-run', '--json').json.steps as number

      slapd.signal('SIGSTOP')
      let sync: Started
      try {
        sync = start('sync', 'ldap', '1', ...conn, '--timeout', '300', '--json')
        await waitUntil(sync, () => lockHeld(target))

        for (const args of [
          ['rollback', '1', '--yes'],
          ['sync', 'ldap', '1', ...conn],
        ]) {
          const r = cli(...args, '--json')
          expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(4)
          expect(r.json.error.code).toBe('lock_held')
          expect(r.json.error.message).toMatch(
            /another sapxep write \(apply, rollback, import, seed or sync ldap\) holds the registry lock; wait for it to finish, or pass --lock-timeout SECONDS/,
          )
        }
        // The registry can be read meanwhile: the refused rollback changed nothing.
        expect(registryDigestOf(target)).toBe(applied)
      } finally {
        slapd.signal('SIGCONT')
      }
      const synced = await sync.done
      expect(synced.status, synced.stderr).toBe(0)
      // Every step sent by this sync, none found done by another.
      expect(JSON.parse(synced.stdout)).toMatchObject({steps, skipped: 0, applied: steps, alreadyInPlace: 0})
      expect(registryDigestOf(target)).toBe(applied)
      const check = cli('sync', 'ldap', '1', '--check', ...conn, '--json')
      expect(check.status, check.stdout).toBe(0)

      // A rollback that waits: it runs once the sync has finished.
      slapd.signal('SIGSTOP')
      let rollback: Started
      let revert: Started
      try {
        expect(cli('rollback', '1', '--yes').status).toBe(0)
        expect(registryDigestOf(target)).toBe(scenario.digestBefore)
        revert = start('sync', 'ldap', '1', '--revert', ...conn, '--timeout', '300', '--json')
        await waitUntil(revert, () => lockHeld(target))
        // Another writer with --lock-timeout waits: here `rollback` again (a no-op once it has the lock).
        rollback = start('rollback', '1', '--yes', '--lock-timeout', '300', '--json')
        await new Promise((r) => setTimeout(r, 2000))
        expect(rollback.child.exitCode).toBeNull()
      } finally {
        slapd.signal('SIGCONT')
      }
      // The directory answers again only now: a rollback that ended from here on waited for the sync.
      const resumed = Date.now()
      let rollbackEnded = 0
      const [reverted, again] = await Promise.all([
        revert.done,
        rollback.done.then((r) => ((rollbackEnded = Date.now()), r)),
      ])
      expect(reverted.status, reverted.stderr).toBe(0)
      const undone = JSON.parse(reverted.stdout)
      expect(undone).toMatchObject({direction: 'revert', skipped: 0})
      expect(undone.applied).toBe(undone.steps)
      expect(again.status, again.stderr).toBe(0)
      // (Which process exits first is a race: the sync lets the lock go before it closes its connections.)
      expect(rollbackEnded).toBeGreaterThanOrEqual(resumed)
      // As before the run, but the mailboxes it created: they stay, locked.
      expect(withoutLockedNewMailboxes(directoryDump(slapd), initial)).toBe(initial)
      expect(registryDigestOf(target)).toBe(scenario.digestBefore)
    }, 900_000) // a dozen commands on the embedded store, on a busy 2-core machine
  },
)
