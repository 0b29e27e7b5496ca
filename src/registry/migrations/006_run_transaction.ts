import type {Knex} from 'knex'

/**
 * Runs record the id of the transaction that applied them and of the cluster that gave it (runs.xid,
 * runs.xid_cluster), so that verify and rollback can tell, one scan per table, that the rows a run wrote
 * are still the versions it wrote. A registry made after this change already has the columns (001
 * creates them from the schema); `if not exists` makes that harmless. Runs applied before it have none,
 * and are checked row by row as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table runs add column if not exists xid bigint')
  await knex.raw('alter table runs add column if not exists xid_cluster bigint')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table runs drop column if exists xid_cluster')
  await knex.raw('alter table runs drop column if exists xid')
}
