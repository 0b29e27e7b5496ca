import {z} from 'zod'

/**
 * The directory schema: which object classes and attribute names carry units, accounts and mailboxes
 * (`--ldap-schema FILE`, YAML or JSON). Each kind names its object classes, the attribute of its RDN, and
 * the attributes it writes with the registry field each one holds. The default is inetOrgPerson and
 * organizationalUnit (data/ldap-schema.yaml is the same, as a file to copy).
 */

export const UNIT_FIELDS = ['code', 'name'] as const
export const ACCOUNT_FIELDS = [
  'username',
  'holder',
  'familyName',
  'role',
  'unitCode',
  'unitName',
  'agencyId',
  'agencyName',
  'identifierCode',
] as const
export const MAILBOX_FIELDS = ['address', 'displayName', 'kind', 'agencyId'] as const

export type UnitField = (typeof UNIT_FIELDS)[number]
export type AccountField = (typeof ACCOUNT_FIELDS)[number]
export type MailboxField = (typeof MAILBOX_FIELDS)[number]

/** The account fields that follow its unit and agency: their attributes are replaced when it moves. */
export const PLACEMENT_FIELDS: readonly AccountField[] = [
  'unitCode',
  'unitName',
  'agencyId',
  'agencyName',
  'identifierCode',
]

const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]*$/

const attributeName = z
  .string()
  .regex(ATTRIBUTE, 'expected an LDAP attribute name (a letter, then letters, digits or -)')
  .refine((n) => n.toLowerCase() !== 'objectclass', 'objectClass is set by objectClasses')

const objectClasses = z
  .array(z.string().regex(ATTRIBUTE, 'expected an object class name (a letter, then letters, digits or -)'))
  .min(1, 'give at least one object class')
  .describe('Object classes of the entry; the last one names the kind when --check reads the directory.')

const kind = <F extends readonly [string, ...string[]]>(fields: F, what: string) =>
  z.strictObject({
    objectClasses,
    rdn: attributeName.describe(`Attribute of the entry's RDN; its value is the ${what}.`),
    attributes: z
      .record(attributeName, z.enum(fields))
      .describe('Attribute name → the registry field it holds, in the order they are written.'),
  })

export const UnitSchemaSchema = kind(UNIT_FIELDS, "unit's code")
export const AccountSchemaSchema = kind(
  ACCOUNT_FIELDS as unknown as readonly [AccountField, ...AccountField[]],
  'username',
)
export const MailboxSchemaSchema = kind(
  MAILBOX_FIELDS as unknown as readonly [MailboxField, ...MailboxField[]],
  'address',
).extend({
  container: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]*=[^,+=\\"<>;]+$/, 'expected one RDN, e.g. ou=mail')
    .describe('The entry under the base DN that holds the mailboxes (it must exist).'),
  aliases: attributeName
    .nullable()
    .default(null)
    .describe('Attribute that carries the old addresses kept as aliases (null: aliases are not written).'),
})

export const DisableSchema = z
  .strictObject({
    attribute: attributeName,
    value: z.string().min(1, 'give the value that marks a disabled entry'),
  })
  .describe('The attribute and value that mark a disabled account or a suspended mailbox.')

/** The file: every part optional (the default's is used); `mailboxes: null` writes no mailboxes. */
export const LdapSchemaFileSchema = z.strictObject({
  units: UnitSchemaSchema.optional(),
  accounts: AccountSchemaSchema.optional(),
  mailboxes: MailboxSchemaSchema.nullable().optional(),
  disable: DisableSchema.optional(),
})

export type UnitSchema = z.output<typeof UnitSchemaSchema>
export type AccountSchema = z.output<typeof AccountSchemaSchema>
export type MailboxSchema = z.output<typeof MailboxSchemaSchema>
export type LdapSchemaFile = z.output<typeof LdapSchemaFileSchema>

export interface LdapSchema {
  units: UnitSchema
  accounts: AccountSchema
  /** Null: mailboxes are not written to the directory. */
  mailboxes: MailboxSchema | null
}

const PERSON = ['top', 'person', 'organizationalPerson', 'inetOrgPerson']

/** inetOrgPerson accounts and mailboxes, organizationalUnit units: what sapxep writes unless told otherwise. */
export const DEFAULT_SCHEMA: LdapSchema = {
  units: {objectClasses: ['top', 'organizationalUnit'], rdn: 'ou', attributes: {description: 'name'}},
  accounts: {
    objectClasses: PERSON,
    rdn: 'uid',
    attributes: {
      cn: 'holder',
      sn: 'familyName',
      displayName: 'holder',
      title: 'role',
      ou: 'unitName',
      o: 'agencyName',
      departmentNumber: 'identifierCode',
      businessCategory: 'agencyId',
    },
  },
  mailboxes: {
    container: 'ou=mail',
    objectClasses: PERSON,
    rdn: 'mail',
    aliases: 'mail',
    attributes: {
      cn: 'displayName',
      sn: 'displayName',
      displayName: 'displayName',
      businessCategory: 'agencyId',
    },
  },
}

/** The file's parts over the default's. */
export const schemaOfFile = (f: LdapSchemaFile): LdapSchema => ({
  units: f.units ?? DEFAULT_SCHEMA.units,
  accounts: f.accounts ?? DEFAULT_SCHEMA.accounts,
  mailboxes: f.mailboxes === undefined ? DEFAULT_SCHEMA.mailboxes : f.mailboxes,
})

/** Attribute names of a kind's entries that hold one of `fields`, in the schema's order. */
export const attributesOf = (
  s: {attributes: Record<string, string>},
  fields: readonly string[],
): readonly string[] => {
  // Asked once per account moved, always with the same schema and fields: remembered per pair.
  const bySchema = attributesMemo.get(s) ?? new Map<string, readonly string[]>()
  attributesMemo.set(s, bySchema)
  const key = fields.join('\u0000')
  let names = bySchema.get(key)
  if (!names) {
    names = Object.entries(s.attributes)
      .filter(([, f]) => fields.includes(f))
      .map(([a]) => a)
    bySchema.set(key, names)
  }
  return names
}
const attributesMemo = new WeakMap<object, Map<string, readonly string[]>>()
