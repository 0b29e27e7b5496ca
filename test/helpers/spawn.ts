import {spawn} from 'node:child_process'
import path from 'node:path'

const BIN = path.resolve(import.meta.dirname, '../../bin/run.js')

export interface Started {
  child: ReturnType<typeof spawn>
  done: Promise<{status: number | null; signal: string | null; stdout: string; stderr: string}>
  stderr: () => string
}

/** Start the CLI without waiting: `done` resolves with its exit code and output. */
export function startCli(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {...process.env, NO_COLOR: '1', NODE_ENV: 'production', ...env},
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<Awaited<Started['done']>>((resolve) =>
    child.on('close', (status, signal) => resolve({status, signal, stdout, stderr})),
  )
  return {child, done, stderr: () => stderr}
}

/** Resolve once the child's stderr matches `pattern`; reject if it ends first. */
export function waitForStderr(run: Started, pattern: RegExp): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (pattern.test(run.stderr())) {
        clearInterval(timer)
        resolve()
      }
    }, 5)
    void run.done.then(() => {
      clearInterval(timer)
      if (!pattern.test(run.stderr())) reject(new Error(`ended before ${pattern}: ${run.stderr()}`))
    })
  })
}
