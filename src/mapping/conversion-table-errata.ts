/**
 * Documented errata of the official conversion table (data/errata/conversion-table-2025-07-01.csv): rows
 * that print a wrong old code, each with the resolution and items that show the right one. Applied on
 * import unless the table is wanted as printed; never silently: each corrected row says so.
 */
import {InputError} from '../errors.js'
import {fold} from '../naming/text.js'
import {readCsv} from '../registry/import/csv.js'
import type {ConversionRow} from './conversion-table.js'

export interface TableErratum {
  /** Line of the erratum in its own file. */
  errataLine: number
  /** Line of the table row it corrects. */
  line: number
  newCode: string
  oldName: string
  printedCode: string
  code: string
  resolution: string
  items: string
  evidence: string
}

/** A correction carried by the corrected row into its mapping. */
export interface RowCorrection {
  printedCode: string
  resolution: string
  items: string
  evidence: string
  errataFile: string
}

const COLUMNS = ['line', 'new_code', 'old_name', 'printed_code', 'code', 'resolution', 'items', 'evidence']

export async function readTableErrata(file: string): Promise<TableErratum[]> {
  const {rows} = await readCsv(file, {required: COLUMNS})
  return rows.map(({line, values: v}) => {
    const fail = (message: string): never => {
      throw new InputError(file, line, message)
    }
    if (!/^[0-9]+$/.test(v.line)) fail(`column "line": "${v.line}" is not a line number of the table`)
    for (const c of ['new_code', 'printed_code', 'code'])
      if (!/^[0-9]{5}$/.test(v[c])) fail(`column "${c}": "${v[c]}" is not a 5-digit commune code`)
    for (const c of ['old_name', 'resolution', 'evidence'])
      if (v[c] === '') fail(`column "${c}" is empty: every erratum names the unit and its evidence`)
    return {
      errataLine: line,
      line: Number(v.line),
      newCode: v.new_code,
      oldName: v.old_name,
      printedCode: v.printed_code,
      code: v.code,
      resolution: v.resolution,
      items: v.items,
      evidence: v.evidence,
    }
  })
}

/**
 * The table's rows with the errata applied. An erratum must find its row exactly as it describes it
 * (line, new code, old name, printed code); otherwise the table is not the one the errata are about
 * and the import stops, naming the erratum.
 */
export function applyTableErrata(
  rows: ConversionRow[],
  errata: TableErratum[],
  errataFile: string,
): ConversionRow[] {
  const byLine = new Map(errata.map((e) => [e.line, e]))
  const seen = new Set<number>()
  const out = rows.map((r) => {
    const e = byLine.get(r.line)
    if (!e) return r
    seen.add(e.line)
    if (r.newCode !== e.newCode || r.oldCode !== e.printedCode || fold(r.oldName) !== fold(e.oldName))
      throw new InputError(
        errataFile,
        e.errataLine,
        `the erratum for line ${e.line} expects ${e.oldName} printed as ${e.printedCode} in ${e.newCode}, but that line reads ${r.oldName || '(no name)'} ${r.oldCode || '(no code)'} in ${r.newCode}: not the table these errata are about (import it --as-printed, or give --errata)`,
      )
    const corrected: RowCorrection = {
      printedCode: e.printedCode,
      resolution: e.resolution,
      items: e.items,
      evidence: e.evidence,
      errataFile,
    }
    return {...r, oldCode: e.code, corrected}
  })
  const missing = errata.find((e) => !seen.has(e.line))
  if (missing)
    throw new InputError(
      errataFile,
      missing.errataLine,
      `the erratum for line ${missing.line} finds no row of the table on that line (import it --as-printed, or give --errata)`,
    )
  return out
}

/** How a corrected row reads in its mapping. */
export function correctionNote(c: RowCorrection): string {
  return `Erratum: the table prints ${c.printedCode}; ${c.resolution}${c.items ? ` items ${c.items}` : ''} shows this code`
}
