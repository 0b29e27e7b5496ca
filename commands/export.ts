import {Args, Flags} from '@oclif/core'
import {RegistryCommand, type Outcome} from '../src/cli/base-command.js'
import {renderCheck, renderExport} from '../src/cli/render/export.js'
import {readVerifyTarget} from '../src/apply/verify-target.js'
import {directorySchema} from '../src/directory/schema-file.js'
import {ExitCode, SapxepError} from '../src/errors.js'
import {EXPORT_SYSTEMS, exportChanges, type ExportResult} from '../src/export/export.js'
import {checkExport, type CheckResult} from '../src/export/manifest.js'
import {LANGS} from '../src/export/table.js'

export default class Export extends RegistryCommand {
  static override summary = 'Write the files each system’s administrators load, for a run or a plan.'
  static override description =
    'A run exports what it applied, a plan what it would do, a rolled-back run the reverse. Accounts per system (XLSX and CSV: create, move, disable), official mail (Zimbra zmprov batch and CSV), single sign-on (LDIF change records of units, accounts and mailboxes, and a SCIM 2.0 bulk request), the provincial and national document-exchange axes (XLSX and CSV), and manifest.json with every file’s sha256 and the counts. --check DIR verifies an export against its manifest (exit 3 when it does not match).'
  static override examples = [
    '<%= config.bin %> export 1 --out handoff/',
    '<%= config.bin %> export nb.plan.json --out handoff/ --system qlvb --system mail --lang en',
    '<%= config.bin %> export --check handoff/',
  ]
  static override args = {target: Args.string({description: 'run number or plan file'})}
  static override flags = {
    out: Flags.string({description: 'folder to write: new or empty, in a folder that exists'}),
    system: Flags.string({
      description: 'only these systems (repeatable)',
      options: [...EXPORT_SYSTEMS],
      multiple: true,
    }),
    lang: Flags.string({description: 'language of column titles', options: [...LANGS], default: 'vi'}),
    'base-dn': Flags.string({description: 'directory base DN (default from the province’s mail domain)'}),
    'ldap-disable': Flags.string({
      description:
        'ATTRIBUTE=VALUE that marks a disabled directory account or suspended mailbox (default employeeType=disabled, or the schema file’s)',
    }),
    'ldap-schema': Flags.string({
      description:
        'YAML or JSON file of the directory’s object classes and attribute names (default inetOrgPerson)',
    }),
    check: Flags.string({
      description: 'verify the export in this directory against its manifest',
      exclusive: ['out'],
    }),
  }

  static override outcome(result: ExportResult | CheckResult): Outcome {
    return 'problems' in result && !result.ok
      ? {exit: ExitCode.verifyFailed, message: `${result.dir} does not match its manifest`}
      : {exit: ExitCode.ok}
  }

  async run(): Promise<ExportResult | CheckResult> {
    const {args, flags} = await this.parse(Export)
    const chalk = this.chalk(flags['no-color'])
    if (flags.check !== undefined) {
      const result = checkExport(flags.check)
      this.log(renderCheck(result, chalk))
      return result
    }
    if (args.target === undefined || flags.out === undefined)
      throw new SapxepError('give a run number or plan file and --out DIR (or --check DIR)')
    const {disable, schema} = directorySchema({
      schemaFile: flags['ldap-schema'],
      disable: flags['ldap-disable'],
    })
    const target = await readVerifyTarget(args.target)
    const result = await this.withRegistry(flags, ({db}) =>
      exportChanges(db, target, {
        out: flags.out!,
        systems: flags.system as (typeof EXPORT_SYSTEMS)[number][] | undefined,
        lang: flags.lang as (typeof LANGS)[number],
        baseDn: flags['base-dn'],
        disable,
        schema,
      }),
    )
    this.log(renderExport(result, chalk))
    return result
  }
}
