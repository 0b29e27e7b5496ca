/**
 * The documented shape of every machine-readable output: the plan file and what `--json` prints for each
 * command. zod schemas, from which the JSON Schema files in schemas/ are generated (`npm run schemas`;
 * a test fails when a committed file differs from what these give). The TypeScript types of the same
 * outputs are checked against these schemas at compile time (test/unit/output-schemas.test.ts).
 */
import {z} from 'zod'
import {RULES} from '../mapping/findings.js'
import {CONTENT_TABLES, type ContentTable} from '../registry/schema.js'
import {RUN_STATUSES} from '../registry/vocabulary.js'
import {OP_KINDS, PLAN_FORMAT_VERSION} from '../plan/types.js'
import {PLAN_FORMATS} from '../plan/render/index.js'

const count = z.int().min(0)
const digest = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/)
  .describe('a sha256 digest, `sha256:<hex>`')
const perTable = z.record(z.string(), count).describe('rows per registry table')
const value = z.union([z.string(), z.number(), z.boolean(), z.null()])
const row = z.record(z.string(), value)
const opKind = z.enum(OP_KINDS)

const decision = z.object({
  number: z.string().describe('the decision (resolution) number, e.g. 1674/NQ-UBTVQH15'),
  effective: z.string().describe('the date it takes effect, YYYY-MM-DD'),
  title: z.string().optional(),
  official: z.boolean().describe('false for a draft or a test decision'),
})
const province = z.object({code: z.string(), name: z.string()}).nullable()

export const OperationSchema = z
  .object({
    op: opKind.describe('the kind of change, in apply order'),
    key: z.record(z.string(), z.string()).describe('the natural key of the row it changes'),
    unit: z.string().describe('the new unit it belongs to (for grouping)'),
    before: row.optional().describe('values of the changed columns before (absent for creates)'),
    after: row.describe('values of the changed columns after (the whole row for creates)'),
    note: z.string().optional().describe('why, when it is not obvious from the values'),
  })
  .describe('One change to one registry row.')

const unitSummary = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  sources: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      share: z.enum(['whole', 'part']),
      isDefault: z.boolean(),
    }),
  ),
  change: z.enum(['create', 'update', 'keep']),
})

export const PlanSummarySchema = z.object({
  operations: count,
  byKind: z.partialRecord(opKind, count),
  accountsBySystem: z
    .record(z.string(), z.partialRecord(opKind, count))
    .describe('account operations per system and kind'),
  rowsByTable: perTable.describe('rows each table will have inserted or updated'),
  units: z.object({
    created: count,
    renamed: count,
    retyped: count,
    reparented: count,
    retired: count,
  }),
})

const approval = z.object({
  key: z.string().describe("the signer key's fingerprint"),
  public_key: z.string().describe('PEM of the public key'),
  signature: z.string().describe('Ed25519 signature over the UTF-8 bytes of the plan digest, base64'),
  signed_at: z.string(),
  signer: z.string().optional(),
})

export const PlanFileSchema = z
  .object({
    format_version: z.literal(PLAN_FORMAT_VERSION),
    tool: z.object({name: z.literal('sapxep'), version: z.string()}),
    mapping: z
      .object({file: z.string(), digest: z.string(), decision})
      .describe('the mapping (for a plan over several files, a summary of them)'),
    province,
    mappings: z.array(
      z.object({
        file: z.string(),
        digest: z.string(),
        decision,
        province,
        resolved: z
          .record(z.string(), z.unknown())
          .describe('the mapping as resolved, so that apply re-reads exactly the same rows (internal)'),
      }),
    ),
    fingerprint: z
      .object({
        tables: z.record(z.string(), z.string()),
        groups: z.record(z.string(), z.string()),
        rows: count,
      })
      .describe('of every registry row the plan read'),
    reads: z
      .object({
        level1: z.array(z.string()),
        usernames: z.array(z.string()),
        addresses: z.array(z.string()),
        owners: z.array(z.string()),
      })
      .describe('what the planner looked up beyond the units of its mappings'),
    units: z.array(unitSummary).describe('the new units and the old units that form them'),
    warnings: z.array(z.string()),
    summary: PlanSummarySchema,
    operations: z.array(OperationSchema),
    digest,
    approvals: z.array(approval).optional().describe("reviewers' signatures (outside the digest)"),
  })
  .describe('A sapxep plan file (`sapxep plan --out`): canonical JSON with a sha256 digest.')

export const PlanOutputSchema = z
  .object({
    digest,
    out: z.string().nullable().describe('where the plan file was saved (--out), else null'),
    summary: PlanSummarySchema,
    warnings: z.array(z.string()),
  })
  .describe('`sapxep plan --json`')

