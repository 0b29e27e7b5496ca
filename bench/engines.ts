/**
 * Where the benchmark's registries live, on either engine: a fresh one, a copy of one (for the floor),
 * and a plain SQL client on one (for the floor and the naive baseline, which bypass the CLI).
 */
import fs from 'node:fs'
import path from 'node:path'
import {PGlite} from '@electric-sql/pglite'
import pg from 'pg'

export type EngineName = 'pg' | 'pglite'

export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{rows: Record<string, unknown>[]; rowCount: number}>
  close(): Promise<void>
}

/** One registry: how the CLI reaches it (flags, environment) and how the bench opens it directly. */
export interface BenchTarget {
  /** Database name or data directory, for messages. */
  where: string
  cliArgs: string[]
  env: Record<string, string>
  open(): Promise<SqlClient>
}

export interface Engine {
  name: EngineName
  /** Server version, for the record. */
  version(): Promise<string>
  /** An empty registry location (dropped and re-created if it exists). */
  fresh(name: string): Promise<BenchTarget>
  /** A byte-for-byte copy of `from`, taken while nothing has it open. */
  copy(from: BenchTarget, name: string): Promise<BenchTarget>
  /** Remove every location this engine made. */
  cleanup(): Promise<void>
}

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres'

/** PostgreSQL: one database per registry, `CREATE DATABASE … TEMPLATE …` for the copy. */
export function pgEngine(adminUrl: string, prefix: string): Engine {
  const made = new Set<string>()
  const urlFor = (db: string) => {
    const u = new URL(adminUrl)
    u.pathname = `/${db}`
    return u.toString()
  }
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({connectionString: adminUrl})
    try {
      await c.connect()
    } catch (err) {
      throw new Error(
        `no PostgreSQL server at ${redact(adminUrl)} (${(err as Error).message}); start one, pass --pg-url, or use --engine pglite`,
        {cause: err},
      )
    }
    try {
      return await fn(c)
    } finally {
      await c.end()
    }
  }
  const target = (db: string): BenchTarget => {
    const url = urlFor(db)
    return {
      where: `database ${db}`,
      cliArgs: ['--database-url', url],
      env: {},
      open: async () => {
        const c = new pg.Client({connectionString: url})
        await c.connect()
        return {
          query: async (sql, params) => {
            const r = await c.query(sql, params)
            return {rows: r.rows, rowCount: r.rowCount ?? 0}
          },
          close: () => c.end(),
        }
      },
    }
  }
  const ident = (name: string) => {
    const db = name === 'main' ? prefix : `${prefix}_${name}`
    if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error(`bad database name ${db}`)
    return db
  }
  return {
    name: 'pg',
    version: () => admin(async (c) => String((await c.query('show server_version')).rows[0].server_version)),
    async fresh(name) {
      const db = ident(name)
      await admin(async (c) => {
        await c.query(`drop database if exists ${db} with (force)`)
        await c.query(`create database ${db}`)
      })
      made.add(db)
      return target(db)
    },
    async copy(from, name) {
      const db = ident(name)
      const source = from.where.replace(/^database /, '')
      await admin(async (c) => {
        await c.query(`drop database if exists ${db} with (force)`)
        await c.query(`create database ${db} template ${source}`)
      })
      made.add(db)
      return target(db)
    },
    async cleanup() {
      await admin(async (c) => {
        for (const db of made) await c.query(`drop database if exists ${db} with (force)`)
      })
    },
  }
}

/** PGlite: one SAPXEP_HOME per registry under the bench's temp folder; the copy is a folder copy. */
export function pgliteEngine(root: string): Engine {
  const target = (home: string): BenchTarget => ({
    where: path.join(home, 'registry'),
    cliArgs: [],
    env: {SAPXEP_HOME: home},
    open: async () => {
      const db = await PGlite.create(path.join(home, 'registry'))
      return {
        query: async (sql, params) => {
          const r = await db.query<Record<string, unknown>>(sql, params)
          return {rows: r.rows, rowCount: r.affectedRows ?? 0}
        },
        close: () => db.close(),
      }
    },
  })
  return {
    name: 'pglite',
    version: async () => {
      const pkg = JSON.parse(
        fs.readFileSync(
          path.join(import.meta.dirname, '../node_modules/@electric-sql/pglite/package.json'),
          'utf8',
        ),
      )
      return `PGlite ${pkg.version}`
    },
    async fresh(name) {
      const home = path.join(root, name)
      fs.rmSync(home, {recursive: true, force: true})
      fs.mkdirSync(home, {recursive: true})
      return target(home)
    },
    async copy(from, name) {
      const home = path.join(root, name)
      fs.rmSync(home, {recursive: true, force: true})
      fs.cpSync(path.dirname(from.where), home, {
        recursive: true,
        filter: (src) => path.basename(src) !== 'registry.lock',
      })
      return target(home)
    },
    async cleanup() {
      // The whole temp folder goes at the end of the run.
    },
  }
}

export function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}
