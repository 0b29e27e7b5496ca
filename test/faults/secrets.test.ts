import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {openRegistry, redactUrl} from '../../src/index.js'
import {runCli} from '../helpers/cli.js'
import {registryCommands} from '../helpers/registry-commands.js'
import {testEngine} from '../helpers/engine.js'
import {freshRegistryTarget} from '../helpers/registry.js'
import {FULL, runs, seed} from './scale.js'

// Generated passwords (quotes, @ : / ? # % & = +, spaces, non-ASCII) in the database URL's user-info
// and in its query string: never printed, in any form a message could take (as given, URL-encoded,
// decoded). In process over many URLs; through every registry command (text and --json) for a few.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-secrets-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))

const COMMANDS = registryCommands(path.join(tmp, 'export'))

// At least 8 characters, one of them not a letter or digit: a password no host, path or message
// contains by chance.
const password = fc
  .tuple(
    fc.string({
      unit: fc.constantFrom(...Array.from('aZ9 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~éưđ€😀')),
      minLength: 7,
      maxLength: 24,
    }),
    fc.constantFrom('@', ':', '/', '?', '#', '%', '&', '=', '+', ' ', '"', 'đ'),
  )
  .map(([s, special]) => `${special}${s}`)
  .filter((s) => s.trim().length >= 8)

/** A URL with `user` in the user-info and `query` as `?password=` (node-postgres honours both). */
function secretUrl(base: string, user: string, query: string): string {
  const u = new URL(base)
  u.username = u.username || 'postgres'
  u.password = user // the URL API encodes what must be
  u.searchParams.set('password', query)
  return u.toString()
}

/** Every form a password could be printed in. */
const forms = (secret: string): string[] => [
  secret,
  encodeURIComponent(secret),
  new URLSearchParams({p: secret}).toString().slice(2),
  new URL(`postgres://u:${encodeURIComponent(secret)}@h/`).password,
]

function leaks(text: string, secrets: string[]): string[] {
  return secrets.flatMap(forms).filter((form) => text.includes(form))
}

describe('database passwords are never printed (generated passwords)', () => {
  const n = runs(200, 2_000)
  it(`in process: ${n} URLs through redactUrl and a failed connection's message, 0 leaks`, async () => {
    let checked = 0
    await fc.assert(
      fc.asyncProperty(password, password, async (user, query) => {
        const url = secretUrl('postgres://127.0.0.1:1/nowhere', user, query)
        expect(leaks(redactUrl(url), [user, query])).toEqual([])
        // The connection is refused at once (port 1): its message goes through the same redaction.
        const err = await openRegistry({databaseUrl: url}).then(
          () => new Error('connected to port 1?'),
          (e: Error) => e,
        )
        expect(err.message).toMatch(/cannot connect to PostgreSQL/)
        expect(leaks(err.message, [user, query])).toEqual([])
        checked++
      }),
      {numRuns: n, seed},
    )
    console.log(`secrets: ${checked} generated URLs in process, 0 leaks`)
  })

  const passwords = fc.sample(fc.tuple(password, password), {seed, numRuns: runs(1, 3)})
  // Reduced: one command (test/e2e/secrets.test.ts runs every one with fixed passwords in CI).
  const commands = FULL ? COMMANDS : [['db', 'status']]
  it(`through ${commands.length} commands × ${passwords.length} password pairs × (text, --json) × (flag, DATABASE_URL): 0 leaks`, async () => {
    // On PostgreSQL the server is reachable (a database of this test's own; trust authentication
    // ignores the password): the commands run and print their normal output. Otherwise they fail to
    // connect and print the error.
    const base =
      testEngine === 'pg' ? (await freshRegistryTarget()).databaseUrl! : 'postgres://127.0.0.1:1/nowhere'
    let runsDone = 0
    for (const [user, query] of passwords) {
      const url = secretUrl(base, user, query)
      for (const args of commands)
        for (const json of [[], ['--json']]) {
          for (const r of [
            runCli([...args, ...json, '--database-url', url]),
            runCli([...args, ...json], {DATABASE_URL: url}),
          ]) {
            expect(leaks(r.stdout + r.stderr, [user, query]), `${args.join(' ')} ${json.join('')}`).toEqual(
              [],
            )
            expect(r.stderr, `${args.join(' ')}: a stack trace`).not.toMatch(/\n\s+at /)
            runsDone++
          }
        }
    }
    console.log(
      `secrets: ${runsDone} command runs (${commands.length} commands) with generated passwords, 0 leaks`,
    )
  })
})
