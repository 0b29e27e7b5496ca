import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ExitCode, SapxepError} from '../../src/errors.js'
import {planBody, readPlanFile, signPlanDigest, writePlanFile} from '../../src/plan/file.js'
import {samplePlan} from '../helpers/plan-fixtures.js'

let dir: string
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-plan-file-'))))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

async function readError(file: string): Promise<SapxepError> {
  const err = await readPlanFile(file).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(SapxepError)
  return err as SapxepError
}

describe('readPlanFile', () => {
  it('reads back what writePlanFile wrote, digest and operations unchanged', async () => {
    const plan = samplePlan()
    const file = path.join(dir, 'plan.json')
    await writePlanFile(file, plan)
    const read = await readPlanFile(file)
    expect(read.digest).toBe(plan.digest)
    expect(read.operations).toEqual(plan.operations)
  })

  it('reads back a written plan member for member: escapes, Vietnamese text, approvals, no operations', async () => {
    const sample = samplePlan()
    const note = 'Phường "Hạ Long"\nline two \\ tab\t'
    const withText = signPlanDigest({
      ...planBody(sample),
      operations: sample.operations.map((op, i) => (i === 0 ? {...op, note} : op)),
    })
    const approvals = [
      {key: 'sha256:k', public_key: 'PEM', signature: 'c2ln', signed_at: '2025-07-01T00:00:00Z'},
    ]
    const empty = signPlanDigest({...planBody(sample), operations: []})
    for (const plan of [withText, {...withText, approvals}, empty]) {
      const file = path.join(dir, 'members.json')
      await writePlanFile(file, plan)
      expect(fs.readFileSync(file, 'utf8').split('\n').length).toBe(
        plan.operations.length + 3 - (plan.operations.length ? 0 : 1),
      )
      expect(await readPlanFile(file)).toEqual(plan)
    }
  })

  it('accepts a re-indented plan: the digest is over the canonical body, not the layout', async () => {
    const file = path.join(dir, 'pretty.json')
    fs.writeFileSync(file, JSON.stringify(samplePlan(), null, 2))
    expect((await readPlanFile(file)).digest).toBe(samplePlan().digest)
  })

  it('refuses a plan whose body changed, whatever its layout (exit 6)', async () => {
    const plan = samplePlan()
    const file = path.join(dir, 'altered.json')
    await writePlanFile(file, plan)
    const text = fs.readFileSync(file, 'utf8')
    const victim = plan.operations[0].op
    fs.writeFileSync(
      file,
      text.replace(`"op":"${victim}"`, `"op":"${victim}" `).replace('"before":{', '"before":{"x":1,'),
    )
    const err = await readError(file)
    expect(err.exitCode).toBe(ExitCode.tampered)
    expect(err.message).toContain(`its digest says ${plan.digest}`)
  })

  it('refuses a plan of another format version with a message, not a crash', async () => {
    const file = path.join(dir, 'old.json')
    fs.writeFileSync(file, JSON.stringify({...samplePlan(), format_version: 'sapxep.plan/1'}))
    const err = await readError(file)
    expect(err.message).toBe(`${file} has plan format "sapxep.plan/1"; this sapxep reads sapxep.plan/2`)
    expect(err.exitCode).toBe(ExitCode.invalid)
  })
})
