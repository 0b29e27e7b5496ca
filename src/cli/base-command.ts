import {Command, Errors, type Interfaces} from '@oclif/core'
import {ExitCode, openRegistry, SapxepError, type OpenOptions, type Registry} from '../index.js'
import {colorFlags, registryFlags} from './flags.js'
import {makeChalk} from './style.js'
import type {ChalkInstance} from 'chalk'

/** oclif's parsed flags and args (its `FlagOutput`/`ArgOutput`, which it does not export). */
type Output = {[name: string]: unknown}

/**
 * What a command's result means for the process: its exit code and, for a failure, the message printed
 * on stderr after the output (without --json; with it, the result says so itself).
 */
export interface Outcome {
  exit: ExitCode
  message?: string
}

/**
 * Every sapxep command extends this: `--json` everywhere, `--no-color`, and the one place that sets the
 * exit code — from the result `run()` returns (see `outcome`), or from the error it throws (oclif's
 * `--json` would otherwise drop custom exit codes).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {...colorFlags}

  /**
   * The exit code a result means, given the command's flags. Success unless a command says otherwise: a
   * command whose result can be a finding (verify, mapping validate, plan --detailed-exitcode) overrides it.
   */
  static outcome(_result: unknown, _flags: Record<string, unknown>): Outcome {
    return {exit: ExitCode.ok}
  }

  private parsedFlags: Record<string, unknown> = {}

  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv)
    this.parsedFlags = parsed.flags
    return parsed
  }

  protected override async _run<T>(): Promise<T> {
    const result = await super._run<T>() // prints the result under --json; errors go through `catch`
    const {exit, message} = (this.ctor as typeof BaseCommand).outcome(result, this.parsedFlags)
    process.exitCode = exit
    if (exit !== ExitCode.ok && message !== undefined && !this.jsonEnabled())
      process.stderr.write(`Error: ${message}\n`)
    return result
  }

  protected chalk(noColor?: boolean): ChalkInstance {
    return makeChalk({noColor, json: this.jsonEnabled()})
  }

  /** Write a line to stderr (progress, warnings): stdout is for data. */
  protected note(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(message + '\n')
  }

  /** A warning on stderr: its first line in oclif's style (` ›   Warning: …`), the others as they are. */
  protected warnLines(text: string): void {
    if (text === '' || this.jsonEnabled()) return
    const [first, ...rest] = text.split('\n')
    this.warn(first)
    for (const line of rest) process.stderr.write(line + '\n')
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<never> {
    if (err instanceof Errors.ExitError) throw err
    const exit = err instanceof SapxepError ? err.exitCode : (err.oclif?.exit ?? err.exitCode ?? 1)
    process.exitCode = exit
    const known = err instanceof SapxepError || err instanceof Errors.CLIError || err.oclif !== undefined
    const message = known ? err.message : `unexpected error: ${err.message}`
    if (this.jsonEnabled()) {
      const error: Record<string, unknown> = {
        code: err instanceof SapxepError ? err.code : 'error',
        message,
        exit,
      }
      if (err instanceof SapxepError && err.details !== undefined) error.details = err.details
      this.logJson({error})
    } else {
      process.stderr.write(`Error: ${message}\n`)
      if (!known && process.env.SAPXEP_DEBUG) process.stderr.write(String(err.stack) + '\n')
    }
    // Already reported: let oclif exit with our code without printing a stack.
    Object.assign(err, {skipOclifErrorHandling: true, oclif: {...err.oclif, exit}})
    throw err
  }
}

/** A command that opens the registry: `--database-url` (env DATABASE_URL) and `withRegistry`. */
export abstract class RegistryCommand extends BaseCommand {
  static override baseFlags = {...BaseCommand.baseFlags, ...registryFlags}

  /** Open the registry the flags point at, run `fn`, and always close it (releasing the store lock). */
  protected async withRegistry<T>(
    flags: {'database-url'?: string},
    fn: (registry: Registry) => Promise<T>,
    opts: Omit<OpenOptions, 'databaseUrl'> = {},
  ): Promise<T> {
    const registry = await openRegistry({...opts, databaseUrl: flags['database-url']})
    try {
      return await fn(registry)
    } finally {
      await registry.close()
    }
  }
}
