import type {DbStatus} from '../../registry/status.js'

/** `sapxep init`: where the registry is and its schema. */
export function renderInit(status: DbStatus): string {
  return `Registry ready: ${status.engine} at ${status.location}, schema ${status.schemaVersion}`
}

/** `sapxep db status`. */
export function renderDbStatus(status: DbStatus): string {
  const lines = [
    `engine:   ${status.engine}`,
    `location: ${status.location}`,
    `schema:   ${status.schemaVersion ?? '(empty)'} (latest ${status.latestSchemaVersion})`,
  ]
  if (status.pending.length > 0)
    lines.push(`pending:  ${status.pending.join(', ')} — run \`sapxep db migrate\``)
  return lines.join('\n')
}

/** `sapxep db migrate`. */
export function renderDbMigrate(result: {applied: string[]}): string {
  return result.applied.length === 0 ? 'Schema is up to date.' : `Applied: ${result.applied.join(', ')}`
}
