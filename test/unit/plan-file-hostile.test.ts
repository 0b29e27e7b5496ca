import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {describeGroup} from '../../src/apply/stale.js'
import {SapxepError} from '../../src/errors.js'
import {planFileText, readPlanFile} from '../../src/plan/file.js'
import {samplePlan} from '../helpers/plan-fixtures.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-hostile-plan-'))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

async function refusal(file: string): Promise<SapxepError> {
  const err = await readPlanFile(file).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(SapxepError)
  return err as SapxepError
}

describe('plan files a hostile or careless hand made', () => {
  it('approvals given as an object: refused as a tampered plan (exit 6), not an unexpected error', async () => {
    const file = path.join(dir, 'object-approvals.json')
    const plan = JSON.parse(planFileText(samplePlan())) as Record<string, unknown>
    fs.writeFileSync(file, JSON.stringify({...plan, approvals: {key: 'x', signature: 'y'}}))
    const err = await refusal(file)
    expect(err.exitCode).toBe(6)
    expect(err.message).toBe(`${file}: "approvals" must be a list of signatures`)
  })

  it('a duplicate key (JSON.parse keeps the last one) is refused with its position, exit 6', async () => {
    const file = path.join(dir, 'duplicate.json')
    const text = planFileText(samplePlan())
    // A second "format_version" whose value hides the first; the digest still matches what JSON.parse keeps.
    fs.writeFileSync(file, text.replace('{', '{\n"format_version": "other",'))
    const err = await refusal(file)
    expect(err.exitCode).toBe(6)
    expect(err.message).toMatch(new RegExp(`^${file}:\\d+:\\d+: a key appears twice in one object`))
  })

  it('a plan too large to read (600 MB) is refused by its size before it is read', async () => {
    const file = path.join(dir, 'huge.json')
    fs.writeFileSync(file, '{')
    fs.truncateSync(file, 600 * 2 ** 20) // sparse: no disk used
    const err = await refusal(file)
    expect(err.message).toMatch(/is 600 MB, more than the \d+ MB this sapxep can read/)
  })

  it('stale groups that hang on no unit are said in words, not "of unit -"', () => {
    expect(describeGroup('taken', '-', 'added')).toBe(
      'usernames or addresses the plan chose as free are taken now',
    )
    expect(describeGroup('identifier_codes', '-', 'changed')).toBe(
      'identifier codes held by no agency of the mapping: rows changed',
    )
    expect(describeGroup('accounts', '13285', 'removed')).toBe('accounts of unit 13285: rows removed')
  })
})
