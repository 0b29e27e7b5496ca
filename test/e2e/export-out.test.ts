import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {freshRegistryTarget, type TestRegistryTarget} from '../helpers/registry.js'

// `export --out` against the checks every --out got (issue 13, defect 2): a device, a file, a folder
// with something in it, a symbolic link, a missing parent folder — each refused before any work, with
// the path named, nothing replaced or created, nothing left behind; a failure after the check leaves
// nothing either.

describe('export --out targets', () => {
  let target: TestRegistryTarget
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-export-out-'))
  const exportTo = (out: string, run = '1') =>
    runCli(['export', run, '--out', out, ...target.cliArgs], target.env)

  beforeAll(async () => {
    target = await freshRegistryTarget()
  })
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  /** Exit 1 with `message` on one line, no stack, and the folder holding exactly what it held. */
  function expectRefused(out: string, message: string): void {
    const before = fs.readdirSync(dir).sort()
    const r = exportTo(out)
    expect(r.status, r.stderr).toBe(1)
    expect(r.stderr).toContain(`Error: ${message}`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(fs.readdirSync(dir).sort()).toEqual(before)
  }

  it('refuses a device, a file, a folder that is not empty and a symbolic link, before any work', () => {
    expectRefused('/dev/full', '--out /dev/full is a device; give a new or empty folder')
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true)

    const file = path.join(dir, 'notes.txt')
    fs.writeFileSync(file, 'kept')
    expectRefused(file, `--out ${file} is a file; give a new or empty folder`)
    expect(fs.readFileSync(file, 'utf8')).toBe('kept')

    const full = path.join(dir, 'full')
    fs.mkdirSync(full)
    fs.writeFileSync(path.join(full, 'old.csv'), 'kept')
    expectRefused(full, `--out ${full} is a folder that is not empty; give a new or empty folder`)
    expect(fs.readdirSync(full)).toEqual(['old.csv'])

    const empty = path.join(dir, 'empty')
    fs.mkdirSync(empty)
    const link = path.join(dir, 'link')
    fs.symlinkSync(empty, link)
    expectRefused(link, `--out ${link} is a symbolic link; give a new or empty folder`)
    expect(fs.readlinkSync(link)).toBe(empty)
  })

  it('refuses a folder whose parent does not exist, creating nothing (not even the parent)', () => {
    const out = path.join(dir, 'missing', 'handoff')
    expectRefused(out, `--out ${out}: the folder ${path.join(dir, 'missing')} does not exist`)
    expect(fs.existsSync(path.join(dir, 'missing'))).toBe(false)
  })

  it('a failure after the check (no such run) leaves neither the folder nor a staging folder behind', () => {
    const out = path.join(dir, 'handoff')
    const before = fs.readdirSync(dir).sort()
    const r = exportTo(out, '99')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain('no run 99 in the registry')
    expect(fs.readdirSync(dir).sort()).toEqual(before)
    // An empty folder given as --out is left as it was.
    const empty = path.join(dir, 'empty')
    expect(exportTo(empty, '99').status).toBe(1)
    expect(fs.readdirSync(empty)).toEqual([])
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([])
  })
})
