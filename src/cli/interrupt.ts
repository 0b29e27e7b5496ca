/**
 * Run a registry write with Ctrl-C turned into an abort signal: the write stops at its next statement and
 * its transaction rolls back, so the lock is released on the way out. A second Ctrl-C exits at once (the
 * uncommitted transaction dies with the process). The default handler would kill the process without
 * releasing the embedded store's lock.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController()
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130)
    // Said carefully: a Ctrl-C after the commit began (or while the store closes) cannot undo it, and
    // the command then reports the change as done.
    process.stderr.write('\nInterrupted: stopping; what is not committed yet is rolled back…\n')
    abort.abort()
  }
  process.on('SIGINT', onSigint)
  try {
    return await work(abort.signal)
  } finally {
    process.off('SIGINT', onSigint)
    // The write has ended, committed or rolled back: a Ctrl-C now would kill the command before it says
    // which (the default handler). The first one is let go; the process ends when the report is out.
    process.once('SIGINT', () => {})
  }
}
