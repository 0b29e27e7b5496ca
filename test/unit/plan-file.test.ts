import {createHash} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ExitCode, SapxepError} from '../../src/errors.js'
import {planBody, readPlanFile, signPlanDigest, writePlanFile} from '../../src/plan/file.js'
import {operationsByKind, sortOperations} from '../../src/plan/order.js'
import type {SignedPlan} from '../../src/plan/types.js'
import {samplePlan} from '../helpers/plan-fixtures.js'

let dir: string
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-plan-file-'))))
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

async function readError(file: string): Promise<SapxepError> {
  const err = await readPlanFile(file).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(SapxepError)
  return err as SapxepError
}

// The fixture lists its operations as written by hand; the planner writes them in apply order.
const inPlanOrder = (plan: SignedPlan): SignedPlan =>
  signPlanDigest({...planBody(plan), operations: sortOperations(plan.operations)})

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

  it('streamed (as apply reads it): the same operations, kind by kind in apply order, for any layout', async () => {
    const plan = inPlanOrder(samplePlan())
    const written = path.join(dir, 'streamed.json')
    await writePlanFile(written, plan)
    const pretty = path.join(dir, 'streamed-pretty.json')
    fs.writeFileSync(pretty, JSON.stringify(plan, null, 2))
    const byKind = [...operationsByKind(plan.operations)]
    for (const file of [written, pretty]) {
      const streamed = await readPlanFile(file, {stream: true})
      expect(streamed.digest).toBe(plan.digest)
      expect(streamed.operations.count).toBe(plan.operations.length)
      const kinds: [string, unknown[]][] = []
      const it = streamed.operations.kinds()
      for (let next = it.next(); !next.done; next = it.next()) kinds.push(next.value)
      expect(kinds).toEqual(byKind)
    }
  })

  it('streamed: a file hashed anew with its kinds out of apply order is refused at that operation (exit 6)', async () => {
    const plan = inPlanOrder(samplePlan())
    const file = path.join(dir, 'out-of-order.json')
    await writePlanFile(file, plan)
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    // The first operation moved to the end of the list; the digest made to match the new bytes.
    const ops = lines.slice(1, -2).map((l) => l.replace(/,$/, ''))
    const moved = [...ops.slice(1), ops[0]]
    const body = [
      lines[0],
      moved.join(',\n'),
      lines.at(-2)!.slice(0, lines.at(-2)!.indexOf(',"digest":')),
    ].join('\n')
    const digest = `sha256:${createHash('sha256')
      .update(body + '}')
      .digest('hex')}`
    fs.writeFileSync(file, `${body},"digest":${JSON.stringify(digest)}}\n`)
    const streamed = await readPlanFile(file, {stream: true})
    const it = streamed.operations.kinds()
    const err = (() => {
      try {
        for (let next = it.next(); !next.done; next = it.next());
      } catch (e) {
        return e
      }
    })() as SapxepError
    expect(err).toBeInstanceOf(SapxepError)
    expect(err.exitCode).toBe(ExitCode.tampered)
    expect(err.message).toMatch(
      new RegExp(
        `^${file}: operation \\d+ is not as sapxep writes a plan \\(operation kind "[a-z.]+" where the summary puts [a-z.]+\\)\\. Make a new plan\\.$`,
      ),
    )
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
