import {spawnSync} from 'node:child_process'
import path from 'node:path'

const BIN = path.resolve(import.meta.dirname, '../../bin/run.js')

export interface CliResult {
  status: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON, when it is: each command's own shape, which the tests' assertions check. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any command's JSON by path
  json: any
}

/** Run the built CLI as a user would (a separate process); parses stdout as JSON when it is JSON. */
export function runCli(args: string[], env: Record<string, string> = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    // NODE_ENV=production: vitest sets it to "test", which makes oclif look for TypeScript sources.
    env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production', ...env},
    input,
    maxBuffer: 256 * 1024 * 1024,
  })
  let json: CliResult['json']
  try {
    json = JSON.parse(r.stdout)
  } catch {
    json = undefined
  }
  return {status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json}
}
