/**
 * The benchmark's phases, in the order they run: make the registry (units, national sample, the 34
 * mappings, a copy), time the CLI as a user runs it, then the floor and the naive baseline on the copy,
 * then CLI start-up. Each phase says what it does on stderr and returns its measurements.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Operation, SignedPlan} from '../src/plan/types.js'
import {mustRun, runCli, type CliRun} from './cli.js'
import type {BenchTarget, Engine} from './engines.js'
import {exportFloor, type ExportFloor} from './export-floor.js'
import {
  floorApply,
  floorRollback,
  runInTransaction,
  runNaive,
  sampleOperations,
  type NaiveResult,
  type Timed,
} from './floor.js'
import type {BenchResult} from './report.js'

// The last GSO list before the reform: every 2025 mapping holds against it (data/PROVENANCE.md).
const GSO = 'data/gso-units-2025-03-01.csv'
const CONVERSION_TABLE = 'data/conversion-table-2025-07-01.csv'

const t0 = Date.now()
export function say(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${message}\n`)
}

/** The registry the phases run on, its copy for the floor, and what making them measured. */
export interface Registry {
  main: BenchTarget
  copy: BenchTarget
  mappings: string
  planFile: string
  /** `registry stats --json` of the registry made. */
  stats: CliRun['json']
  identifierCodes: number
  /** `registry digest` before apply. */
  before: string
  /** Seconds of each setup step. */
  seconds: Record<string, number>
}

export async function setUp(engine: Engine, scale: number, tmp: string): Promise<Registry> {
  const seconds: Record<string, number> = {}
  const main = await engine.fresh('main')
  const mappings = path.join(tmp, 'mappings')
  const planFile = path.join(tmp, 'plan.json')
  const env = main.env
  const args = main.cliArgs

  say(`registry import units ${GSO}`)
  seconds.import_units = (
    await mustRun('units import', ['registry', 'import', 'units', GSO, '--json', ...args], env)
  ).seconds
  say(`registry seed --sample national --scale ${scale}`)
  const seeded = await mustRun(
    'seed',
    ['registry', 'seed', '--sample', 'national', '--scale', String(scale), '--json', ...args],
    env,
  )
  seconds.seed = seeded.seconds
  say(`mapping import ${CONVERSION_TABLE} → 34 mappings`)
  const imported = await mustRun(
    'mapping import',
    ['mapping', 'import', CONVERSION_TABLE, '--format', 'conversion-table', '--out', mappings, '--json'],
    {},
  )
  seconds.mapping_import = imported.seconds
  if (imported.json.files.length !== 34)
    throw new Error(`expected 34 mapping files, got ${imported.json.files.length}`)
  if (engine.name === 'pg') {
    // What autovacuum does to a server's registry soon after a million rows arrive; done now so that it
    // does not start in the middle of a phase. PGlite has no autovacuum: its registry is used as left.
    say('VACUUM ANALYZE')
    const settleStart = Date.now()
    await settle(main)
    seconds.vacuum_analyze = (Date.now() - settleStart) / 1000
  }
  const stats = (await mustRun('stats', ['registry', 'stats', '--json', ...args], env)).json
  const before = await digestOf(main)
  say('copying the registry for the floor and the naive baseline')
  const copyStart = Date.now()
  const copy = await engine.copy(main, 'floor')
  seconds.copy = (Date.now() - copyStart) / 1000
  const identifierCodes = seeded.json.rows.identifier_codes
  return {main, copy, mappings, planFile, stats, identifierCodes, before, seconds}
}

/** The timed CLI runs, and the registry digests after apply and after rollback. */
export interface CliPhases {
  validate: CliRun
  plan: CliRun
  apply: CliRun
  verify: CliRun
  /** `export RUN` of one province's run, and its floor (./export-floor.ts); not with --skip-export. */
  export?: CliRun
  exportFloor?: ExportFloor
  rollback: CliRun
  /** Peak RSS of each phase, MB. */
  rss: Record<string, number>
  /** CPU seconds of each phase's process (user + system). */
  cpu: Record<string, number>
  afterApply: string
  afterRollback: string
}

