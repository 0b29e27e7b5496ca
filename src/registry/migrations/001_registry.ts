import type {Knex} from 'knex'
import {createStatements, TABLES} from '../schema.js'

/**
 * The registry as src/registry/schema.ts defines it. Nothing is ever deleted by a migration run: rows are
 * retired, disabled, suspended or unregistered. A later migration that changes the layout must first
 * freeze this one (inline the statements it renders today), or it would create what it alters.
 */
export async function up(knex: Knex): Promise<void> {
  for (const sql of createStatements()) await knex.raw(sql)
}

export async function down(knex: Knex): Promise<void> {
  for (const t of Object.keys(TABLES).reverse()) await knex.raw(`drop table if exists ${t}`)
}
