import fs from 'node:fs/promises'
import path from 'node:path'
import {SapxepError} from '../errors.js'
import {splitUnitName, fold} from '../naming/text.js'
import {InputError} from '../errors.js'
import {dataFile} from '../registry/data-files.js'
import {readCsv} from '../registry/import/csv.js'
import {
  buildProvinceMappings,
  type DefaultCounts,
  type ProvinceResolution,
} from './conversion-table-mappings.js'
import {applyTableErrata, readTableErrata} from './conversion-table-errata.js'
import {readResolutionShares} from './conversion-table-successors.js'
import {parseConversionTable, type ConversionRow, type ImportNotice} from './conversion-table.js'
import {mappingToYaml} from './emit.js'
import {renderReportText} from './render.js'
import {validateText} from './validate.js'
import {checkOutputFile, prepareOutputDir, writeOutputText} from '../output.js'

export const IMPORT_FORMATS = ['conversion-table'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

export interface ImportOptions {
  format: ImportFormat
  /** Only this new province (its code after the change). */
  province?: string
  /** Folder to write into (created if needed). */
  outDir: string
  /** `$schema` reference written at the top of each file. */
  schemaRef?: string
  /** The table as printed: no errata applied. */
  asPrinted?: boolean
  /** Errata to apply (default: the shipped data/errata/conversion-table-2025-07-01.csv). */
  errata?: string
  /** Each province's own resolution (default: the shipped data/resolutions-2025.csv). */
  resolutions?: string
  /** What the resolutions give each receiver of a split code (default: data/resolution-shares-2025.csv). */
  shares?: string
}

/** A row of the table the errata corrected. */
export interface AppliedErratum {
  line: number
  newCode: string
  name: string
  printed: string
  code: string
  resolution: string
  items: string
}

export interface ImportResult {
  files: string[]
  provinces: number
  communes: {new: number; old: number; split: number}
  /** What decided the default successor of the split codes (table-order: sapxep's guesses). */
  defaults: DefaultCounts
  /** The errata file applied (null: the table as printed) and the rows it corrected. */
  errata: {file: string | null; applied: AppliedErratum[]}
  /** Quirks of the table and how they were read (file:line). */
  notices: Array<{file: string; line: number; message: string}>
}

/**
 * The official conversion table → one mapping file per new province. Everything is parsed, built and
 * validated before the first file is written: a bad row writes nothing.
 */
export async function importMappings(file: string, opts: ImportOptions): Promise<ImportResult> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    throw new SapxepError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const tableName = path.basename(file)
  const parsed = parseConversionTable(text, file)
  const errataFile = opts.asPrinted
    ? null
    : (opts.errata ?? dataFile('errata/conversion-table-2025-07-01.csv'))
  const rows = errataFile
    ? applyTableErrata(parsed.rows, await readTableErrata(errataFile), errataFile)
    : parsed.rows
  const resolutions = await readProvinceResolutions(opts.resolutions ?? dataFile('resolutions-2025.csv'))
  const shares = await readResolutionShares(opts.shares ?? dataFile('resolution-shares-2025.csv'))
  const built = buildProvinceMappings(rows, {tableName, province: opts.province, resolutions, shares})
  if (opts.province !== undefined && built.provinces.length === 0)
    throw new SapxepError(
      `province ${opts.province} is not in ${file}: the table's new provinces are ${[...new Set(parsed.rows.map((r) => r.newProvince.code))].join(', ')}`,
    )

  const outputs = built.provinces.map((p) => {
    const target = path.join(opts.outDir, mappingFileName(p.province))
    const yaml = mappingToYaml(p.mapping, {
      schemaRef: opts.schemaRef ?? '../mapping.schema.json',
      header: headerLines(p.province, p.counts, tableName, p.corrected),
      comments: p.comments,
    })
    // The import's own output must validate; if not, that is a bug here, reported rather than written.
    const report = validateText(target, yaml)
    if (!report.valid)
      throw new SapxepError(
        `the mapping generated for ${p.province.name} is invalid:\n${renderReportText(report)}`,
      )
    return {target, yaml}
  })

  prepareOutputDir(opts.outDir)
  for (const o of outputs) checkOutputFile(o.target)
  for (const o of outputs) await writeOutputText(o.target, o.yaml)
  // With --province, the table's heading notices count only where they stand next to that province's rows.
  const near = (n: ImportNotice) =>
    opts.province === undefined ||
    built.provinces.some((p) => n.line >= p.lines.first - 1 && n.line <= p.lines.last)
  const notices: ImportNotice[] = [...parsed.notices.filter(near), ...built.notices]
  return {
    files: outputs.map((o) => o.target),
    provinces: built.counts.provinces,
    communes: built.counts.communes,
    defaults: built.defaults,
    errata: {
      file: errataFile,
      applied: built.provinces.flatMap((p) => p.corrected.map(appliedErratum)),
    },
    notices: notices.sort((a, b) => a.line - b.line).map((n) => ({file, ...n})),
  }
}

/** `37-ninh-binh.yaml`: the code first (files sort like the GSO list), then the name people search for. */
export function mappingFileName(province: {code: string; name: string}): string {
  const words = splitUnitName(province.name).proper.split(' ').map(fold).filter(Boolean)
  return `${province.code}-${words.join('-')}.yaml`
}

function appliedErratum(r: ConversionRow): AppliedErratum {
  const c = r.corrected!
  return {
    line: r.line,
    newCode: r.newCode,
    name: r.oldName,
    printed: c.printedCode,
    code: r.oldCode,
    resolution: c.resolution,
    items: c.items,
  }
}

/** data/resolutions-2025.csv: each new province's own resolution, by the province's code. */
async function readProvinceResolutions(file: string): Promise<Map<string, ProvinceResolution>> {
  const {rows} = await readCsv(file, {required: ['province_code', 'resolution', 'date']})
  const out = new Map<string, ProvinceResolution>()
  for (const {line, values: v} of rows) {
    if (!/^[0-9]{2}$/.test(v.province_code))
      throw new InputError(file, line, `column "province_code": "${v.province_code}" is not a province code`)
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v.date))
      throw new InputError(file, line, `column "date": "${v.date}" is not an ISO date`)
    if (v.resolution === '') throw new InputError(file, line, 'column "resolution" is empty')
    if (out.has(v.province_code))
      throw new InputError(file, line, `province ${v.province_code} is already on another line`)
    out.set(v.province_code, {number: v.resolution, date: v.date})
  }
  return out
}

function headerLines(
  province: {code: string; name: string},
  counts: {communes: number; rows: number; oldCodes: number; splitCodes: number},
  tableName: string,
  corrected: ConversionRow[],
): string[] {
  const errata =
    corrected.length > 0
      ? [
          `Documented errata applied (${corrected.map((r) => `line ${r.line}: ${r.corrected!.printedCode} → ${r.oldCode}`).join('; ')});`,
          'see decision.notes and the rows marked "Erratum". --as-printed reproduces the table as printed.',
        ]
      : []
  return [
    '',
    `${province.name} (${province.code}) from 1 July 2025: ${counts.communes} communes formed from ${counts.oldCodes} old communes`,
    `(${counts.splitCodes} of them split), ${counts.rows} rows of the official conversion table. Generated by`,
    `  sapxep mapping import ${tableName} --format conversion-table`,
    'Regenerate rather than edit the units by hand; the policies are yours to adjust.',
    "What is official and what is sapxep's choice: decision.notes.",
    ...errata,
  ]
}
