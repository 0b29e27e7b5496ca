import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

const INTERRUPT = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/src/cli/interrupt.js')).href

/** A process that runs a write under withInterrupt, is sent Ctrl-C `when`, then reports and exits. */
function run(when: 'during' | 'after'): {status: number | null; signal: string | null; stdout: string} {
  const script = `
    import {withInterrupt} from ${JSON.stringify(INTERRUPT)}
    const ctrlC = () => process.kill(process.pid, 'SIGINT')
    const result = await withInterrupt(async (signal) => {
      if (${JSON.stringify(when)} === 'during') {
        ctrlC()
        await new Promise((r) => setTimeout(r, 50))
        return signal.aborted ? 'interrupted' : 'not interrupted'
      }
      return 'committed'
    })
    if (${JSON.stringify(when)} === 'after') {
      ctrlC()
      await new Promise((r) => setTimeout(r, 50))
    }
    console.log(result)`
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'})
  return {status: r.status, signal: r.signal, stdout: r.stdout.trim()}
}

describe('Ctrl-C around a registry write', () => {
  it('during the write: the write is told to stop', () => {
    expect(run('during')).toEqual({status: 0, signal: null, stdout: 'interrupted'})
  })

  it('after the write has ended: the command still reports it (a rollback done in 1.5 s was killed mid-report)', () => {
    expect(run('after')).toEqual({status: 0, signal: null, stdout: 'committed'})
  })
})
