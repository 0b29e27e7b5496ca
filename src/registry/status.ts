import type {Registry} from './db.js'
import {latestSchemaVersion, migrationSource} from './migrations/index.js'

export interface DbStatus {
  engine: Registry['engine']
  location: string
  schemaVersion: string | null
  latestSchemaVersion: string
  pending: string[]
}

export async function dbStatus(registry: Registry): Promise<DbStatus> {
  const [done, pending] = (await registry.db.migrate.list({migrationSource})) as [{name: string}[], string[]]
  return {
    engine: registry.engine,
    location: registry.location,
    schemaVersion: done.at(-1)?.name ?? null,
    latestSchemaVersion,
    pending,
  }
}

export async function migrateRegistry(registry: Registry): Promise<{applied: string[]}> {
  const [, applied] = (await registry.db.migrate.latest({migrationSource})) as [number, string[]]
  return {applied}
}
