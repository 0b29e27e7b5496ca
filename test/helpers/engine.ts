/** Which engine the integration tests run on: SAPXEP_TEST_ENGINE=pglite (default) or pg. */
export const testEngine: 'pglite' | 'pg' = process.env.SAPXEP_TEST_ENGINE === 'pg' ? 'pg' : 'pglite'

/** The PostgreSQL server the pg tests use (one database per test file is created from a template). */
export const testServerUrl = process.env.SAPXEP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/**
 * Databases of one test run share this prefix (set by the global setup, inherited by the workers), so
 * that runs from two checkouts on one server never drop each other's databases.
 */
export const testDatabasePrefix = (): string => process.env.SAPXEP_TEST_DB_PREFIX ?? 'sapxep_test_'

export const templateDatabase = (): string => `${testDatabasePrefix()}template`

export function serverUrlFor(database: string): string {
  const u = new URL(testServerUrl)
  u.pathname = `/${database}`
  return u.toString()
}
