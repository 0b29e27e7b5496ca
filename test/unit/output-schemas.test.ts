/**
 * The JSON Schemas in schemas/ are what the zod schemas give (so they cannot drift from the code), the
 * output types match the schemas at compile time, and real values validate against the committed files
 * with a standard validator (ajv) — while a wrong one is refused, naming the place.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, expectTypeOf, it} from 'vitest'
import type {z} from 'zod'
import type {PlanOutput} from '../../commands/plan.js'
import type {ShowResult} from '../../commands/show.js'
import type {ApplyResult} from '../../src/apply/executor.js'
import type {RollbackResult} from '../../src/apply/rollback.js'
import type {VerifyReport} from '../../src/apply/verify.js'
import {planFileText} from '../../src/plan/file.js'
import type {PlanSummary, SignedPlan} from '../../src/plan/types.js'
import type {ValidationReport} from '../../src/mapping/findings.js'
import type {ApproveResult} from '../../src/plan/approvals.js'
import type {RegistryDigest} from '../../src/registry/digest.js'
import type {RunRecord} from '../../src/registry/runs.js'
import type {RegistryStats} from '../../src/registry/stats.js'
import {
  OUTPUT_SCHEMAS,
  outputSchemaFiles,
  type OutputName,
  type ApplyResultSchema,
  type ApproveResultSchema,
  type HistorySchema,
  type PlanFileSchema,
  type PlanOutputSchema,
  type PlanSummarySchema,
  type RegistryDigestSchema,
  type RegistryStatsSchema,
  type RollbackResultSchema,
  type ShowResultSchema,
  type ValidationReportSchema,
  type VerifyReportSchema,
} from '../../src/schemas/outputs.js'
import {hostilePlan, samplePlan} from '../helpers/plan-fixtures.js'
import {SCHEMAS_DIR, expectShape, schemaErrors} from '../helpers/schemas.js'

describe('schemas/', () => {
  it('holds exactly what the zod schemas give (npm run schemas writes it)', () => {
    const files = outputSchemaFiles()
    const committed = fs.readdirSync(SCHEMAS_DIR).filter((f) => f.endsWith('.schema.json'))
    expect(committed.sort()).toEqual(Object.keys(files).sort())
    for (const [name, text] of Object.entries(files))
      expect(fs.readFileSync(path.join(SCHEMAS_DIR, name), 'utf8'), `${name}: run npm run schemas`).toBe(text)
    expect(Object.keys(OUTPUT_SCHEMAS)).toEqual([
      'plan-file',
      'plan',
      'show',
      'apply',
      'rollback',
      'verify',
      'history',
      'approve',
      'mapping-validate',
      'registry-stats',
      'registry-digest',
    ])
  })

  it('describes the same shapes as the TypeScript types', () => {
    expectTypeOf<z.output<typeof PlanSummarySchema>>().toEqualTypeOf<PlanSummary>()
    expectTypeOf<z.output<typeof PlanOutputSchema>>().toEqualTypeOf<PlanOutput>()
    expectTypeOf<z.output<typeof ShowResultSchema>>().toEqualTypeOf<ShowResult>()
    expectTypeOf<z.output<typeof ApplyResultSchema>>().toEqualTypeOf<ApplyResult>()
    expectTypeOf<z.output<typeof RollbackResultSchema>>().toEqualTypeOf<RollbackResult>()
    expectTypeOf<z.output<typeof VerifyReportSchema>>().toEqualTypeOf<VerifyReport>()
    expectTypeOf<z.output<typeof HistorySchema>>().toEqualTypeOf<{runs: RunRecord[]}>()
    expectTypeOf<z.output<typeof ApproveResultSchema>>().toEqualTypeOf<ApproveResult>()
    expectTypeOf<z.output<typeof ValidationReportSchema>>().toEqualTypeOf<ValidationReport>()
    expectTypeOf<z.output<typeof RegistryStatsSchema>>().toEqualTypeOf<RegistryStats>()
    expectTypeOf<z.output<typeof RegistryDigestSchema>>().toEqualTypeOf<RegistryDigest>()
    // The plan file: everything but the resolved mapping (an internal record, see mapping.schema.json).
    type Strip<T> = Omit<T, 'mappings'> & {mappings: Array<Omit<SignedPlan['mappings'][number], 'resolved'>>}
    type FromSchema = z.output<typeof PlanFileSchema>
    expectTypeOf<Strip<FromSchema>>().toEqualTypeOf<Strip<SignedPlan>>()
  })
})

describe('every committed schema', () => {
  it('compiles in a strict standard validator', () => {
    for (const name of Object.keys(OUTPUT_SCHEMAS) as OutputName[])
      expect(schemaErrors(name, null)).not.toEqual([])
  })
})

describe('plan files against schemas/plan-file.schema.json', () => {
  it('accepts plan files as written, signed or not, hostile names included', () => {
    for (const plan of [samplePlan(), hostilePlan()]) expectShape('plan-file', JSON.parse(planFileText(plan)))
  })

  it('refuses a plan file of another shape, naming the place', () => {
    const plan = JSON.parse(planFileText(samplePlan())) as Record<string, unknown> & {operations: object[]}
    plan.operations[3] = {...plan.operations[3], op: 'unit.explode'}
    delete plan.digest
    const errors = schemaErrors('plan-file', plan)
    expect(errors).toContain("/ must have required property 'digest'")
    expect(errors).toContain('/operations/3/op must be equal to one of the allowed values')
  })
})

describe('command outputs', () => {
  it('refuses an apply --json with a field it does not document', () => {
    const ok: ApplyResult = {
      status: 'applied',
      run: 1,
      digest: samplePlan().digest,
      touched: {units: 3},
      operations: 3,
      seconds: 0.5,
    }
    expectShape('apply', ok)
    expect(schemaErrors('apply', {...ok, extra: 1})).toEqual(['/ must NOT have additional properties'])
    expect(schemaErrors('apply', {...ok, run: 0})).toEqual([
      '/run must be >= 1',
      '/run must be null',
      '/run must match a schema in anyOf',
    ])
  })
})
