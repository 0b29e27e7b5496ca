/**
 * Column types of the registry tables, as the executor and the journal need them to build set-based
 * statements (`unnest($1::text[], …)`) and to restore rows from their before-images.
 */
export type ColumnType = 'text' | 'date' | 'smallint' | 'boolean'

export interface TableSpec {
  key: string[]
  columns: Record<string, ColumnType>
}

export const TABLES: Record<string, TableSpec> = {
  units: {
    key: ['code'],
    columns: {
      code: 'text',
      name: 'text',
      type: 'text',
      level: 'smallint',
      parent_code: 'text',
      status: 'text',
      valid_from: 'date',
      valid_to: 'date',
      english_name: 'text',
    },
  },
  unit_history: {
    key: ['code', 'valid_to'],
    columns: {code: 'text', valid_to: 'date', name: 'text', type: 'text', parent_code: 'text'},
  },
  unit_successors: {
    key: ['code', 'successor_code'],
    columns: {code: 'text', successor_code: 'text', is_default: 'boolean'},
  },
  agencies: {
    key: ['id'],
    columns: {
      id: 'text',
      unit_code: 'text',
      kind: 'text',
      name: 'text',
      identifier_code: 'text',
      parent_id: 'text',
      status: 'text',
      successor_id: 'text',
    },
  },
  identifier_codes: {
    key: ['code'],
    columns: {code: 'text', agency_id: 'text', status: 'text', issued_on: 'date', stopped_on: 'date'},
  },
  endpoints: {
    key: ['axis', 'agency_code'],
    columns: {
      axis: 'text',
      agency_code: 'text',
      parent_code: 'text',
      agency_id: 'text',
      name: 'text',
      mail: 'text',
      status: 'text',
    },
  },
  accounts: {
    key: ['system', 'username'],
    columns: {
      system: 'text',
      username: 'text',
      holder: 'text',
      agency_id: 'text',
      role: 'text',
      status: 'text',
      reason: 'text',
      successor_username: 'text',
    },
  },
  mailboxes: {
    key: ['address'],
    columns: {
      address: 'text',
      display_name: 'text',
      kind: 'text',
      owner_agency_id: 'text',
      owner_system: 'text',
      owner_username: 'text',
      status: 'text',
    },
  },
  mailbox_aliases: {
    key: ['alias'],
    columns: {alias: 'text', mailbox_address: 'text', valid_until: 'date'},
  },
}

/** The order rows are deleted in when a run's inserts are undone (children before parents). */
export const DELETE_ORDER = [
  'mailbox_aliases',
  'mailboxes',
  'accounts',
  'endpoints',
  'identifier_codes',
  'agencies',
  'unit_successors',
  'unit_history',
  'units',
]

/** `t.k1 = k.k1 and t.k2 = k.k2` */
export function keyJoin(spec: TableSpec, left: string, right: string): string {
  return spec.key.map((k) => `${left}.${k} = ${right}.${k}`).join(' and ')
}

/** `jsonb_build_object('k1', t.k1, …)`: how a row's key is stored in the journal. */
export function keyJson(spec: TableSpec, alias: string): string {
  return `jsonb_build_object(${spec.key.map((k) => `'${k}', ${alias}.${k}`).join(', ')})`
}
