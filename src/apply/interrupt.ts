import {SapxepError} from '../errors.js'

/**
 * Between two statements of a write: stop if the user pressed Ctrl-C. Throwing inside the transaction
 * rolls it back and releases the lock on the way out. The embedded engine answers without returning to
 * the event loop, so yield first: the signal handler must get a chance to run.
 */
export async function stopIfInterrupted(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  if (signal?.aborted) throw new SapxepError('interrupted: the transaction was rolled back, nothing changed')
}
