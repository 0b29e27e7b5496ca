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
import {ROOT, rssMethod} from './cli.js'
import {DEFAULT_PG_URL, pgEngine, pgliteEngine, type Engine, type EngineName} from './engines.js'
import {
  baselines,
  cliPhases,
  cliStartup,
  say,
  setUp,
  type Baselines,
  type CliPhases,
  type Registry,
} from './phases.js'
import {evaluateTargets, renderTable, type BenchResult} from './report.js'

const USAGE = `Usage: npm run bench -- [options]

  --engine pg|pglite   registry engine (default pg: a fresh database on --pg-url's server)
  --scale F            staff per unit × F (default 1: about 1,000,000 accounts)
  --json               print the result as JSON instead of the table
  --save               also write bench/results/<engine>.json
  --pg-url URL         PostgreSQL server to create the bench databases on
                       (default $SAPXEP_BENCH_PG_URL or ${DEFAULT_PG_URL})
  --pg-prefix NAME     name prefix of the bench databases (default sapxep_bench)
  --naive-sample N     operations run row by row for the naive baseline (default 2000)
  --startup-runs N     runs of \`sapxep --help\` and \`node -e ""\` (median; default 5)
  --keep               keep the bench databases / folders (their location is printed)
  --skip-export        leave out the export phase (one province's run exported, and its floor)
`

function options() {
  const {values} = parseArgs({
    options: {
      engine: {type: 'string', default: 'pg'},
      scale: {type: 'string', default: '1'},
      json: {type: 'boolean', default: false},
      save: {type: 'boolean', default: false},
      'pg-url': {type: 'string', default: process.env.SAPXEP_BENCH_PG_URL ?? DEFAULT_PG_URL},
      'pg-prefix': {type: 'string', default: 'sapxep_bench'},
      'naive-sample': {type: 'string', default: '2000'},
      'startup-runs': {type: 'string', default: '5'},
      keep: {type: 'boolean', default: false},
      'skip-export': {type: 'boolean', default: false},
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
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(values['pg-prefix']!))
    usage('--pg-prefix must be lower-case letters, digits and underscores (a database name)')
  return {...values, engine: values.engine as EngineName, scale, naive, startupRuns}
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`)
  process.exit(1)
}

/**
 * The CLI runs from dist/: build it when it is missing. When it is older than the sources it is not
 * rebuilt under whoever else uses it; the result says so (`environment.dist_stale`).
 */
function ensureBuilt(): boolean {
  const built = path.join(ROOT, 'dist/commands/apply.js')
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
    opts.engine === 'pg'
      ? pgEngine(opts['pg-url']!, opts['pg-prefix']!)
      : pgliteEngine(path.join(tmp, 'homes'))
  let result: BenchResult
  try {
    result = await bench(opts, engine, await engine.version(), tmp)
    result.environment.dist_stale = distStale
  } finally {
    if (opts.keep)
      say(`kept: ${tmp}${opts.engine === 'pg' ? ` and the ${opts['pg-prefix']}* databases` : ''}`)
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
  const loadBefore = os.loadavg()[0]
  say(`engine ${engine.name} (${database}), scale ${opts.scale}; working folder ${tmp}`)
  const registry = await setUp(engine, opts.scale, tmp)
  const cli = await cliPhases(registry, {skipExport: opts['skip-export']})
  const base = await baselines(registry, opts.naive)
  say('CLI start-up')
  const startup = await cliStartup(opts.startupRuns)
  const run = {engine: engine.name, scale: opts.scale, database, loadBefore, startup}
  return benchResult(run, registry, cli, base)
}

/** The measurements as the result's JSON, with the targets evaluated. */
function benchResult(
  run: {
    engine: EngineName
    scale: number
    database: string
    loadBefore: number
    startup: BenchResult['startup']
  },
  registry: Registry,
  cli: CliPhases,
  base: Baselines,
): BenchResult {
  const {validate, plan, apply, verify, rollback, rss} = cli
  const {ops, floor, floorBack, naive} = base
  const {stats, before} = registry
  const seconds: BenchResult['seconds'] = {
    validate: validate.seconds,
    plan: plan.seconds,
    apply: apply.seconds,
    verify: verify.seconds,
    ...(cli.export && cli.exportFloor
      ? {export: cli.export.seconds, export_floor: cli.exportFloor.seconds}
      : {}),
    rollback: rollback.seconds,
    floor: floor.seconds,
    naive: naive.seconds,
    floor_rollback: floorBack.seconds,
    apply_internal: apply.json.seconds,
    rollback_internal: rollback.json.seconds,
    setup: registry.seconds,
  }
  const peakPhases = ['validate', 'plan', 'apply', 'verify', 'rollback', ...(cli.export ? ['export'] : [])]
  const failed = (verify.json.checks as {check: string; ok: boolean}[])
    .filter((c) => !c.ok)
    .map((c) => c.check)
  const partial: Omit<BenchResult, 'targets'> = {
    engine: run.engine,
    scale: run.scale,
    rows: {
      units: stats.units,
      agencies: stats.agencies,
      identifier_codes: registry.identifierCodes,
      accounts: stats.accounts,
      mailboxes: stats.mailboxes,
      endpoints: stats.endpoints,
      operations: ops.length,
    },
    seconds,
    ratios: {
      apply_floor: apply.seconds / floor.seconds,
      rollback_floor: rollback.seconds / floorBack.seconds,
      ...(cli.export && cli.exportFloor ? {export_floor: cli.export.seconds / cli.exportFloor.seconds} : {}),
      naive_apply: naive.seconds / apply.seconds,
    },
    peak_rss_mb: Math.max(...peakPhases.map((p) => rss[p])),
    rss_mb: rss,
    cpu_seconds: cli.cpu,
    startup: run.startup,
    ...(cli.exportFloor
      ? {
          export_floor: {
            journal_rows: cli.exportFloor.journalRows,
            files: cli.exportFloor.files,
            bytes: cli.exportFloor.bytes,
          },
        }
      : {}),
    validation: {errors: validate.json.errors.length, warnings: validate.json.warnings.length},
    plan: {
      operations: ops.length,
      bytes: base.planBytes,
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
      digest_restored: cli.afterRollback === before,
      floor_matches_apply: base.floorDigest === cli.afterApply,
      floor_rollback_restored: base.floorBackDigest === before,
      verify_ok: verify.json.ok,
      verify_failed: failed,
      verify_checks: verify.json.checks.length,
    },
    digests: {before, after_apply: cli.afterApply, after_rollback: cli.afterRollback},
    vs_other_engine: otherEngine(run.engine, run.scale, seconds),
    environment: {
      database: run.database,
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      memory_gb: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      rss_method: rssMethod(),
      load_average: {start: run.loadBefore, end: os.loadavg()[0]},
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
