import {Command, Errors} from '@oclif/core'
import {SapxepError} from '../errors.js'
import {colorFlags} from './flags.js'
import {makeChalk} from './style.js'
import type {ChalkInstance} from 'chalk'

/**
 * Every sapxep command extends this: `--json` everywhere, `--no-color`, and one place that turns errors
 * into a message and an exit code (oclif's `--json` would otherwise drop custom exit codes).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {...colorFlags}

  protected chalk(noColor?: boolean): ChalkInstance {
    return makeChalk({noColor, json: this.jsonEnabled()})
  }

  /** Write a line to stderr (progress, warnings): stdout is for data. */
  protected note(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(message + '\n')
  }

  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<any> {
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
