/**
 * `npm run bench -- [--engine pg|pglite] [--scale F] [--json] [--save]` — the performance benchmark.
 *
 * Builds a registry from the real GSO list of January 2025 and the `national` sample (scale 1: about
 * 55,000 agencies, 1,080,000 accounts, 440,000 mailboxes, 45,000 endpoints), imports the official 2025
 * conversion table into the 34 mappings, and times the CLI a user runs — validate, plan, apply, verify,
 * rollback — with each process's peak RSS. On a copy of the same registry it times the floor (set-based
 * SQL making the same row changes, and their reverse) and a naive row-by-row baseline (sampled,
 * extrapolated). See bench/README.md.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import type {Operation, SignedPlan} from '../src/plan/types.js'
import {ROOT, mustRun, rssMethod, runCli, type CliRun} from './cli.js'
import {
  DEFAULT_PG_URL,
  pgEngine,
  pgliteEngine,
  type BenchTarget,
  type Engine,
  type EngineName,
} from './engines.js'
import {floorApply, floorRollback, runInTransaction, runNaive, sampleOperations} from './floor.js'
import {evaluateTargets, renderTable, type BenchResult} from './report.js'

const USAGE = `Usage: npm run bench -- [options]

  --engine pg|pglite   registry engine (default pg: a fresh database on --pg-url's server)
  --scale F            staff per unit × F (default 1: about 1,000,000 accounts)
  --json               print the result as JSON instead of the table
  --save               also write bench/results/<engine>.json
  --pg-url URL         PostgreSQL server to create the bench databases on
                       (default $SAPXEP_BENCH_PG_URL or ${DEFAULT_PG_URL})
  --naive-sample N     operations run row by row for the naive baseline (default 2000)
  --startup-runs N     runs of \`sapxep --help\` and \`node -e ""\` (median; default 5)
  --keep               keep the bench databases / folders (their location is printed)
`

const GSO = 'data/gso-units-2025-01-04.csv'
const CONVERSION_TABLE = 'data/conversion-table-2025-07-01.csv'

function options() {
  const {values} = parseArgs({
    options: {
      engine: {type: 'string', default: 'pg'},
      scale: {type: 'string', default: '1'},
      json: {type: 'boolean', default: false},
      save: {type: 'boolean', default: false},
      'pg-url': {type: 'string', default: process.env.SAPXEP_BENCH_PG_URL ?? DEFAULT_PG_URL},
      'naive-sample': {type: 'string', default: '2000'},
      'startup-runs': {type: 'string', default: '5'},
      keep: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(USAGE)
    process.exit(0)
  }
  if (values.engine !== 'pg' && values.engine !== 'pglite')
    usage(`--engine must be pg or pglite, got ${values.engine}`)
  const scale = Number(values.scale)
  if (!(scale > 0 && scale <= 20))
    usage(`--scale must be a number above 0 and at most 20, got ${values.scale}`)
  const naive = Number(values['naive-sample'])
  const startupRuns = Number(values['startup-runs'])
  if (!Number.isInteger(naive) || naive < 1) usage('--naive-sample must be a positive integer')
  if (!Number.isInteger(startupRuns) || startupRuns < 1) usage('--startup-runs must be a positive integer')
  return {...values, engine: values.engine as EngineName, scale, naive, startupRuns}
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`)
  process.exit(1)
}

const t0 = Date.now()
function say(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}\n`)
}

/**
 * The CLI runs from dist/: build it when it is missing. When it is older than the sources it is not
 * rebuilt under whoever else uses it; the result says so (`environment.dist_stale`).
 */
