import type {Knex} from 'knex'

/**
 * A run's journal entries by table (verify and rollback read them table by table). A registry made after
 * this change already has the index (001 creates it from the schema); `if not exists` makes that harmless.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index if not exists journal_table_idx on journal (run_id, table_name)')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists journal_table_idx')
}
