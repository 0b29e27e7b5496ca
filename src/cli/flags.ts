import {Flags} from '@oclif/core'

/** Flags shared by commands that open the registry. */
export const registryFlags = {
  'database-url': Flags.string({
    description: 'PostgreSQL URL of the registry (default: the embedded store in $SAPXEP_HOME or ./.sapxep)',
    env: 'DATABASE_URL',
    helpGroup: 'REGISTRY',
  }),
}

export const colorFlags = {
  'no-color': Flags.boolean({
    description: 'Plain output without colours (also NO_COLOR=1).',
    helpGroup: 'GLOBAL',
  }),
}
