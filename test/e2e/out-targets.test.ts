import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-out-cli-'))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

describe('--out targets from the CLI', () => {
  it('the CLI says so with exit 1 before any work (plan needs no registry to refuse)', () => {
    const r = runCli(['plan', 'mappings/2025/37-ninh-binh.yaml', '--out', '/dev/full', '--json'])
    expect(r.status).toBe(1)
    expect(r.json.error.message).toBe('--out /dev/full is a device; give the path of a file to write')
    const s = runCli(['show', 'no-such.plan.json', '--out', path.join(dir, 'nope', 'x.html')])
    expect(s.status).toBe(1)
    expect(s.stderr).toContain(`the folder ${path.join(dir, 'nope')} does not exist`)
    expect(s.stderr).not.toMatch(/\n\s+at /)
  })
})
