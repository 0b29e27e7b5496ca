import {Args, Flags, type Interfaces} from '@oclif/core'
import {
  columnNames,
  type ExportColumns,
  type ExportFormat,
  type ImportResultOf,
} from '../registry/import/export-format.js'
import {CSV_ENCODINGS} from '../registry/import/decode.js'
import {importExport} from '../registry/import/import-export.js'
import {SYSTEMS} from '../registry/vocabulary.js'
import {RegistryCommand} from './base-command.js'
import {withProgress} from './progress.js'
import {renderExportImport} from './render/imports.js'
import {nextAfterExportImport} from './render/next.js'

export interface ExportCommandHelp {
  summary: string
  examples: string[]
  /** Said about the columns, before "header row required". */
  columnsNote?: string
  /** A sentence after the columns. */
  more?: string
}

/**
 * The command `registry import <table>` of a system-export format: `<file>`, the registry flags and
 * `--system` where the format has it; it imports and prints one line (or the result with `--json`).
 */
export function exportImportCommand<Cs extends ExportColumns, K extends string>(
  format: ExportFormat<Cs, K>,
  help: ExportCommandHelp,
): typeof RegistryCommand {
  const flags: {
    system?: Interfaces.OptionFlag<string | undefined>
    encoding: Interfaces.OptionFlag<(typeof CSV_ENCODINGS)[number]>
  } = {
    encoding: Flags.option({
      description:
        'encoding of the file (UTF-8 is checked strictly; Windows tools export windows-1258 or latin1)',
      options: CSV_ENCODINGS,
      default: 'utf-8' as const,
    })(),
  }
  if (format.systemOption)
    flags.system = Flags.string({description: format.systemOption.help, options: [...SYSTEMS]})
  const note = help.columnsNote ? `${help.columnsNote}; ` : ''

  const ExportImport = class extends RegistryCommand {
    static override summary = help.summary
    static override description =
      `Columns: ${columnNames(format, 'all').join(', ')} (${note}header row required; see the README). ` +
      (help.more ? `${help.more} ` : '') +
      'Atomic and idempotent: a bad row aborts the import with file:line and nothing is written; importing the same file again changes nothing.'
    static override examples = help.examples
    static override args = {file: Args.string({description: 'CSV file', required: true})}
    static override flags = flags

    async run(): Promise<ImportResultOf<K>> {
      const {args, flags} = await this.parse(ExportImport)
      const result = await this.withRegistry(
        flags,
        (registry) =>
          withProgress(`Importing ${args.file}`, {json: this.jsonEnabled()}, () =>
            importExport(registry, format, args.file, {system: flags.system, encoding: flags.encoding}),
          ),
        {mustExist: false},
      )
      this.log(renderExportImport(result, format.writes ?? []))
      this.note(nextAfterExportImport())
      return result
    }
  }
  return ExportImport
}
