// Hand-off files for the province's systems, from a run or a plan: accounts, mail, directory, axes.
export {
  exportChanges,
  EXPORT_SYSTEMS,
  type ExportOptions,
  type ExportResult,
  type ExportSource,
  type ExportSystem,
} from './export.js'
export {
  checkExport,
  EXPORT_FORMAT,
  MANIFEST,
  type CheckResult,
  type Manifest,
  type ManifestFile,
} from './manifest.js'
export {LANGS, type Lang} from './table.js'
export {zmprovLine, zmprovQuote, type MailRecord} from './mail.js'
