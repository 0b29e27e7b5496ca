import type {MappingImportResult} from '../../index.js'

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`

/** `sapxep mapping import`: the files written and the communes they describe. */
export function renderMappingImport(r: Omit<MappingImportResult, 'notices'>, outDir: string): string {
  const {files, provinces, communes} = r
  return (
    `Wrote ${plural(files.length, 'mapping file')} to ${outDir}: ${plural(provinces, 'province')}, ` +
    `${communes.new} new communes from ${communes.old} old codes (${communes.split} split).`
  )
}

/** The quirks of the table (stderr), one `note: file:line: message` per line; '' when there are none. */
export function renderImportNotices(r: Pick<MappingImportResult, 'notices'>): string {
  return r.notices.map((n) => `note: ${n.file}:${n.line}: ${n.message}`).join('\n')
}
