import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {countValidApprovals} from '../../src/plan/approvals.js'
import {readPlanFile, writePlanFile} from '../../src/plan/file.js'
import {runCli} from '../helpers/cli.js'
import {samplePlan} from '../helpers/plan-fixtures.js'
import {expectShape} from '../helpers/schemas.js'

let dir: string
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-approvals-cli-'))
})
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

// Black-box: the built CLI (npm run build first).
describe('sapxep plan keygen / plan approve / show (CLI)', () => {
  it('approves a plan file in place, keeps its digest, and refuses a tampered one with exit 6', async () => {
    const d = path.join(dir, 'cli')
    fs.mkdirSync(d)
    const file = path.join(d, 'plan.json')
    const plan = samplePlan()
    await writePlanFile(file, plan)

    const keygen = runCli(['plan', 'keygen', '--out', path.join(d, 'keys'), '--name', 'lan', '--json'])
    expect(keygen.status, keygen.stderr).toBe(0)
    expect(keygen.json.key).toMatch(/^sha256:/)

    const approve = runCli([
      'plan',
      'approve',
      file,
      '--key',
      path.join(d, 'keys', 'lan.key.pem'),
      '--signer',
      'Nguyễn Thị Lan',
      '--json',
    ])
    expect(approve.status, approve.stderr).toBe(0)
    expect(approve.json).toEqual({
      path: file,
      digest: plan.digest,
      key: keygen.json.key,
      signer: 'Nguyễn Thị Lan',
      approvals: 1,
    })
    expectShape('approve', approve.json)
    const again = runCli(['plan', 'approve', file, '--key', path.join(d, 'keys', 'lan.key.pem')])
    expect(again.stdout).toContain('the plan has 1 approval(s)')
    const read = await readPlanFile(file)
    expect(read.digest).toBe(plan.digest)
    expectShape('plan-file', JSON.parse(fs.readFileSync(file, 'utf8'))) // with its approvals
    fs.mkdirSync(path.join(d, 'trusted'))
    fs.copyFileSync(path.join(d, 'keys', 'lan.pub.pem'), path.join(d, 'trusted', 'lan.pub.pem'))
    expect(countValidApprovals(read, path.join(d, 'trusted')).valid).toBe(1)

    const shown = runCli(['show', file, '--json'])
    expect(shown.status, shown.stderr).toBe(0)
    expect(shown.json).toMatchObject({path: file, digest: plan.digest, summary: {operations: 46}})
    const md = runCli(['show', file, '--format', 'markdown'])
    expect(md.stdout.startsWith('<!-- sapxep-plan -->\n### sapxep plan: 1674/NQ-UBTVQH15')).toBe(true)

    const noKey = runCli(['plan', 'approve', file, '--key', path.join(d, 'missing.pem')])
    expect(noKey.status).toBe(1)
    expect(noKey.stderr).toContain('cannot read key')

    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('halong.cb07', 'halong.cb70'))
    const tampered = runCli(['show', file])
    expect(tampered.status).toBe(6)
    expect(tampered.stderr).toContain('has been altered since it was made')
    expect(runCli(['plan', 'approve', file, '--key', path.join(d, 'keys', 'lan.key.pem')]).status).toBe(6)
    const noPlan = runCli(['plan', 'approve', path.join(d, 'none.json'), '--key', 'x.pem'])
    expect(noPlan.status).toBe(1)
    expect(noPlan.stderr).toContain('none.json: no such plan file')
  })
})
