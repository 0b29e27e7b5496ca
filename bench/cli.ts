/**
 * Run the real CLI (`node bin/run.js …`) as a user does, one process per phase, measuring its wall time
 * and peak resident memory. Peak RSS comes from GNU time (`/usr/bin/time -f %M`) when it is there,
 * otherwise from a preload that records `process.resourceUsage().maxRSS` as the process exits.
 */
import {spawn, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'

export const ROOT = path.resolve(import.meta.dirname, '..')
const BIN = path.join(ROOT, 'bin/run.js')
const PRELOAD = path.join(import.meta.dirname, 'rss-preload.mjs')

export interface CliRun {
  args: string[]
  status: number
  seconds: number
  /** Peak resident set size of the CLI process, MB (1 MB = 1,048,576 bytes). */
  rssMb: number
  /** CPU seconds the CLI process used (user + system): what a busy machine inflates least. */
  cpuSeconds: number
  stdout: string
  stderr: string
  // The CLI's --json output, as each command documents it; read field by field by the bench.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any
}

let gnuTime: boolean | undefined
/** Whether `/usr/bin/time` is GNU time (it understands -f and -o). */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', '/dev/null', 'true'], {stdio: 'ignore'})
    gnuTime = r.status === 0
  }
  return gnuTime
}

export function rssMethod(): string {
  return hasGnuTime() ? 'GNU time %M' : 'process.resourceUsage().maxRSS at exit'
}

let counter = 0

/** Run `node [nodeArgs] bin/run.js args…`; resolves with the measurements whatever the exit status. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  opts: {nodeArgs?: string[]; script?: string | null} = {},
): Promise<CliRun> {
  const rssFile = path.join(os.tmpdir(), `sapxep-bench-rss-${process.pid}-${++counter}`)
  const script = opts.script === undefined ? [BIN] : opts.script === null ? [] : [opts.script]
  let command = process.execPath
  let argv = [...(opts.nodeArgs ?? []), ...script, ...args]
  const childEnv: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', ...env}
  // The registry is chosen by the bench alone.
  if (!('SAPXEP_HOME' in env)) delete childEnv.SAPXEP_HOME
  delete childEnv.DATABASE_URL
  if (hasGnuTime()) {
    argv = ['-f', '%M %U %S', '-o', rssFile, command, ...argv]
    command = '/usr/bin/time'
  } else {
    argv = ['--import', PRELOAD, ...argv]
    childEnv.SAPXEP_BENCH_RSS_FILE = rssFile
  }
  const started = performance.now()
  const child = spawn(command, argv, {cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe']})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (b: Buffer) => out.push(b))
  child.stderr.on('data', (b: Buffer) => err.push(b))
  const status = await new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve(code ?? -1))
  })
  const seconds = (performance.now() - started) / 1000
  let rssKb = NaN
  let cpuSeconds = NaN
  try {
    // GNU time writes "Command exited with non-zero status N" before the figures when the status is not 0.
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n')
    const [rss, user, system] = lines[lines.length - 1].split(' ').map(Number)
    rssKb = rss
    cpuSeconds = user + system
    fs.rmSync(rssFile, {force: true})
  } catch {
    /* the process died before it could say */
  }
  const stdout = Buffer.concat(out).toString('utf8')
  let json: CliRun['json']
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return {
    args,
    status,
    seconds,
    rssMb: rssKb / 1024,
    cpuSeconds,
    stdout,
    stderr: Buffer.concat(err).toString('utf8'),
    json,
  }
}

/** A CLI run that must succeed (exit status in `ok`); otherwise the bench stops with the CLI's message. */
export async function mustRun(
  label: string,
  args: string[],
  env: Record<string, string>,
  ok: number[] = [0],
): Promise<CliRun> {
  const r = await runCli(args, env)
  if (!ok.includes(r.status)) {
    const message = r.json?.error?.message ?? (r.stderr.trim() || r.stdout.trim()).slice(-2000)
    throw new Error(`${label} failed (exit ${r.status}): sapxep ${args.join(' ')}\n${message}`)
  }
  return r
}
