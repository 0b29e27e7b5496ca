/** Exit codes every command shares (README "Exit codes"). */
export const ExitCode = {
  ok: 0,
  invalid: 1,
  changes: 2,
  verifyFailed: 3,
  lockHeld: 4,
  stale: 5,
  tampered: 6,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * An error a user is meant to read: it carries its exit code and, where it has one, the place in the
 * input it is about. The base command prints `message` without a stack trace.
 */
export class SapxepError extends Error {
  readonly exitCode: number
  readonly code: string
  readonly details?: unknown

  constructor(message: string, opts: {exitCode?: number; code?: string; details?: unknown} = {}) {
    super(message)
    this.name = 'SapxepError'
    this.exitCode = opts.exitCode ?? ExitCode.invalid
    this.code = opts.code ?? 'invalid'
    this.details = opts.details
  }
}

/** A problem at a place in an input file: `file:line[:column]`. */
export class InputError extends SapxepError {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
    readonly column?: number,
  ) {
    super(`${file}:${line}${column === undefined ? '' : `:${column}`}: ${message}`, {code: 'input'})
    this.name = 'InputError'
  }
}
