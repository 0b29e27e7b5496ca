import type {Knex} from 'knex'
import {createStatements, type TableName} from '../schema.js'

/** The tables this migration creates; later migrations create their own (003: directory_sync). */
const TABLES_001: readonly TableName[] = [
  'units',
  'unit_history',
  'unit_successors',
  'agencies',
  'identifier_codes',
  'accounts',
  'mailboxes',
  'mailbox_aliases',
  'endpoints',
  'runs',
  'journal',
]

/**
 * The registry as src/registry/schema.ts defines it. Nothing is ever deleted by a migration run: rows are
 * retired, disabled, suspended or unregistered. A later migration that changes the layout must first
 * freeze this one (inline the statements it renders today), or it would create what it alters.
 */
export async function up(knex: Knex): Promise<void> {
  for (const sql of createStatements(TABLES_001)) await knex.raw(sql)
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [...TABLES_001].reverse()) await knex.raw(`drop table if exists ${t}`)
}
