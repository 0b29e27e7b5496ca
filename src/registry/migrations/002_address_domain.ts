import type {Knex} from 'knex'
import {addressCheck} from '../schema.js'

/**
 * Mail addresses and aliases need a domain with a dot: the first check let `ubnd.x@undefined` through.
 * (A registry made after this change already has the check; replacing it is harmless.)
 */
export async function up(knex: Knex): Promise<void> {
  for (const [table, column] of [
    ['mailboxes', 'address'],
    ['mailbox_aliases', 'alias'],
  ] as const) {
    await knex.raw(`alter table ${table} drop constraint if exists ${table}_${column}_check`)
    await knex.raw(`alter table ${table} add constraint ${table}_${column}_check ${addressCheck(column)}`)
  }
}

export async function down(): Promise<void> {}
