import {Command, Errors, type Interfaces} from '@oclif/core'
import {ExitCode, SapxepError} from '../errors.js'
import {openRegistry, type OpenOptions, type Registry} from '../registry/db.js'
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

/** Whether the command line sets --format (or -f) itself, rather than leaving its default. */
const formatGiven = (argv: string[]): boolean =>
  argv.some((a) => a === '--format' || a.startsWith('--format=') || a === '-f' || /^-f./.test(a))

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

  /**
   * Whether --format says what is written to --out (show) rather than to stdout: then --json (the result
   * on stdout) and --format go together when --out is given.
   */
  static formatGoesToOut = false

  /** Whether --format chooses the output (plan, show, mapping validate), not an input's format. */
  static formatIsOutput = false

  private parsedFlags: Record<string, unknown> = {}

  protected override async parse<F extends Output, B extends Output, A extends Output>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    let parsed: Interfaces.ParserOutput<F, B, A>
    try {
      parsed = await super.parse(options, argv)
    } catch (err) {
      // An argument's own parser (Args.integer…) throws plain errors: they are usage errors all the same.
      if (err instanceof Error && !(err instanceof SapxepError) && !(err instanceof Errors.CLIError))
        throw new SapxepError(err.message, {code: 'usage'})
      throw err
    }
    this.parsedFlags = parsed.flags
    const ctor = this.ctor as typeof BaseCommand
    const toFile = ctor.formatGoesToOut && parsed.flags.out !== undefined
    if (this.jsonEnabled() && ctor.formatIsOutput && !toFile && formatGiven(argv ?? this.argv))
      throw new SapxepError(
        '--json and --format do not go together: --json prints the result as JSON, --format chooses another output',
        {code: 'usage'},
      )
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

/**
 * Errors whose likely cause is the registry itself (an empty one, another province's, the wrong
 * SAPXEP_HOME): the message says which registry was opened.
 */
const REGISTRY_SENSITIVE = new Set(['plan_failed', 'stale', 'no_run'])

/** A command that opens the registry: `--database-url` (env DATABASE_URL) and `withRegistry`. */
export abstract class RegistryCommand extends BaseCommand {
  static override baseFlags = {...BaseCommand.baseFlags, ...registryFlags}

  /**
   * Open the registry the flags point at, run `fn`, and always close it (releasing the store lock).
   * Only the commands that build a registry (init, db migrate, imports, seed) pass `mustExist: false`.
   */
  protected async withRegistry<T>(
    flags: {'database-url'?: string},
    fn: (registry: Registry) => Promise<T>,
    opts: Omit<OpenOptions, 'databaseUrl'> = {},
  ): Promise<T> {
    const registry = await openRegistry({mustExist: true, ...opts, databaseUrl: flags['database-url']}).catch(
      (err: unknown) => {
        throw this.withHints(err)
      },
    )
    try {
      return await fn(registry)
    } catch (err) {
      throw this.withHints(err, registry.location)
    } finally {
      await registry.close()
    }
  }

  /** The error with what this command can add: the registry opened, the flag that waits for a lock. */
  private withHints(err: unknown, location?: string): unknown {
    if (!(err instanceof SapxepError)) return err
    let hint = ''
    if (err.code === 'lock_held' && 'lock-timeout' in ((this.ctor as typeof Command).flags ?? {}))
      hint = ', or pass --lock-timeout SECONDS to wait for it'
    else if (location !== undefined && REGISTRY_SENSITIVE.has(err.code))
      hint = `\nRegistry: ${location} (SAPXEP_HOME or --database-url choose another)`
    if (!hint) return err
    return new SapxepError(err.message + hint, {exitCode: err.exitCode, code: err.code, details: err.details})
  }
}
