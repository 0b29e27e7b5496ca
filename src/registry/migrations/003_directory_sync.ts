import type {Knex} from 'knex'
import {createStatements} from '../schema.js'

/** `sync ldap`'s record of the directory changes it made (bookkeeping, outside the registry digest). */
export async function up(knex: Knex): Promise<void> {
  for (const sql of createStatements(['directory_sync'])) await knex.raw(sql)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table if exists directory_sync')
}
