/**
 * The registry's table layout, defined once: the migration renders its DDL from it, the executor builds
 * its set-based statements from it, the reads, fingerprint and digest take their column lists from it, and
 * the row types below are derived from it. Natural keys throughout (unit codes, agency ids, (system,
 * username), addresses), so that plans name rows without asking the database for ids.
 */
import {
  ACCOUNT_STATUSES,
  ADDRESS_PATTERN,
  AGENCY_STATUSES,
  AXES,
  CODE_STATUSES,
  ENDPOINT_STATUSES,
  IDENTIFIER_CODE_PATTERN,
  MAILBOX_KINDS,
  MAILBOX_STATUSES,
  RUN_STATUSES,
  SYSTEMS,
  UNIT_CODE_PATTERN,
  UNIT_STATUSES,
} from './vocabulary.js'

export * from './vocabulary.js'

/** SQL element types of the columns (also the `unnest(?::type[])` casts of set-based statements). */
export type ColumnType =
  'text' | 'date' | 'smallint' | 'integer' | 'bigint' | 'boolean' | 'timestamptz' | 'jsonb'

export interface ColumnSpec {
  type: ColumnType
  /** The column may be null. */
  nullable?: true
  /** The values it may take (a check constraint, and the row type's union). */
  values?: readonly (string | number)[]
  /** Rest of the column definition in the DDL: default, check, references. */
  ddl?: string
}

export interface TableSpec {
  key: readonly string[]
  columns: Readonly<Record<string, ColumnSpec>>
  /** Table constraints (after the columns) and the statements that follow (indexes). */
  constraints?: readonly string[]
  indexes?: readonly string[]
}

const text = {type: 'text'} as const
const optionalText = {type: 'text', nullable: true} as const
const optionalDate = {type: 'date', nullable: true} as const
const oneOf = <const V extends readonly string[]>(values: V, ddl?: string) =>
  ({type: 'text', values, ...(ddl ? {ddl} : {})}) as const

