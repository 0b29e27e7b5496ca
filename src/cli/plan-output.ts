import type {ChalkInstance} from 'chalk'
import type {Lang} from '../export/table.js'
import {renderPlan, type PlanFormat} from '../plan/render/index.js'
import {renderTextLines} from '../plan/render/text.js'
import type {SignedPlan} from '../plan/types.js'
import {StdoutWriter} from './stdout.js'

export interface PlanPrintOptions {
  chalk: ChalkInstance
  /** Text: every operation. */
  full?: boolean
  /** The plan file, quoted in the hints on how to see more. */
  file?: string
  /** HTML: the report's language. */
  lang?: Lang
}

/**
 * A plan on stdout, the same way for `plan` and `show`. Text on a terminal is one line per new unit (a
 * national plan's diff is thousands of lines); piped, at most 20 operations per kind and unit; --full,
 * every operation. Streamed: a --full national diff is about 100 MB.
 */
export async function printPlan(plan: SignedPlan, format: PlanFormat, opts: PlanPrintOptions): Promise<void> {
  const stdout = new StdoutWriter()
  if (format !== 'text') {
    await stdout.write(renderPlan(plan, format, {chalk: opts.chalk, file: opts.file, lang: opts.lang}))
    return
  }
  const unitsOnly = !opts.full && process.stdout.isTTY === true
  let buf = ''
  for (const line of renderTextLines(plan, {
    chalk: opts.chalk,
    full: opts.full,
    file: opts.file,
    unitsOnly,
  })) {
    if (stdout.readerGone) return
    buf += line + '\n'
    if (buf.length > 1 << 16) {
      await stdout.write(buf)
      buf = ''
    }
  }
  await stdout.write(buf)
}
