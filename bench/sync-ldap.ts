/**
 * `npm run bench:sync -- [--scale F] [--concurrency N] [--json] [--save]` — `sapxep sync ldap` against
 * its floor. The Nam Định sample (scale 1: about 17,000 single-sign-on accounts) under the real GSO list
 * of March 2025, the Ninh Bình 2025 mapping planned and applied on the embedded registry; three throwaway
 * slapd servers loaded with the accounts as they were before the run. In one run, timed as a user runs
 * them:
 *
 * - floor: `ldapmodify -f` applying the LDIF of the sync (`sync ldap RUN --dry-run`) to server A — the
 *   same records, one request at a time, no bookkeeping;
 * - sync: `sapxep sync ldap RUN` to server B (the whole process: start-up, registry reads, the LDAP
 *   requests, the records);
 * - resume: `sapxep sync ldap RUN` to server C, killed (SIGKILL) once it has recorded its first batch,
 *   then run again to the end.
 *
 * Then the three directories must hold the same entries and `sync ldap RUN --check` must be clean.
 * See bench/README.md.
 */
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {parseArgs} from 'node:util'
import {openRegistry} from '../src/registry/db.js'
import {importUnits} from '../src/registry/import/units.js'
import {seedRegistry} from '../src/registry/seed/seed.js'
import {directoryDump, NINH_BINH_BASE as BASE, registryLdif} from '../test/helpers/directory.js'
import {slapdMissing, startSlapd, type Slapd} from '../test/helpers/slapd.js'
import {mustRun, ROOT} from './cli.js'
import {say} from './phases.js'

const BIN = path.join(ROOT, 'bin/run.js')

const USAGE = `Usage: npm run bench:sync -- [options]

  --scale F          staff per unit × F (default 1: about 17,000 single-sign-on accounts)
  --concurrency N    sync's requests outstanding at once (default: the command's, 32)
  --json             print the result as JSON
  --save             also write bench/results/sync-ldap.json
`

function options() {
  const {values} = parseArgs({
    options: {
      scale: {type: 'string', default: '1'},
      concurrency: {type: 'string'},
      json: {type: 'boolean', default: false},
      save: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  return values
}

/** The directory before the run: the base, every unit holding an agency, every single-sign-on account and mailbox. */
async function beforeLdif(home: string): Promise<{ldif: string; entries: number}> {
  const registry = await openRegistry({home, mustExist: true})
  try {
    return await registryLdif(registry.db)
  } finally {
    await registry.close()
  }
}

const dump = (s: Slapd) => directoryDump(s, BASE)

const seconds = (ms: number) => Math.round(ms) / 1000

/** Start the sync and SIGKILL it once its first batch is recorded (its first progress line). */
function killedSync(
  args: string[],
  env: Record<string, string>,
): Promise<{ms: number; killed: boolean; stderr: string}> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(process.execPath, [BIN, ...args], {env: {...process.env, NO_COLOR: '1', ...env}})
    let stderr = ''
    let killed = false
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (!killed && /steps synced/.test(stderr)) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.on('close', () => resolve({ms: performance.now() - started, killed, stderr}))
  })
}

