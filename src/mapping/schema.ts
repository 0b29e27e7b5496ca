import {z} from 'zod'
import {
  LEVEL1_IDENTIFIER_PATTERN,
  SYSTEMS,
  UNIT_CODE_PATTERN,
  UNIT_TYPES,
  type System,
} from '../registry/vocabulary.js'

/**
 * The mapping file format: one file per legal decision, stating what happens to provinces, districts and
 * communes and with which policies. This zod schema is the single source of truth: the validator parses
 * with it, `sapxep mapping schema` turns it into JSON Schema, and `Mapping` is its output type.
 */

export const MAPPING_FORMAT = 'sapxep/mapping@1'

export const ACCOUNT_ACTIONS = ['reassign', 'disable', 'recreate'] as const
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number]

export const MAIL_PLACEHOLDERS = ['body', 'unit', 'district', 'province'] as const

const unitCode = z
  .string()
  .regex(UNIT_CODE_PATTERN)
  .describe('GSO code as a quoted string: 2 digits (province), 3 (district) or 5 (commune), e.g. "13669".')

const text = z.string().min(1)

export const SourceSchema = z
  .strictObject({
    code: unitCode.describe('Code of the unit before the change.'),
    name: text.optional().describe('Its name before the change (for reviewers; units are matched by code).'),
    share: z
      .enum(['whole', 'part'])
      .default('whole')
      .describe(
        '`whole`: the unit goes entirely into this one. `part`: the unit is split; list it as `part` in every unit that receives a piece.',
      ),
    default: z
      .boolean()
      .optional()
      .describe(
        'For a split (`share: part`): this unit is the default successor of its agencies and accounts. Exactly one per split code.',
      ),
    note: text.optional().describe("Free text kept with the row, e.g. the official table's remark."),
  })
  .describe('A unit before the change that (wholly or partly) forms this unit.')

export const UnitSchema = z
  .strictObject({
    code: unitCode.describe('Code of the unit after the change. Its length gives the level.'),
    name: text.describe('Full name after the change, with its type prefix: "Phường Nam Định".'),
    type: z.enum(UNIT_TYPES).describe('Unit type after the change; must fit the level.'),
    parent: unitCode
      .optional()
      .describe(
        'Parent after the change: a district code for a commune, the province code for a district. Defaults to the province when districts are abolished (and for districts).',
      ),
    from: z
      .array(SourceSchema)
      .min(1)
      .optional()
      .describe(
        'Units before the change that form this one. Omitted: the unit continues under its own code (rename, retype or re-parent).',
      ),
    note: text.optional().describe('Free text for reviewers.'),
  })
  .describe('A unit after the change.')

export const RetireSchema = z
  .strictObject({
    code: unitCode.describe('Code that stops existing.'),
    name: text.optional().describe('Its name before the change.'),
    note: text.optional().describe('Why no successor is given.'),
  })
  .describe('A code that stops existing with no successor the sources give.')

const accountAction = z.enum(ACCOUNT_ACTIONS)

export const SystemPolicySchema = z.strictObject({
  default: accountAction
    .optional()
    .describe("Action for this system's accounts (default: accounts.default)."),
  roles: z
    .record(z.string().min(1), accountAction)
    .optional()
    .describe('Action per role on this system, e.g. {chu_tich: reassign}.'),
})

export const AccountOverrideSchema = z.strictObject({
  system: z.enum(SYSTEMS),
  username: text,
  action: accountAction,
})

export const AccountsPolicySchema = z
  .strictObject({
    default: accountAction
      .default('reassign')
      .describe(
        '`reassign`: same account re-pointed to the successor agency; `disable`: kept, disabled with the decision as reason; `recreate`: new account in the successor, the old one disabled and linked.',
      ),
    systems: z
      .strictObject(
        Object.fromEntries(SYSTEMS.map((s) => [s, SystemPolicySchema.optional()])) as Record<
          System,
          z.ZodOptional<typeof SystemPolicySchema>
        >,
      )
      .default({})
      .describe('Per-system actions (dvc, qlvb, ecert, reporting, feedback, sso).'),
    singleHolderRoles: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Roles one person holds per unit (e.g. chu_tich): when several constituents each have one, `conflict` decides who keeps it.',
      ),
    conflict: z
      .enum(['keep-default-successor', 'keep-first-username'])
      .default('keep-default-successor')
      .describe(
        'Who keeps a single-holder role: the holder from the default successor (or the unit keeping its code), or the first username in order. The others are disabled.',
      ),
    overrides: z
      .array(AccountOverrideSchema)
      .default([])
      .describe('Per-account actions that win over every rule.'),
  })
  .prefault({})