/** `'a', 'b'` for a check constraint. */
export const sqlList = (values: readonly (string | number)[]): string =>
  values.map((v) => (typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')

/** A regular expression as a PostgreSQL string literal for `~` (the patterns are plain ASCII). */
const sqlPattern = (re: RegExp): string => `'${re.source.replace(/\(\?:/g, '(').replace(/'/g, "''")}'`

/** The check every stored mail address passes. */
export const addressCheck = (column: string): string => `check (${column} ~ ${sqlPattern(ADDRESS_PATTERN)})`

/**
 * The tables in the order they are created; the content tables (all but runs and journal) are hashed in
 * this order by the registry digest.
 */
export const TABLES = {
  units: {
    key: ['code'],
    columns: {
      code: {type: 'text', ddl: `primary key check (code ~ ${sqlPattern(UNIT_CODE_PATTERN)})`},
      name: {type: 'text', ddl: `not null check (name <> '')`},
      type: text,
      level: {type: 'smallint', values: [1, 2, 3]},
      parent_code: {
        type: 'text',
        nullable: true,
        ddl: 'references units (code) deferrable initially deferred',
      },
      status: oneOf(UNIT_STATUSES, `not null default 'active'`),
      valid_from: optionalDate,
      valid_to: optionalDate,
      english_name: optionalText,
    },
    constraints: [
      'check (length(code) = case level when 1 then 2 when 2 then 3 else 5 end)',
      'check ((level = 1) = (parent_code is null))',
      `check ((status = 'retired') = (valid_to is not null))`,
    ],
    indexes: ['create index units_parent_idx on units (parent_code)'],
  },
  // Earlier names, types and parents of a unit, one row per version that ended.
  unit_history: {
    key: ['code', 'valid_to'],
    columns: {
      code: {type: 'text', ddl: 'not null references units (code)'},
      valid_to: {type: 'date'},
      name: text,
      type: text,
      parent_code: optionalText,
    },
    constraints: ['primary key (code, valid_to)'],
  },
  unit_successors: {
    key: ['code', 'successor_code'],
    columns: {
      code: {type: 'text', ddl: 'not null references units (code)'},
      successor_code: {type: 'text', ddl: 'not null references units (code)'},
      is_default: {type: 'boolean', ddl: 'not null default false'},
    },
    constraints: ['primary key (code, successor_code)', 'check (code <> successor_code)'],
    indexes: ['create unique index unit_successors_one_default on unit_successors (code) where is_default'],
  },
  agencies: {
    key: ['id'],
    columns: {
      id: {type: 'text', ddl: 'primary key'},
      unit_code: {type: 'text', ddl: 'not null references units (code)'},
      kind: text,
      name: {type: 'text', ddl: `not null check (name <> '')`},
      identifier_code: optionalText,
      parent_id: {
        type: 'text',
        nullable: true,
        ddl: 'references agencies (id) deferrable initially deferred',
      },
      status: oneOf(AGENCY_STATUSES, `not null default 'active'`),
      successor_id: {
        type: 'text',
        nullable: true,
        ddl: 'references agencies (id) deferrable initially deferred',
      },
    },
    indexes: [
      'create index agencies_unit_idx on agencies (unit_code)',
      `create unique index agencies_active_identifier_code on agencies (identifier_code) where status = 'active' and identifier_code is not null`,
    ],
  },
  // Every electronic identifier code ever issued: the primary key keeps a stopped code from coming back.
  identifier_codes: {
    key: ['code'],
    columns: {
      code: {type: 'text', ddl: `primary key check (code ~ ${sqlPattern(IDENTIFIER_CODE_PATTERN)})`},
      agency_id: {type: 'text', ddl: 'not null references agencies (id)'},
      status: oneOf(CODE_STATUSES, `not null default 'issued'`),
      issued_on: optionalDate,
      stopped_on: optionalDate,
    },
    indexes: ['create index identifier_codes_agency_idx on identifier_codes (agency_id)'],
  },
  accounts: {
    key: ['system', 'username'],
    columns: {
      system: oneOf(SYSTEMS),
      username: {type: 'text', ddl: `not null check (username <> '')`},
      holder: text,
      agency_id: {type: 'text', ddl: 'not null references agencies (id)'},
      role: text,
      status: oneOf(ACCOUNT_STATUSES, `not null default 'active'`),
      reason: optionalText,
      successor_username: optionalText,
    },
    constraints: [
      'primary key (system, username)',
      'foreign key (system, successor_username) references accounts (system, username) deferrable initially deferred',
    ],
    indexes: ['create index accounts_agency_idx on accounts (agency_id)'],
  },
  mailboxes: {
    key: ['address'],
    columns: {
      address: {type: 'text', ddl: `primary key ${addressCheck('address')}`},
      display_name: text,
      kind: oneOf(MAILBOX_KINDS),
      owner_agency_id: {type: 'text', nullable: true, ddl: 'references agencies (id)'},
      owner_system: optionalText,
      owner_username: optionalText,
      status: oneOf(MAILBOX_STATUSES, `not null default 'active'`),
    },
    constraints: [
      'foreign key (owner_system, owner_username) references accounts (system, username)',
      'check (owner_agency_id is not null or owner_username is not null)',
    ],
    indexes: [
      'create index mailboxes_agency_idx on mailboxes (owner_agency_id)',
      'create index mailboxes_account_idx on mailboxes (owner_system, owner_username)',
    ],
  },
  mailbox_aliases: {
    key: ['alias'],
    columns: {
      alias: {type: 'text', ddl: `primary key ${addressCheck('alias')}`},
      mailbox_address: {type: 'text', ddl: 'not null references mailboxes (address)'},
      valid_until: optionalDate,
    },
    indexes: ['create index mailbox_aliases_mailbox_idx on mailbox_aliases (mailbox_address)'],
  },
  endpoints: {
    key: ['axis', 'agency_code'],
    columns: {
      axis: oneOf(AXES),
      agency_code: text,
      parent_code: optionalText,
      agency_id: {type: 'text', ddl: 'not null references agencies (id)'},
      name: text,
      mail: optionalText,
      status: oneOf(ENDPOINT_STATUSES, `not null default 'registered'`),
    },
    constraints: ['primary key (axis, agency_code)'],
    indexes: ['create index endpoints_agency_idx on endpoints (agency_id)'],
  },
  runs: {
    key: ['id'],
    columns: {
      id: {type: 'integer', ddl: 'primary key'},
      plan_digest: text,
      mapping: text,
      mapping_digest: text,
      os_user: text,
      host: text,
      started_at: {type: 'timestamptz'},
      finished_at: {type: 'timestamptz', nullable: true},
      status: oneOf(RUN_STATUSES),
      counts: {type: 'jsonb', ddl: `not null default '{}'`},
      digest_before: optionalText,
      digest_after: optionalText,
      rolled_back_at: {type: 'timestamptz', nullable: true},
      rolled_back_by: optionalText,
      // The id of the transaction that applied the run (txid_current(), with its epoch) and of the
      // database cluster that gave it (pg_control_system's system identifier; an id means nothing in
      // another cluster, e.g. after a dump restored elsewhere): what tells verify and rollback that a row
      // is still the run's. Null for runs applied before migration 006.
      xid: {type: 'bigint', nullable: true},
      xid_cluster: {type: 'bigint', nullable: true},
    },
    indexes: [`create unique index runs_one_applied_per_plan on runs (plan_digest) where status = 'applied'`],
  },
  // One entry per row a run touched. Updated row: the columns its operation set, as they were (`before`)
  // and as the run left them (`after`). Inserted row: `before` null, `after` the whole row. run_id is not
  // a foreign key (migration 005): apply writes the run and its entries in one transaction, and a
  // reference would be checked once per entry.
  journal: {
    key: ['run_id', 'seq'],
    columns: {
      run_id: {type: 'integer'},
      seq: {type: 'integer'},
      table_name: text,
      key: {type: 'jsonb'},
      before: {type: 'jsonb', nullable: true},
      after: {type: 'jsonb', nullable: true},
    },
    constraints: ['primary key (run_id, seq)'],
    // verify and rollback read a run's entries table by table: without it each reads the whole run.
    indexes: ['create index journal_table_idx on journal (run_id, table_name)'],
  },
  // Directory changes `sync ldap` has made, one row per step of a run's change list as it succeeded, per
  // direction (apply, revert) and directory (host, port and base DN): what a re-run skips. Migration 003.
  directory_sync: {
    key: ['run_id', 'direction', 'directory', 'seq'],
    columns: {
      run_id: {type: 'integer', ddl: 'not null references runs (id)'},
      direction: oneOf(['apply', 'revert']),
      directory: text,
      seq: {type: 'integer'},
      dn: text,
      synced_at: {type: 'timestamptz', ddl: 'not null default now()'},
    },
    constraints: ['primary key (run_id, direction, directory, seq)'],
  },
} as const satisfies Record<string, TableSpec>

export type TableName = keyof typeof TABLES

/**
 * The tables whose content is the registry; runs, journal and directory_sync are its history and
 * bookkeeping, not its content (the digest leaves them out).
 */
export const CONTENT_TABLES = [
  'units',
  'unit_history',
  'unit_successors',
  'agencies',
  'identifier_codes',
  'accounts',
  'mailboxes',
  'mailbox_aliases',
  'endpoints',
] as const satisfies readonly TableName[]
export type ContentTable = (typeof CONTENT_TABLES)[number]

/** Content tables children first: the order a run's inserted rows are removed in. */
export const DELETE_ORDER: readonly ContentTable[] = [...CONTENT_TABLES].reverse()

export const tableSpec = (table: string): TableSpec => {
  const spec = (TABLES as Record<string, TableSpec>)[table]
  if (!spec) throw new Error(`no registry table ${table}`)
  return spec
}

/** Non-key columns of a table, in table order. */
export const valueColumns = (spec: TableSpec): string[] =>
  Object.keys(spec.columns).filter((c) => !spec.key.includes(c))

// ------------------------------------------------------------------------------------------ row types

type ColumnValue<C> = C extends {values: readonly (infer V)[]}
  ? V
  : C extends {type: 'smallint' | 'integer'}
    ? number
    : C extends {type: 'boolean'}
      ? boolean
      : C extends {type: 'jsonb'}
        ? unknown
        : string
type RowOf<T extends {columns: Record<string, ColumnSpec>}> = {
  -readonly [K in keyof T['columns']]:
    ColumnValue<T['columns'][K]> | (T['columns'][K] extends {nullable: true} ? null : never)
}

/** A row of each table, as read (dates as ISO text). */
export type UnitRow = RowOf<typeof TABLES.units>
export type UnitHistoryRow = RowOf<typeof TABLES.unit_history>
export type UnitSuccessorRow = RowOf<typeof TABLES.unit_successors>
export type AgencyRow = RowOf<typeof TABLES.agencies>
export type IdentifierCodeRow = RowOf<typeof TABLES.identifier_codes>
export type AccountRow = RowOf<typeof TABLES.accounts>
export type MailboxRow = RowOf<typeof TABLES.mailboxes>
export type AliasRow = RowOf<typeof TABLES.mailbox_aliases>
export type EndpointRow = RowOf<typeof TABLES.endpoints>
export type RunRow = RowOf<typeof TABLES.runs>

// ------------------------------------------------------------------------------------------ DDL

/** The statements that create the given tables as defined above, in order (what the migrations run). */
export function createStatements(tables: readonly TableName[]): string[] {
  const out: string[] = []
  for (const name of tables) {
    const spec: TableSpec = TABLES[name]
    const columns = Object.entries(spec.columns).map(
      ([col, c]) => `    ${col} ${c.type} ${columnRest(col, c)}`,
    )
    const lines = [...columns, ...(spec.constraints ?? []).map((c) => `    ${c}`)]
    out.push(`create table ${name} (\n${lines.join(',\n')}\n  )`)
    out.push(...(spec.indexes ?? []))
  }
  return out
}

function columnRest(name: string, c: ColumnSpec): string {
  const parts: string[] = []
  const isKeyByItself = c.ddl?.startsWith('primary key')
  if (!c.nullable && !isKeyByItself && !c.ddl?.startsWith('not null')) parts.push('not null')
  if (c.ddl) parts.push(c.ddl)
  if (c.values) parts.push(`check (${name} in (${sqlList(c.values)}))`)
  return parts.join(' ').trim()
}

// ------------------------------------------------------------------------------------------ references

export interface TableReference {
  child: ContentTable
  childColumns: string[]
  parent: ContentTable
  parentColumns: string[]
}

/** The foreign keys between content tables, read from the DDL above (one definition of each). */
export function contentReferences(): TableReference[] {
  const out: TableReference[] = []
  const isContent = (t: string): t is ContentTable => (CONTENT_TABLES as readonly string[]).includes(t)
  const split = (cols: string) => cols.split(',').map((c) => c.trim())
  for (const child of CONTENT_TABLES) {
    const spec = tableSpec(child)
    for (const [column, c] of Object.entries(spec.columns)) {
      const m = /references (\w+) \((\w+)\)/.exec(c.ddl ?? '')
      if (m && isContent(m[1])) out.push({child, childColumns: [column], parent: m[1], parentColumns: [m[2]]})
    }
    for (const constraint of spec.constraints ?? []) {
      const m = /^foreign key \(([^)]+)\) references (\w+) \(([^)]+)\)/.exec(constraint)
      if (m && isContent(m[2]))
        out.push({child, childColumns: split(m[1]), parent: m[2], parentColumns: split(m[3])})
    }
  }
  return out
}
