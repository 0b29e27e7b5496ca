import type {Knex} from 'knex'

/**
 * The journal's run_id no longer references runs: the check ran once per journal row (a million for a
 * national run, about 5 s of apply's 60 s), while apply writes the run's row and its journal in one
 * transaction and nothing deletes runs. A registry made after this change never had the reference.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table journal drop constraint if exists journal_run_id_fkey')
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'alter table journal add constraint journal_run_id_fkey foreign key (run_id) references runs (id)',
  )
}