export const MailPolicySchema = z
  .strictObject({
    domain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/)
      .optional()
      .describe(
        'Mail domain of the province, e.g. ninhbinh.gov.vn (default: the province name folded + .gov.vn).',
      ),
    pattern: z
      .string()
      .min(1)
      // Only the local part, in the characters the registry's addresses allow: no '@' (the domain is
      // mail.domain), no '/', no capitals or diacritics, which would plan addresses apply cannot store.
      .regex(/^(?:\{[a-z]+\}|[a-z0-9._-])+$/, {
        message:
          'must be the local part of an address: placeholders and lower-case a-z, 0-9, ".", "_", "-" (no "@": the domain is mail.domain)',
      })
      .default('{body}.{unit}')
      .describe(
        'Local part of official addresses: {body} (agency kind short name), {unit} (unit slug), {district}, {province}.',
      ),
    oldAddresses: z
      .enum(['alias', 'suspend'])
      .default('alias')
      .describe(
        'Old addresses become aliases of the new ones (then suspended after aliasMonths), or are suspended at once.',
      ),
    aliasMonths: z
      .number()
      .int()
      .min(0)
      .max(120, {message: 'must be at most 120 (ten years)'})
      .default(12)
      .describe('How long an old address keeps working as an alias.'),
  })
  .prefault({})

export const IdentifierCodesPolicySchema = z
  .strictObject({
    level1: z
      .union([z.literal('inherit'), z.string().regex(LEVEL1_IDENTIFIER_PATTERN)])
      .default('inherit')
      .describe(
        "Level-1 identifier code of the province (QCVN 102), e.g. H40, or `inherit`: the code the surviving province's People's Committee already has in the registry.",
      ),
    allocation: z
      .enum(['sequential'])
      .default('sequential')
      .describe('How new codes are allocated: `sequential` = next free number in order of unit code.'),
  })
  .prefault({})

export const PoliciesSchema = z
  .strictObject({
    accounts: AccountsPolicySchema,
    mail: MailPolicySchema,
    identifierCodes: IdentifierCodesPolicySchema,
  })
  .prefault({})

const count = z.number().int().min(0)

export const MappingSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema reference for editors.'),
    format: z.literal(MAPPING_FORMAT).describe(`Format and version of this file: "${MAPPING_FORMAT}".`),
    decision: z
      .strictObject({
        number: text.describe('Number of the legal decision, e.g. 1674/NQ-UBTVQH15.'),
        title: text.optional(),
        effective: z.iso.date().describe('Date the decision takes effect, ISO: "2025-07-01".'),
        source: text.optional().describe('Where the content of this file comes from.'),
        official: z
          .boolean()
          .describe(
            'false when the content is derived (by sapxep or by hand), not an official text; say what in notes.',
          ),
        notes: text.optional(),
      })
      .describe('The legal decision this file states.'),
    province: z
      .strictObject({
        code: z
          .string()
          .regex(/^[0-9]{2}$/)
          .describe('Province code after the change: 2 digits, quoted ("37").'),
        name: text.describe('Province name after the change: "Tỉnh Ninh Bình".'),
      })
      .optional()
      .describe('The province the file is about, after the change.'),
    scope: z
      .enum(['complete', 'partial'])
      .default('partial')
      .describe(
        '`complete`: every unit of the province after the change is listed. `partial`: only the units that change.',
      ),
    abolish: z
      .array(z.enum(['district']))
      .default([])
      .describe('Levels that disappear under this province and the provinces it absorbs (2025: [district]).'),
    units: z
      .array(UnitSchema)
      .default([])
      .describe('Units after the change, all levels in one list; the level is the code length (2/3/5).'),
    retire: z
      .array(RetireSchema)
      .default([])
      .describe('Codes that stop existing with no successor the sources give.'),
    policies: PoliciesSchema,
    expect: z
      .strictObject({provinces: count.optional(), districts: count.optional(), communes: count.optional()})
      .default({})
      .describe('Counts in the province after the change; validate and plan check them.'),
  })
  .describe('A sapxep mapping file: one legal decision on administrative units.')

export type Mapping = z.output<typeof MappingSchema>
export type MappingInput = z.input<typeof MappingSchema>
export type UnitInput = z.input<typeof UnitSchema>
export type SourceInput = z.input<typeof SourceSchema>
export type MappingUnit = Mapping['units'][number]
export type MappingSource = NonNullable<MappingUnit['from']>[number]
export type Policies = z.output<typeof PoliciesSchema>

/** JSON Schema of the mapping format (draft-07, the draft editors support best), for `$schema` references. */
export function mappingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(MappingSchema, {io: 'input', target: 'draft-07'}) as Record<string, unknown>
  const {$schema, ...rest} = schema
  return {
    $schema,
    title: 'sapxep mapping file (sapxep/mapping@1)',
    ...rest,
  }
}
