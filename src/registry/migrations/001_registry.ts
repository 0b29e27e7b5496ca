import type {Knex} from 'knex'

/**
 * The registry. Natural keys throughout (unit codes, agency ids, (system, username), addresses) so that
 * plans can name rows without asking the database for ids, and digests do not depend on sequences.
 * Nothing is ever deleted by a migration run: rows are retired, disabled, suspended or unregistered.
 */
const statements = [
  `create table units (
    code text primary key check (code ~ '^[0-9]{2}([0-9]|[0-9]{3}){0,1}$'),
    name text not null check (name <> ''),
    type text not null,
    level smallint not null check (level in (1, 2, 3)),
    parent_code text references units (code) deferrable initially deferred,
    status text not null default 'active' check (status in ('active', 'retired')),
    valid_from date,
    valid_to date,
    english_name text,
    check (length(code) = case level when 1 then 2 when 2 then 3 else 5 end),
    check ((level = 1) = (parent_code is null)),
    check ((status = 'retired') = (valid_to is not null))
  )`,
  `create index units_parent_idx on units (parent_code)`,
  // Earlier names, types and parents of a unit, one row per version that ended.
  `create table unit_history (
    code text not null references units (code),
    valid_to date not null,
    name text not null,
    type text not null,
    parent_code text,
    primary key (code, valid_to)
  )`,
  `create table unit_successors (
    code text not null references units (code),
    successor_code text not null references units (code),
    is_default boolean not null default false,
    primary key (code, successor_code),
    check (code <> successor_code)
  )`,
  `create unique index unit_successors_one_default on unit_successors (code) where is_default`,
  `create table agencies (
    id text primary key,
    unit_code text not null references units (code),
    kind text not null,
    name text not null check (name <> ''),
    identifier_code text,
    parent_id text references agencies (id) deferrable initially deferred,
    status text not null default 'active' check (status in ('active', 'retired')),
    successor_id text references agencies (id) deferrable initially deferred
  )`,
  `create index agencies_unit_idx on agencies (unit_code)`,
  `create unique index agencies_active_identifier_code on agencies (identifier_code) where status = 'active' and identifier_code is not null`,
  // Every electronic identifier code ever issued: the primary key keeps a stopped code from coming back.
  `create table identifier_codes (
    code text primary key check (code ~ '^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$'),
    agency_id text not null references agencies (id),
    status text not null default 'issued' check (status in ('issued', 'stopped')),
    issued_on date,
    stopped_on date
  )`,
  `create index identifier_codes_agency_idx on identifier_codes (agency_id)`,
  `create table accounts (
    system text not null check (system in ('dvc', 'qlvb', 'ecert', 'reporting', 'feedback', 'sso')),
    username text not null check (username <> ''),
    holder text not null,
    agency_id text not null references agencies (id),
    role text not null,
    status text not null default 'active' check (status in ('active', 'disabled')),
    reason text,
    successor_username text,
    primary key (system, username),
    foreign key (system, successor_username) references accounts (system, username) deferrable initially deferred
  )`,
  `create index accounts_agency_idx on accounts (agency_id)`,
  `create table mailboxes (
    address text primary key check (address ~ '^[a-z0-9._-]+@[a-z0-9.-]+$'),
    display_name text not null,
    kind text not null check (kind in ('official', 'personal')),
    owner_agency_id text references agencies (id),
    owner_system text,
    owner_username text,
    status text not null default 'active' check (status in ('active', 'suspended')),
    foreign key (owner_system, owner_username) references accounts (system, username),
    check (owner_agency_id is not null or owner_username is not null)
  )`,
  `create index mailboxes_agency_idx on mailboxes (owner_agency_id)`,
  `create index mailboxes_account_idx on mailboxes (owner_system, owner_username)`,
  `create table mailbox_aliases (
    alias text primary key check (alias ~ '^[a-z0-9._-]+@[a-z0-9.-]+$'),
    mailbox_address text not null references mailboxes (address),
    valid_until date
  )`,
  `create index mailbox_aliases_mailbox_idx on mailbox_aliases (mailbox_address)`,
  `create table endpoints (
    axis text not null check (axis in ('provincial', 'national')),
    agency_code text not null,
    parent_code text,
    agency_id text not null references agencies (id),
    name text not null,
    mail text,
    status text not null default 'registered' check (status in ('registered', 'unregistered')),
    primary key (axis, agency_code)
  )`,
  `create index endpoints_agency_idx on endpoints (agency_id)`,
  `create table runs (
    id integer primary key,
    plan_digest text not null,
    mapping text not null,
    mapping_digest text not null,
    os_user text not null,
    host text not null,
    started_at timestamptz not null,
    finished_at timestamptz,
    status text not null check (status in ('applied', 'rolled_back')),
    counts jsonb not null default '{}',
    digest_before text,
    digest_after text,
    rolled_back_at timestamptz,
    rolled_back_by text
  )`,
  `create unique index runs_one_applied_per_plan on runs (plan_digest) where status = 'applied'`,
  // One entry per row a run touched. Updated row: the columns its operation set, as they were (`before`)
  // and as the run left them (`after`). Inserted row: `before` null, `after` the whole row.
  `create table journal (
    run_id integer not null references runs (id),
    seq integer not null,
    table_name text not null,
    key jsonb not null,
    before jsonb,
    after jsonb,
    primary key (run_id, seq)
  )`,
]

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql)
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'journal',
    'runs',
    'endpoints',
    'mailbox_aliases',
    'mailboxes',
    'accounts',
    'identifier_codes',
    'agencies',
    'unit_successors',
    'unit_history',
    'units',
  ])
    await knex.raw(`drop table if exists ${t}`)
}
