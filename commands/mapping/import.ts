import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {renderImportNotices, renderMappingImport} from '../../src/cli/render/mapping.js'
import {nextAfterMappingImport} from '../../src/cli/render/next.js'
import {
  IMPORT_FORMATS,
  importMappings,
  type ImportFormat,
  type ImportResult as MappingImportResult,
} from '../../src/mapping/import.js'

/** The --json output: the import's result without the notices (they go to stderr). */
export type MappingImportOutput = Omit<MappingImportResult, 'notices'>

export default class MappingImport extends BaseCommand {
  static override summary =
    "Turn the government's official conversion table into mapping files, one per new province."
  static override description =
    'Files are named <code>-<province>.yaml (37-ninh-binh.yaml). Everything is read and checked before anything is written. ' +
    "The table's quirks (misspelt remarks, wrong labels, codes given two names) are handled and reported on stderr with file:line. " +
    'The documented errata (data/errata/conversion-table-2025-07-01.csv: wrong old codes, each with its resolution and items) are applied and marked in each affected file; --as-printed reproduces the table as printed.'
  static override examples = [
    '<%= config.bin %> mapping import data/conversion-table-2025-07-01.csv --format conversion-table --out mappings/2025',
    '<%= config.bin %> mapping import data/conversion-table-2025-07-01.csv --format conversion-table --province 37 --json',
  ]
  static override args = {
    file: Args.string({description: 'the official conversion table (CSV)', required: true}),
  }
  static override flags = {
    format: Flags.string({description: 'format of FILE', options: [...IMPORT_FORMATS], required: true}),
    province: Flags.string({description: 'only this new province (its code after the change, e.g. 37)'}),
    out: Flags.string({description: 'folder to write the mapping files into', default: '.'}),
    'as-printed': Flags.boolean({
      description: 'the table exactly as printed: do not apply the documented errata (data/errata/)',
      exclusive: ['errata'],
    }),
    errata: Flags.string({
      description: 'errata to apply instead of the shipped data/errata/conversion-table-2025-07-01.csv',
    }),
    'schema-ref': Flags.string({
      description:
        'JSON Schema reference written at the top of each file (for editors), relative to the file',
      default: '../mapping.schema.json',
    }),
  }

  async run(): Promise<MappingImportOutput> {
    const {args, flags} = await this.parse(MappingImport)
    const result = await importMappings(args.file, {
      format: flags.format as ImportFormat,
      province: flags.province,
      outDir: flags.out,
      schemaRef: flags['schema-ref'],
      asPrinted: flags['as-printed'],
      errata: flags.errata,
    })
    const notices = renderImportNotices(result)
    if (notices) this.note(notices)
    const {notices: _notices, ...output} = result
    this.log(renderMappingImport(output, flags.out))
    this.note(nextAfterMappingImport(flags.out))
    return output
  }
}
