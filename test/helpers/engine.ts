/** Which engine the integration tests run on: SAPXEP_TEST_ENGINE=pglite (default) or pg. */
export const testEngine: 'pglite' | 'pg' = process.env.SAPXEP_TEST_ENGINE === 'pg' ? 'pg' : 'pglite'

/** The PostgreSQL server the pg tests use (one database per test file is created from a template). */
export const testServerUrl = process.env.SAPXEP_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
export const TEMPLATE_DB = 'sapxep_test_template'

export function serverUrlFor(database: string): string {
  const u = new URL(testServerUrl)
  u.pathname = `/${database}`
  return u.toString()
}
