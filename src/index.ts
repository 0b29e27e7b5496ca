// The sapxep library: everything the commands use, usable without oclif.
export * from './errors.js'
export * from './naming/text.js'
export {
  openRegistry,
  redactUrl,
  sapxepHome,
  type Registry,
  type Engine,
  type OpenOptions,
} from './registry/db.js'
export {dbStatus, migrateRegistry} from './registry/status.js'
