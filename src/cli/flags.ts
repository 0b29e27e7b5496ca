import {Flags} from '@oclif/core'

/** Global flags of every command (with oclif's `--json`). */
export const colorFlags = {
  'no-color': Flags.boolean({
    description: 'Plain output without colours (also NO_COLOR=1).',
    helpGroup: 'GLOBAL',
  }),
}

/** Flags of every command that opens the registry (base flags of `RegistryCommand`). */
export const registryFlags = {
  'database-url': Flags.string({
    description: 'PostgreSQL URL of the registry (default: the embedded store in $SAPXEP_HOME or ./.sapxep)',
    env: 'DATABASE_URL',
    helpGroup: 'REGISTRY',
  }),
}

/** The flags of the commands that write the registry (apply, rollback). */
export const writeFlags = {
  /** `--dry-run`, described by what the command rehearses. */
  dryRun: (rehearsal: string) => Flags.boolean({description: rehearsal}),
  lockTimeout: Flags.integer({
    description: 'seconds to wait for another apply or rollback to finish',
    default: 0,
    min: 0,
  }),
  yes: Flags.boolean({
    char: 'y',
    description: 'do not ask for confirmation (required when not interactive)',
  }),
}
