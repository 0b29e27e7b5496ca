import {Chalk, type ChalkInstance} from 'chalk'

/** One Chalk per run: chalk 5 ignores NO_COLOR, so the decision is made here once. */
export function makeChalk(opts: {
  noColor?: boolean
  json?: boolean
  stream?: NodeJS.WriteStream
}): ChalkInstance {
  const stream = opts.stream ?? process.stdout
  const off =
    opts.noColor ||
    opts.json ||
    (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') ||
    process.env.FORCE_COLOR === '0' ||
    !stream.isTTY
  return new Chalk({level: off ? 0 : 1})
}
