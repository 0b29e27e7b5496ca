import {openRegistry, type OpenOptions, type Registry} from '../registry/db.js'

/** Open the registry a command's flags point at, run `fn`, and always close it (releasing the store lock). */
export async function withRegistry<T>(
  flags: {'database-url'?: string},
  fn: (registry: Registry) => Promise<T>,
  opts: Omit<OpenOptions, 'databaseUrl'> = {},
): Promise<T> {
  const registry = await openRegistry({...opts, databaseUrl: flags['database-url']})
  try {
    return await fn(registry)
  } finally {
    await registry.close()
  }
}