async function main() {
  const opts = options()
  const missing = slapdMissing()
  if (missing) throw new Error(missing)
  const scale = Number(opts.scale)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-bench-sync-'))
  const home = path.join(tmp, 'home')
  const env = {SAPXEP_HOME: home, SAPXEP_LDAP_PASSWORD: 'test-only'}
  const servers: Slapd[] = []
  try {
    say(`registry: GSO units, the Nam Định sample at scale ${scale}, the Ninh Bình plan`)
    const registry = await openRegistry({home})
    try {
      await importUnits(registry, path.join(ROOT, 'data/gso-units-2025-03-01.csv'))
      await seedRegistry(registry, {sample: 'nam-dinh', scale})
    } finally {
      await registry.close()
    }
    const planFile = path.join(tmp, 'nb.plan.json')
    await mustRun(
      'plan',
      ['plan', path.join(ROOT, 'mappings/2025/37-ninh-binh.yaml'), '--out', planFile, '--json'],
      env,
    )
    const before = await beforeLdif(home)
    fs.writeFileSync(path.join(tmp, 'before.ldif'), before.ldif)
    await mustRun('apply', ['apply', planFile, '--yes', '--json'], env)

    say(`three slapd servers, each loaded with ${before.entries.toLocaleString('en-US')} entries`)
    for (let i = 0; i < 3; i++) {
      const s = await startSlapd(BASE)
      servers.push(s)
      s.tool('ldapadd', ['-f', path.join(tmp, 'before.ldif')])
    }
    const [a, b, c] = servers
    const conn = (s: Slapd) => ['--url', s.url, '--bind-dn', s.rootDn]
    const concurrency = opts.concurrency ? ['--concurrency', opts.concurrency] : []

    const dry = await mustRun('dry run', ['sync', 'ldap', '1', '--dry-run', '--json'], env)
    const steps = dry.json.steps as number
    const operations = dry.json.records as number
    const ldif = await mustRun('dry run', ['sync', 'ldap', '1', '--dry-run'], env)
    fs.writeFileSync(path.join(tmp, 'sync.ldif'), ldif.stdout)
    if ((ldif.stdout.match(/^changetype: /gm) ?? []).length !== operations)
      throw new Error('the LDIF of the dry run does not have the records its --json counts')

    say(`floor: ldapmodify, ${operations.toLocaleString('en-US')} change records`)
    const t = performance.now()
    const floorRun = spawnSync(
      'ldapmodify',
      ['-x', '-H', a.url, '-D', a.rootDn, '-w', a.password, '-f', path.join(tmp, 'sync.ldif')],
      {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    )
    const floorMs = performance.now() - t
    if (floorRun.status !== 0) throw new Error(`ldapmodify failed: ${floorRun.stderr}`)

    say(`sync: sapxep sync ldap 1, ${steps.toLocaleString('en-US')} steps`)
    const sync = await mustRun('sync', ['sync', 'ldap', '1', ...conn(b), ...concurrency, '--json'], env)

    say('resume: a sync killed after its first batch, then run again')
    const killed = await killedSync(['sync', 'ldap', '1', ...conn(c), ...concurrency], env)
    if (!killed.killed) throw new Error(`the sync ended before it could be killed: ${killed.stderr}`)
    const afterKill = await mustRun(
      'count',
      ['sync', 'ldap', '1', '--dry-run', '--url', c.url, '--json'],
      env,
    )
    const recordedBeforeResume = afterKill.json.skipped as number
    const resumed = await mustRun('resume', ['sync', 'ldap', '1', ...conn(c), ...concurrency, '--json'], env)

    say('checks: the three directories alike, --check clean, a second sync with nothing to do')
    const same = dump(a) === dump(b) && dump(b) === dump(c)
    const check = await mustRun('check', ['sync', 'ldap', '1', '--check', ...conn(b), '--json'], env, [0, 3])
    const again = await mustRun('again', ['sync', 'ldap', '1', ...conn(b), '--json'], env)

    const result = {
      scale,
      entries_before: before.entries,
      steps,
      ldap_operations: operations,
      seconds: {
        floor_ldapmodify: seconds(floorMs),
        sync: sync.seconds,
        sync_own: seconds(sync.json.ms as number),
        resume_killed_part: seconds(killed.ms),
        resume_rest: resumed.seconds,
        second_sync: again.seconds,
        check: check.seconds,
      },
      ratios: {
        sync_floor: Math.round((sync.seconds / (floorMs / 1000)) * 100) / 100,
        sync_own_floor: Math.round(((sync.json.ms as number) / floorMs) * 100) / 100,
      },
      resume: {
        recorded_before_kill: recordedBeforeResume,
        applied_after: resumed.json.applied as number,
        already_in_place: resumed.json.alreadyInPlace as number,
      },
      checks: {
        directories_alike: same,
        check_clean: check.status === 0,
        second_sync_applied: again.json.applied,
      },
      concurrency: opts.concurrency ? Number(opts.concurrency) : 32,
      target: 'sync ≤ 1.5 × floor',
      machine: {cpus: os.cpus().length, load_start: os.loadavg()[0]},
      when: new Date().toISOString(),
    }
    if (opts.save)
      fs.writeFileSync(
        path.join(ROOT, 'bench/results/sync-ldap.json'),
        JSON.stringify(result, null, 2) + '\n',
      )
    if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n')
    else
      process.stdout.write(
        [
          `sync ldap, Ninh Bình run (scale ${scale}): ${steps.toLocaleString('en-US')} steps, ${operations.toLocaleString('en-US')} LDAP operations`,
          `  floor (ldapmodify -f, same LDIF)   ${result.seconds.floor_ldapmodify.toFixed(2)} s`,
          `  sapxep sync ldap (whole process)   ${result.seconds.sync.toFixed(2)} s   ${result.ratios.sync_floor}× floor (target ≤ 1.5×)`,
          `    of which the sync itself         ${result.seconds.sync_own.toFixed(2)} s   ${result.ratios.sync_own_floor}× floor`,
          `  resume: killed after ${result.seconds.resume_killed_part.toFixed(2)} s with ${recordedBeforeResume.toLocaleString('en-US')} steps recorded; the rest in ${result.seconds.resume_rest.toFixed(2)} s (${result.resume.applied_after.toLocaleString('en-US')} applied, ${result.resume.already_in_place} already in place)`,
          `  second sync (nothing to do)        ${result.seconds.second_sync.toFixed(2)} s`,
          `  check ${check.status === 0 ? 'clean' : 'NOT clean'}; the three directories ${same ? 'alike' : 'DIFFER'}`,
          '',
        ].join('\n'),
      )
    if (!same || check.status !== 0 || again.json.applied !== 0) process.exitCode = 1
  } finally {
    for (const s of servers) s.stop()
    fs.rmSync(tmp, {recursive: true, force: true})
  }
}

await main()