export const ShowResultSchema = z
  .object({
    path: z.string(),
    digest,
    summary: PlanSummarySchema,
    format: z.enum(PLAN_FORMATS).optional().describe('with --out: the format written'),
    out: z.string().optional().describe('with --out: the file written'),
  })
  .describe('`sapxep show --json`')

export const ApplyResultSchema = z
  .object({
    status: z.enum(['applied', 'dry-run', 'already-applied']),
    run: z.int().min(1).nullable().describe('the run number (null for a dry run)'),
    digest,
    touched: perTable.describe('rows written per table; for a dry run, written and then rolled back'),
    operations: count,
    seconds: z.number().min(0),
  })
  .describe('`sapxep apply --json`')

export const RollbackResultSchema = z
  .object({
    status: z.enum(['rolled-back', 'dry-run', 'already-rolled-back']),
    run: z.int().min(1),
    restored: perTable.describe('rows restored from before-images'),
    deleted: perTable.describe('rows the run had inserted, deleted'),
    overwritten: z.array(z.string()).describe('rows changed since the run that --force overwrote'),
    seconds: z.number().min(0),
  })
  .describe('`sapxep rollback --json`')

export const VerifyReportSchema = z
  .object({
    ok: z.boolean(),
    subject: z.string().describe('what was verified: a run or a plan'),
    checks: z.array(
      z.object({
        check: z.string(),
        ok: z.boolean(),
        violations: count,
        examples: z.array(z.string()).describe('at most 10'),
      }),
    ),
  })
  .describe('`sapxep verify --json`')

export const RunRecordSchema = z.object({
  id: z.int().min(1),
  status: z.enum(RUN_STATUSES),
  plan_digest: z.string(),
  mapping: z.string(),
  mapping_digest: z.string(),
  os_user: z.string(),
  host: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  rolled_back_at: z.string().nullable(),
  rolled_back_by: z.string().nullable(),
  operations: count,
  rows: perTable,
})

export const HistorySchema = z.object({runs: z.array(RunRecordSchema)}).describe('`sapxep history --json`')

export const ApproveResultSchema = z
  .object({
    path: z.string(),
    digest,
    key: z.string().describe("the signer key's fingerprint"),
    signer: z.string().optional(),
    approvals: count.describe('signatures the plan now carries'),
  })
  .describe('`sapxep plan approve --json`')

const finding = z.object({
  file: z.string(),
  line: z.int().min(1),
  column: z.int().min(1),
  path: z.string().describe('where in the document, e.g. `units[3].from[1].code`; empty for the document'),
  rule: z.enum(Object.keys(RULES) as [keyof typeof RULES, ...Array<keyof typeof RULES>]),
  message: z.string(),
})

export const ValidationReportSchema = z
  .object({valid: z.boolean(), errors: z.array(finding), warnings: z.array(finding)})
  .describe('`sapxep mapping validate --json`')

export const RegistryStatsSchema = z
  .object({
    units: z.object({province: count, district: count, commune: count}),
    agencies: count,
    accounts: count,
    mailboxes: count,
    endpoints: count,
  })
  .describe('`sapxep registry stats --json`: active rows (endpoints: registered)')

export const RegistryDigestSchema = z
  .object({
    digest,
    // One property per table (a record keyed by an enum would give `required` without `properties`).
    tables: z.object(Object.fromEntries(CONTENT_TABLES.map((t) => [t, digest])) as Record<ContentTable, typeof digest>),
  })
  .describe('`sapxep registry digest --json`: independent of row order and engine')

/** Each output by the name of its file in schemas/ (`<name>.schema.json`). */
export const OUTPUT_SCHEMAS = {
  'plan-file': PlanFileSchema,
  plan: PlanOutputSchema,
  show: ShowResultSchema,
  apply: ApplyResultSchema,
  rollback: RollbackResultSchema,
  verify: VerifyReportSchema,
  history: HistorySchema,
  approve: ApproveResultSchema,
  'mapping-validate': ValidationReportSchema,
  'registry-stats': RegistryStatsSchema,
  'registry-digest': RegistryDigestSchema,
} as const
export type OutputName = keyof typeof OUTPUT_SCHEMAS

/** The JSON Schema (draft-07, what editors and most validators read) of one output. */
export function outputJsonSchema(name: OutputName): Record<string, unknown> {
  const {$schema, ...rest} = z.toJSONSchema(OUTPUT_SCHEMAS[name], {io: 'output', target: 'draft-07'})
  return {$schema, title: `sapxep ${name}`, ...rest}
}

/** The files of schemas/, by name, as `npm run schemas` writes them. */
export function outputSchemaFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of Object.keys(OUTPUT_SCHEMAS) as OutputName[])
    files[`${name}.schema.json`] = JSON.stringify(outputJsonSchema(name), null, 2) + '\n'
  return files
}
