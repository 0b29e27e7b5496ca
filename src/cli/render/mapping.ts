import type {ImportResult as MappingImportResult} from '../../mapping/import.js'
import {count} from './format.js'

const plural = (n: number, noun: string, nouns = `${noun}s`) => `${count(n)} ${n === 1 ? noun : nouns}`

/** `sapxep mapping import`: the files written and the communes they describe. */
export function renderMappingImport(r: Omit<MappingImportResult, 'notices'>, outDir: string): string {
  const {files, provinces, communes, defaults, errata} = r
  const corrections = errata.applied.map(
    (e) =>
      `  line ${e.line}: ${e.name} ${e.printed} → ${e.code} (${e.resolution}${e.items ? ` items ${e.items}` : ''})`,
  )
  return [
    `Wrote ${plural(files.length, 'mapping file')} to ${outDir}: ${plural(provinces, 'province')}, ` +
      `${count(communes.new)} new communes from ${count(communes.old)} old codes (${count(communes.split)} split).`,
    errata.file === null
      ? 'The table as printed: no errata applied.'
      : `${plural(errata.applied.length, 'documented erratum', 'documented errata')} applied from ${errata.file}${corrections.length > 0 ? ':' : '.'}`,
    ...corrections,
    `Default successors of the split codes: ${count(defaults['keeps-code'])} keep the old code, ` +
      `${count(defaults['whole-population'])} took the whole population, ${count(defaults['population-only'])} the only part with people, ` +
      `${count(defaults['table-order'])} by table order (sapxep's guess, marked in the files).`,
  ].join('\n')
}

/** The quirks of the table (stderr), one `note: file:line: message` per line; '' when there are none. */
export function renderImportNotices(r: Pick<MappingImportResult, 'notices'>): string {
  return r.notices.map((n) => `note: ${n.file}:${n.line}: ${n.message}`).join('\n')
}