/** The phases, as a user runs them. */
export async function cliPhases(reg: Registry, opts: {skipExport?: boolean} = {}): Promise<CliPhases> {
  const {main, mappings, planFile} = reg
  const env = main.env
  const args = main.cliArgs
  const rss: Record<string, number> = {}
  const cpu: Record<string, number> = {}
  const timed = async (phase: string, run: Promise<CliRun>): Promise<CliRun> => {
    const r = await run
    rss[phase] = r.rssMb
    cpu[phase] = r.cpuSeconds
    say(
      `${phase}: ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(r.rssMb)} MB`,
    )
    return r
  }
  const validate = await timed(
    'validate',
    mustRun('validate', ['mapping', 'validate', mappings, '--json'], {}),
  )
  const plan = await timed(
    'plan',
    mustRun('plan', ['plan', mappings, '--out', planFile, '--json', ...args], env),
  )
  const apply = await timed('apply', mustRun('apply', ['apply', planFile, '--yes', '--json', ...args], env))
  const run = String(apply.json.run)
  const afterApply = await digestOf(main)
  // Exit 3: verify ran and found violations; the report lists them rather than stopping here.
  const verify = await timed('verify', mustRun('verify', ['verify', run, '--json', ...args], env, [0, 3]))
  const rollback = await timed(
    'rollback',
    mustRun('rollback', ['rollback', run, '--yes', '--json', ...args], env),
  )
  const afterRollback = await digestOf(main)
  say(
    `digest after rollback ${afterRollback === reg.before ? 'equals' : 'DIFFERS FROM'} the digest before apply`,
  )
  const {exported, floorOfExport} = opts.skipExport ? {} : await exportPhase(reg, timed)
  return {
    validate,
    plan,
    apply,
    verify,
    export: exported,
    exportFloor: floorOfExport,
    rollback,
    rss,
    cpu,
    afterApply,
    afterRollback,
  }
}

/**
 * `export` as a province runs it: one province's run (Ninh Bình's mapping planned and applied on the
 * registry as it was, then rolled back, untimed), its files timed against the floor. The national run's
 * export is not a use anyone has: each province hands its own run to its systems.
 */
async function exportPhase(
  reg: Registry,
  timed: (phase: string, run: Promise<CliRun>) => Promise<CliRun>,
): Promise<{exported: CliRun; floorOfExport: ExportFloor}> {
  const {main, mappings, planFile} = reg
  const args = main.cliArgs
  const work = path.dirname(planFile)
  const provincePlan = path.join(work, 'ninh-binh.plan.json')
  const exportDir = path.join(work, 'export')
  const floorDir = path.join(work, 'export-floor')
  say('export: the Ninh Bình mapping planned and applied (untimed)')
  await mustRun(
    'plan',
    ['plan', path.join(mappings, EXPORT_MAPPING), '--out', provincePlan, ...args],
    main.env,
  )
  const applied = await mustRun('apply', ['apply', provincePlan, '--yes', '--json', ...args], main.env)
  const run = String(applied.json.run)
  const exported = await timed(
    'export',
    mustRun('export', ['export', run, '--out', exportDir, '--json', ...args], main.env),
  )
  const floorOfExport = await exportFloor(main, Number(run), exportDir, floorDir)
  say(
    `export floor: ${floorOfExport.seconds.toFixed(2)} s (${floorOfExport.journalRows.toLocaleString('en-US')} journal rows read, ` +
      `${floorOfExport.files} files, ${(floorOfExport.bytes / 1048576).toFixed(0)} MB written)`,
  )
  await mustRun('rollback', ['rollback', run, '--yes', ...args], main.env)
  for (const f of [provincePlan, exportDir, floorDir]) fs.rmSync(f, {recursive: true, force: true})
  return {exported, floorOfExport}
}

/** The province whose run the bench exports (the one `npm run bench:sync` syncs). */
const EXPORT_MAPPING = '37-ninh-binh.yaml'

/** The floor (set-based SQL, and its reverse) and the naive baseline, with the copy's digests. */
export interface Baselines {
  ops: Operation[]
  planBytes: number
  floor: Timed
  floorBack: Timed
  floorDigest: string
  floorBackDigest: string
  naive: NaiveResult
}

/** The floor and the naive baseline, on the copy, over the plan the CLI made. */
export async function baselines(reg: Registry, naiveSample: number): Promise<Baselines> {
  const {copy, planFile} = reg
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
  const sample = sampleOperations(ops, naiveSample)
  client = await copy.open()
  say(`naive: ${sample.ops.length} operations row by row`)
  const naive = await runNaive(client, ops, sample).finally(() => client.close())
  say(`naive: ${naive.sampleSeconds.toFixed(2)} s for the sample, ${naive.seconds.toFixed(1)} s extrapolated`)
  return {ops, planBytes, floor, floorBack, floorDigest, floorBackDigest, naive}
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export async function cliStartup(runs: number): Promise<BenchResult['startup']> {
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
