import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {SapxepError} from '../../src/errors.js'
import {importMappings} from '../../src/mapping/import.js'
import {writeOutputText} from '../../src/output.js'
import {generateApprovalKey} from '../../src/plan/approvals.js'
import {writePlanFile} from '../../src/plan/file.js'
import {samplePlan} from '../helpers/plan-fixtures.js'
import {DATA} from '../helpers/registry.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-out-'))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

async function refusal(p: Promise<unknown> | (() => unknown)): Promise<string> {
  const err = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SapxepError)
  return (err as Error).message
}

describe('--out targets (plan, show, mapping import, keygen)', () => {
  it('a device is refused and left a device (as root, /dev/full was replaced by a 61 KB file)', async () => {
    expect(await refusal(writePlanFile('/dev/full', samplePlan()))).toBe(
      '--out /dev/full is a device; give the path of a file to write',
    )
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true)
    expect(await refusal(writeOutputText('/dev/null', 'x'))).toContain('is a device')
    expect(await refusal(() => generateApprovalKey('/dev/full', 'k'))).toBe('--out /dev/full is not a folder')
  })

  it('a directory is refused and nothing is left beside it', async () => {
    const target = fs.mkdirSync(path.join(dir, 'plans'), {recursive: true})!
    expect(await refusal(writePlanFile(target, samplePlan()))).toBe(
      `--out ${target} is a directory; give the path of a file to write`,
    )
    expect(fs.readdirSync(dir)).toEqual(['plans'])
    expect(fs.readdirSync(target)).toEqual([])
  })

  it('a missing folder is named, not a stack trace', async () => {
    const target = path.join(dir, 'missing', 'plan.json')
    expect(await refusal(writePlanFile(target, samplePlan()))).toBe(
      `--out ${target}: the folder ${path.join(dir, 'missing')} does not exist`,
    )
    expect(await refusal(writeOutputText(target, 'html'))).toContain('does not exist')
  })

  it('mapping import refuses a folder that is a file, and a target in it that is a directory, writing nothing', async () => {
    const file = path.join(dir, 'not-a-folder')
    fs.writeFileSync(file, 'x')
    const table = path.join(DATA, 'conversion-table-2025-07-01.csv')
    expect(
      await refusal(importMappings(table, {format: 'conversion-table', outDir: file, province: '37'})),
    ).toBe(`--out ${file} is not a folder`)
    const out = fs.mkdirSync(path.join(dir, 'mappings'), {recursive: true})!
    fs.mkdirSync(path.join(out, '37-ninh-binh.yaml'))
    expect(await refusal(importMappings(table, {format: 'conversion-table', outDir: out}))).toContain(
      'is a directory',
    )
    expect(fs.readdirSync(out)).toEqual(['37-ninh-binh.yaml'])
  })
})