function ensureBuilt(): boolean {
  const built = path.join(ROOT, 'dist/commands/index.js')
  const newest = (dir: string): number =>
    fs
      .readdirSync(path.join(ROOT, dir), {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.ts'))
      .reduce((m, f) => Math.max(m, fs.statSync(path.join(ROOT, dir, f)).mtimeMs), 0)
  if (fs.existsSync(built)) {
    const stale = fs.statSync(built).mtimeMs < Math.max(newest('src'), newest('commands'))
    if (stale)
      say('warning: dist/ is older than the sources; run `npm run build` to measure the current code')
    return stale
  }
  say('dist/ is missing: npm run build')
  const r = spawnSync('npm', ['run', 'build'], {cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit']})
  if (r.status !== 0) throw new Error('npm run build failed')
  return false
}

function gitInfo(): {commit: string; local_changes: boolean} {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']})
    const commit = git('rev-parse', 'HEAD').trim()
    const status = git('status', '--porcelain', '--', 'src', 'commands', 'bin', 'package.json')
    return {commit, local_changes: status.trim() !== ''}
  } catch {
    return {commit: 'unknown', local_changes: false}
  }
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function cliStartup(runs: number): Promise<BenchResult['startup']> {
  const help: number[] = []
  const bare: number[] = []
  // One run of each first, untimed, so that both start from a warm file cache.
  for (let i = 0; i <= runs; i++) {
    const h = await runCli(['--help'], {})
    if (h.status !== 0) throw new Error(`sapxep --help failed: ${h.stderr}`)
    const b = await runCli([], {}, {nodeArgs: ['-e', ''], script: null})
    if (i > 0) {
      help.push(h.seconds)
      bare.push(b.seconds)
    }
  }
  return {help_seconds: median(help), node_seconds: median(bare), runs}
}

async function digestOf(target: BenchTarget): Promise<string> {
  const r = await mustRun('registry digest', ['registry', 'digest', '--json', ...target.cliArgs], target.env)
  return r.json.digest
}

/** VACUUM ANALYZE the whole database. */
async function settle(target: BenchTarget): Promise<void> {
  const client = await target.open()
  try {
    await client.query('vacuum analyze')
  } finally {
    await client.close()
  }
}

async function readPlan(file: string): Promise<Operation[]> {
  const plan = JSON.parse(await fs.promises.readFile(file, 'utf8')) as SignedPlan
  return plan.operations
}

function otherEngine(
  engine: EngineName,
  scale: number,
  r: BenchResult['seconds'],
): BenchResult['vs_other_engine'] {
  const other: EngineName = engine === 'pg' ? 'pglite' : 'pg'
  const file = path.join(ROOT, 'bench/results', `${other}.json`)
  if (!fs.existsSync(file)) return undefined
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as BenchResult
    if (saved.scale !== scale) return undefined
    const phases = ['validate', 'plan', 'apply', 'verify', 'rollback'] as const
    // Always PGlite ÷ PostgreSQL, whichever engine ran now.
    const [lite, server] = engine === 'pglite' ? [r, saved.seconds] : [saved.seconds, r]
    return {
      engine: other,
      ratios: Object.fromEntries(phases.map((p) => [p, lite[p] / server[p]])),
    }
  } catch {
    return undefined
  }
}

async function main(): Promise<void> {
  const opts = options()
  const distStale = ensureBuilt()
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-bench-'))
  const engine: Engine =
    opts.engine === 'pg' ? pgEngine(opts['pg-url']!, 'sapxep_bench') : pgliteEngine(path.join(tmp, 'homes'))
  let result: BenchResult
  try {
    result = await bench(opts, engine, await engine.version(), tmp)
    result.environment.dist_stale = distStale
  } finally {
    if (opts.keep) say(`kept: ${tmp}${opts.engine === 'pg' ? ' and the sapxep_bench* databases' : ''}`)
    else {
      await engine.cleanup().catch((err) => say(`cleanup: ${(err as Error).message}`))
      fs.rmSync(tmp, {recursive: true, force: true})
    }
  }
  if (opts.save) {
    const dir = path.join(ROOT, 'bench/results')
    fs.mkdirSync(dir, {recursive: true})
    const file = path.join(dir, `${opts.engine}.json`)
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n')
    say(`saved ${path.relative(ROOT, file)}`)
  }
  process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : renderTable(result))
  const c = result.checks
  if (!c.digest_restored || !c.floor_matches_apply || !c.floor_rollback_restored) process.exitCode = 1
}

async function bench(
  opts: ReturnType<typeof options>,
  engine: Engine,
  database: string,
  tmp: string,
): Promise<BenchResult> {
  const setup: Record<string, number> = {}
  const rss: Record<string, number> = {}
  const timed = async (phase: string, run: Promise<CliRun>): Promise<CliRun> => {
    const r = await run
    rss[phase] = r.rssMb
    say(`${phase}: ${r.seconds.toFixed(2)} s, peak RSS ${Math.round(r.rssMb)} MB`)
    return r
  }

  const loadBefore = os.loadavg()[0]
  say(`engine ${engine.name} (${database}), scale ${opts.scale}; working folder ${tmp}`)
  const main = await engine.fresh('main')
  const mappings = path.join(tmp, 'mappings')
  const planFile = path.join(tmp, 'plan.json')
  const env = main.env
  const args = main.cliArgs

  say(`registry import units ${GSO}`)
  setup.import_units = (
    await mustRun('units import', ['registry', 'import', 'units', GSO, '--json', ...args], env)
  ).seconds
  say(`registry seed --sample national --scale ${opts.scale}`)
  const seeded = await mustRun(
    'seed',
    ['registry', 'seed', '--sample', 'national', '--scale', String(opts.scale), '--json', ...args],
    env,
  )
  setup.seed = seeded.seconds
  say(`mapping import ${CONVERSION_TABLE} → 34 mappings`)
  const imported = await mustRun(
    'mapping import',
    ['mapping', 'import', CONVERSION_TABLE, '--format', 'conversion-table', '--out', mappings, '--json'],
    {},
  )
  setup.mapping_import = imported.seconds
  if (imported.json.files.length !== 34)
    throw new Error(`expected 34 mapping files, got ${imported.json.files.length}`)
  if (engine.name === 'pg') {
    // What autovacuum does to a server's registry soon after a million rows arrive; done now so that it
    // does not start in the middle of a phase. PGlite has no autovacuum: its registry is used as left.
    say('VACUUM ANALYZE')
    const settleStart = Date.now()
    await settle(main)
    setup.vacuum_analyze = (Date.now() - settleStart) / 1000
  }
  const stats = (await mustRun('stats', ['registry', 'stats', '--json', ...args], env)).json
  const before = await digestOf(main)
  say('copying the registry for the floor and the naive baseline')
  const copyStart = Date.now()
  const copy = await engine.copy(main, 'floor')
  setup.copy = (Date.now() - copyStart) / 1000

  // The phases, as a user runs them.
  const validate = await timed(
    'validate',
    mustRun('validate', ['mapping', 'validate', mappings, '--json'], {}),
  )
  const plan = await timed(
    'plan',
    mustRun('plan', ['plan', mappings, '--ignore-expect', '--out', planFile, '--json', ...args], env),
  )
  const apply = await timed('apply', mustRun('apply', ['apply', planFile, '--yes', '--json', ...args], env))
  const run = String(apply.json.run)
  const afterApply = await digestOf(main)
  // Exit 3: verify ran and found violations (the expected counts --ignore-expect let through).
  const verify = await timed('verify', mustRun('verify', ['verify', run, '--json', ...args], env, [0, 3]))
  const rollback = await timed('rollback', mustRun('rollback', ['rollback', run, '--json', ...args], env))
  const afterRollback = await digestOf(main)
  say(`digest after rollback ${afterRollback === before ? 'equals' : 'DIFFERS FROM'} the digest before apply`)

  // The floor and the naive baseline, on the copy.
  say('reading the plan for the floor')
  const ops = await readPlan(planFile)
  const planBytes = fs.statSync(planFile).size
  let client = await copy.open()
  say('floor: set-based apply')
  const floor = await runInTransaction(client, floorApply(ops)).finally(() => client.close())
  say(`floor: ${floor.seconds.toFixed(2)} s`)
  const floorDigest = await digestOf(copy)
  client = await copy.open()
  say('floor: set-based rollback')
  const floorBack = await runInTransaction(client, floorRollback(ops)).finally(() => client.close())
  say(`floor rollback: ${floorBack.seconds.toFixed(2)} s`)
  const floorBackDigest = await digestOf(copy)
  const sample = sampleOperations(ops, opts.naive)
  client = await copy.open()
  say(`naive: ${sample.ops.length} operations row by row`)
  const naive = await runNaive(client, ops, sample).finally(() => client.close())
  say(`naive: ${naive.sampleSeconds.toFixed(2)} s for the sample, ${naive.seconds.toFixed(1)} s extrapolated`)

  say('CLI start-up')
  const startup = await cliStartup(opts.startupRuns)

  const seconds: BenchResult['seconds'] = {
    validate: validate.seconds,
    plan: plan.seconds,
    apply: apply.seconds,
    verify: verify.seconds,
    rollback: rollback.seconds,
    floor: floor.seconds,
    naive: naive.seconds,
    floor_rollback: floorBack.seconds,
    apply_internal: apply.json.seconds,
    rollback_internal: rollback.json.seconds,
    setup,
  }
  const peakPhases = ['validate', 'plan', 'apply', 'verify', 'rollback']
  const failed = (verify.json.checks as {check: string; ok: boolean}[])
    .filter((c) => !c.ok)
    .map((c) => c.check)
  const partial: Omit<BenchResult, 'targets'> = {
    engine: engine.name,
    scale: opts.scale,
    rows: {
      units: stats.units,
      agencies: stats.agencies,
      identifier_codes: seeded.json.rows.identifier_codes,
      accounts: stats.accounts,
      mailboxes: stats.mailboxes,
      endpoints: stats.endpoints,
      operations: ops.length,
    },
    seconds,
    ratios: {
      apply_floor: apply.seconds / floor.seconds,
      rollback_floor: rollback.seconds / floorBack.seconds,
      naive_apply: naive.seconds / apply.seconds,
    },
    peak_rss_mb: Math.max(...peakPhases.map((p) => rss[p])),
    rss_mb: rss,
    startup,
    validation: {errors: validate.json.errors.length, warnings: validate.json.warnings.length},
    plan: {
      operations: ops.length,
      bytes: planBytes,
      warnings: plan.json.warnings.length,
      by_kind: plan.json.summary.byKind,
    },
    naive_sample: {
      method:
        'one statement per operation (one round trip each; unit.update and unit.retire two), no journal, ' +
        'in one transaction rolled back afterwards; time per operation of each kind × the operations of that kind',
      sampled: naive.sampled,
      of: naive.total,
      sample_seconds: naive.sampleSeconds,
      per_kind: naive.perKind,
    },
    floor_statements: {apply: floor.statements, rollback: floorBack.statements},
    checks: {
      digest_restored: afterRollback === before,
      floor_matches_apply: floorDigest === afterApply,
      floor_rollback_restored: floorBackDigest === before,
      verify_ok: verify.json.ok,
      verify_failed: failed,
      verify_checks: verify.json.checks.length,
    },
    digests: {before, after_apply: afterApply, after_rollback: afterRollback},
    vs_other_engine: otherEngine(engine.name, opts.scale, seconds),
    environment: {
      database,
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      rss_method: rssMethod(),
      load_average: {start: loadBefore, end: os.loadavg()[0]},
      ...gitInfo(),
    },
    finished_at: new Date().toISOString(),
  }
  return {...partial, targets: evaluateTargets(partial)}
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`)
  process.exitCode = 1
})
