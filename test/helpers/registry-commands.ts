import path from 'node:path'
import {FIXTURES} from './registry.js'

const PLAN = path.join(FIXTURES, 'mappings', 'broken-yaml.yaml')
const CSV = path.join(FIXTURES, 'csv', 'agencies.csv')

/**
 * Every command that opens the registry, with arguments that get it as far as connecting (the secrets
 * tests run each with a password in the database URL). `exportOut`: a new folder for `export --out`.
 */
export function registryCommands(exportOut: string): string[][] {
  return [
    ['init'],
    ['db', 'status'],
    ['db', 'migrate'],
    ['registry', 'import', 'units', CSV],
    ...['agencies', 'accounts', 'mailboxes', 'endpoints'].map((kind) => ['registry', 'import', kind, CSV]),
    ['registry', 'seed', '--sample', 'nam-dinh'],
    ['registry', 'stats'],
    ['registry', 'digest'],
    ['plan', PLAN],
    ['verify', '1'],
    ['rollback', '1', '--yes'],
    ['history'],
    ['export', '1', '--out', exportOut],
  ]
}
