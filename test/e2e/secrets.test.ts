import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {registryCommands} from '../helpers/registry-commands.js'
import {testEngine} from '../helpers/engine.js'
import {freshRegistryTarget} from '../helpers/registry.js'

const USER_INFO_SECRET = 'userinfo-s3cret'
const QUERY_SECRET = 'query-s3cret'

const COMMANDS = registryCommands(path.join(os.tmpdir(), `sapxep-secrets-export-${process.pid}`))

/** A URL with a password in both places node-postgres reads one. */
function secretUrl(base: string): string {
  const u = new URL(base)
  u.username = u.username || 'postgres'
  u.password = USER_INFO_SECRET
  u.searchParams.set('password', QUERY_SECRET)
  return u.toString()
}

function expectNoSecret(args: string[], out: {stdout: string; stderr: string}): void {
  for (const secret of [USER_INFO_SECRET, QUERY_SECRET])
    expect(out.stdout + out.stderr, `${args.join(' ')} leaked ${secret}`).not.toContain(secret)
}

describe('database passwords are never printed', () => {
  // The same commands whatever the run's engine (the URL is given): run once, in the embedded run.
  it.runIf(testEngine === 'pglite')(
    'no command prints either password when the server cannot be reached (text and --json)',
    () => {
      const url = secretUrl('postgres://127.0.0.1:1/nowhere')
      for (const args of COMMANDS)
        for (const json of [[], ['--json']]) {
          const r = runCli([...args, ...json, '--database-url', url])
          expect(r.status, `${args.join(' ')}: ${r.stderr}`).not.toBe(0)
          expectNoSecret(args, r)
          const viaEnv = runCli([...args, ...json], {DATABASE_URL: url})
          expectNoSecret(args, viaEnv)
        }
    },
  )

  it.runIf(testEngine === 'pg')(
    'db status on a reachable server shows the location with both passwords hidden',
    async () => {
      // A registry of its own: the server's default database holds none on a fresh machine.
      const target = await freshRegistryTarget()
      const url = secretUrl(target.databaseUrl!)
      const r = runCli(['db', 'status', '--json', '--database-url', url])
      expect(r.status, r.stderr).toBe(0)
      expectNoSecret(['db', 'status'], r)
      expect(r.json.location).toContain('password=***')
    },
  )
})
