/** Every view of a saved plan, from the same plan value: terminal diff, PR comment, JSON, report page. */
import type {ChalkInstance} from 'chalk'
import {planFileText} from '../file.js'
import type {SignedPlan} from '../types.js'
import type {Lang} from './describe.js'
import {renderHtml} from './html/index.js'
import {renderMarkdown} from './markdown.js'
import {renderText} from './text.js'

export const PLAN_FORMATS = ['text', 'markdown', 'json', 'html'] as const
export type PlanFormat = (typeof PLAN_FORMATS)[number]

export interface RenderOptions {
  /** Colours for the text format (a level-0 Chalk for plain text). */
  chalk: ChalkInstance
  /** Text: list every operation instead of at most 20 per kind and unit. */
  full?: boolean
  /** The plan's path, quoted in the hints that say how to see more. */
  file?: string
  /** Text: one line per new unit instead of its operations. */
  unitsOnly?: boolean
  /** HTML: the page's language (Vietnamese by default). */
  lang?: Lang
}

export function renderPlan(plan: SignedPlan, format: PlanFormat, opts: RenderOptions): string {
  switch (format) {
    case 'text':
      return renderText(plan, {
        chalk: opts.chalk,
        full: opts.full,
        file: opts.file,
        unitsOnly: opts.unitsOnly,
      })
    case 'markdown':
      return renderMarkdown(plan, {file: opts.file})
    case 'json':
      return planFileText(plan)
    case 'html':
      return renderHtml(plan, {file: opts.file, lang: opts.lang})
    default:
      throw new Error(`unknown plan format ${JSON.stringify(format)}`)
  }
}

export {planClosingLine, renderText, renderTextLines, TEXT_LIMIT_PER_KIND, type TextOptions} from './text.js'
export {renderMarkdown, escapeMarkdown, MARKDOWN_MAX_CHARS, type MarkdownOptions} from './markdown.js'
export {renderHtml, escapeHtml, scriptJson, HTML_MAX_ROWS, type HtmlOptions} from './html/index.js'
export {describeOperation, planNames, kindName, systemName, type PlanNames} from './describe.js'
