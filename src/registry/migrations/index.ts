import type {Knex} from 'knex'
import * as m001 from './001_registry.js'
import * as m002 from './002_address_domain.js'
import * as m003 from './003_directory_sync.js'
import * as m004 from './004_journal_table_index.js'
import * as m005 from './005_journal_no_run_reference.js'
import * as m006 from './006_run_transaction.js'

/** Every schema migration, in order. Listed here rather than read from a folder so the build is the truth. */
const migrations: Record<string, Knex.Migration> = {
  '001_registry': m001,
  '002_address_domain': m002,
  '003_directory_sync': m003,
  '004_journal_table_index': m004,
  '005_journal_no_run_reference': m005,
  '006_run_transaction': m006,
}

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
}

export const latestSchemaVersion = Object.keys(migrations).at(-1)!
