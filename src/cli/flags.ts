import {Args, Flags} from '@oclif/core'
import {SapxepError} from '../errors.js'

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
    description: 'seconds to wait for another write (apply, rollback, import, sync ldap) to finish',
    default: 0,
    min: 0,
  }),
  yes: Flags.boolean({
    char: 'y',
    description: 'do not ask for confirmation (required when not interactive)',
  }),
}

/** `--lang` of the commands that write the HTML report (plan, show). */
export const reportLangFlag = Flags.string({
  description: 'language of the HTML report (--format html): Vietnamese or English',
  options: ['vi', 'en'],
  default: 'vi',
})

/** A run number argument (rollback), said plainly when it is not one. */
export const runArg = Args.custom<number>({
  parse: async (input) => {
    if (!/^[1-9][0-9]*$/.test(input))
      throw new SapxepError(
        `RUN must be a run number such as 1 (see \`sapxep history\`), got ${JSON.stringify(input)}`,
      )
    return Number(input)
  },
})
