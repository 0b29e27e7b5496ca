import {Errors, toConfiguredId, type Hook} from '@oclif/core'
import {closest, distance} from 'fastest-levenshtein'

/**
 * `sapxep aply`: says the closest command, and exits 1 (a usage error). @oclif/plugin-not-found only
 * suggests on a terminal, as a question that would then run the command; a suggestion is all a script
 * or a typo needs.
 */
const notFound: Hook<'command_not_found'> = async function (opts) {
  const ids = opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)
  const typed = toConfiguredId(opts.id, opts.config)
  const best = ids.length > 0 ? closest(opts.id, ids) : undefined
  // Close enough to be a typo: a couple of letters, or a third of a long word.
  const near = best !== undefined && distance(opts.id, best) <= Math.max(2, Math.floor(opts.id.length / 3))
  const hint = near ? ` Did you mean ${toConfiguredId(best, opts.config)}?` : ''
  throw new Errors.CLIError(
    `${typed} is not a ${opts.config.bin} command.${hint} \`${opts.config.bin} help\` lists them all.`,
    {exit: 1},
  )
}

export default notFound
