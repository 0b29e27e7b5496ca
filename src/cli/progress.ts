import type {ApplyEvent} from '../apply/executor.js'

const describe = (e: ApplyEvent): string =>
  e.type === 'step'
    ? e.title
    : e.type === 'kind'
      ? `${e.kind}: ${e.rows.toLocaleString('en-US')} row(s)…`
      : `${e.kind}: ${e.rows.toLocaleString('en-US')} row(s) in ${(e.ms / 1000).toFixed(2)} s`

/**
 * Every command that can take more than a couple of seconds runs its work through this (import, seed,
 * plan, apply, verify, rollback, validate --registry).
 * Run `fn` with its progress events shown on stderr: a listr2 task on a terminal, plain lines otherwise,
 * nothing with --json. listr2 does not own signals here: Ctrl-C is the caller's (it must roll back).
 */
export async function withProgress<T>(
  title: string,
  mode: {json: boolean},
  fn: (onEvent: (e: ApplyEvent) => void) => Promise<T>,
): Promise<T> {
  if (mode.json) return fn(() => {})
  if (!process.stderr.isTTY) {
    process.stderr.write(`${title}…\n`)
    const started = Date.now()
    const result = await fn((e) => {
      if (e.type !== 'kind') process.stderr.write(`  ${describe(e)}\n`)
    })
    process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    return result
  }
  const {Listr, ListrLogger, ProcessOutput} = await import('listr2') // only on a terminal
  let result: T
  const tasks = new Listr(
    [
      {
        title,
        task: async (_ctx, task) => {
          result = await fn((e) => (task.output = describe(e)))
        },
        rendererOptions: {persistentOutput: false},
      },
    ],
    {
      registerSignalListeners: false,
      exitOnError: true,
      rendererOptions: {
        logger: new ListrLogger({processOutput: new ProcessOutput(process.stderr, process.stderr)}),
      },
    },
  )
  await tasks.run()
  return result!
}
