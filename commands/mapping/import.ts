import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../../src/cli/base-command.js'
import {renderImportNotices, renderMappingImport} from '../../src/cli/render/mapping.js'
import {nextAfterMappingImport} from '../../src/cli/render/next.js'
import {IMPORT_FORMATS, importMappings, type ImportFormat, type MappingImportResult} from '../../src/index.js'

/** The --json output: the import's result without the notices (they go to stderr). */
export type MappingImportOutput = Omit<MappingImportResult, 'notices'>

export default class MappingImport extends BaseCommand {
  static override summary =
    "Turn the government's official conversion table into mapping files, one per new province."
  static override description =
    'Files are named <code>-<province>.yaml (37-ninh-binh.yaml). Everything is read and checked before anything is written. ' +
    "The table's quirks (misspelt remarks, wrong labels, codes given two names) are handled and reported on stderr with file:line."
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
    })
    const notices = renderImportNotices(result)
    if (notices) this.note(notices)
    const {files, provinces, communes} = result
    this.log(renderMappingImport(result, flags.out))
    this.note(nextAfterMappingImport(flags.out))
    return {files, provinces, communes}
  }
}
