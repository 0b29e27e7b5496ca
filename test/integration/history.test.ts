import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Registry} from '../../src/registry/db.js'
import {finishRun, listRuns, startRun} from '../../src/registry/runs.js'
import {freshRegistry} from '../helpers/registry.js'

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

describe('history timestamps', () => {
  let registry: Registry
  beforeAll(async () => {
    ;({registry} = await freshRegistry())
  })
  afterAll(() => registry.close())

  it('are ISO 8601 in UTC, and a run finishes when it finished, not when it started', async () => {
    await registry.db.transaction(async (trx) => {
      const id = await startRun(trx, {planDigest: 'sha256:ab', mapping: 'm.yaml', mappingDigest: 'sha256:cd'})
      await trx.raw('select pg_sleep(0.05)')
      await finishRun(trx, id, {operations: 1, rows: {units: 1}, scope: {provinces: ['37'], expect: []}})
    })
    const [run] = await listRuns(registry.db)
    expect(run.started_at).toMatch(ISO)
    expect(run.finished_at).toMatch(ISO)
    expect(run.rolled_back_at).toBeNull()
    expect(Date.parse(run.finished_at!)).toBeGreaterThan(Date.parse(run.started_at))
  })
})
