import {Flags} from '@oclif/core'
import {RegistryCommand, type Outcome} from '../../src/cli/base-command.js'
import {runArg, writeFlags} from '../../src/cli/flags.js'
import {renderLdapCheck, renderSync} from '../../src/cli/render/sync.js'
import {directorySchema} from '../../src/directory/schema-file.js'
import {ExitCode, SapxepError} from '../../src/errors.js'
import {checkLdap, type LdapCheckResult} from '../../src/sync/check.js'
import {readPassword} from '../../src/sync/connection.js'
import {syncLdap, type SyncResult} from '../../src/sync/ldap.js'

export default class SyncLdap extends RegistryCommand {
  static override summary = 'Carry a run into an LDAP directory: resumable, checkable, reversible.'
  static override description =
    'Sends the run’s single-sign-on changes (the records `export --system sso` writes to directory/sso.ldif: organizational units, inetOrgPerson accounts and mailboxes, the disable marker; other object classes and attribute names with --ldap-schema) to the directory, recording each step in the registry as the directory takes it: run it again after an interruption and it continues; run it again after it finished and it changes nothing. --dry-run prints the LDIF it would send. --check compares the directory with the registry (exit 3 when they differ). --revert undoes a rolled-back run’s changes. A sync holds the registry’s write lock from start to end: apply, rollback, imports and other syncs wait (--lock-timeout) or exit 4. The bind password comes from --password-file or SAPXEP_LDAP_PASSWORD, never from a flag.'
  static override examples = [
    '<%= config.bin %> sync ldap 1 --dry-run',
    'SAPXEP_LDAP_PASSWORD=… <%= config.bin %> sync ldap 1 --url ldaps://ldap.ninhbinh.gov.vn --bind-dn cn=admin,dc=ninhbinh,dc=gov,dc=vn',
    '<%= config.bin %> sync ldap 1 --check --url ldap://ldap:389 --starttls --ca-file ca.pem --bind-dn cn=admin,dc=ninhbinh,dc=gov,dc=vn --password-file pw',
    '<%= config.bin %> sync ldap 1 --revert --url … --bind-dn … --password-file pw',
  ]
  static override args = {
    run: runArg({description: 'run number (see `sapxep history`); optional with --check'}),
  }
  static override flags = {
    url: Flags.string({description: 'directory URL: ldap://HOST:PORT or ldaps://HOST:PORT'}),
    'bind-dn': Flags.string({description: 'DN to bind as'}),
    'password-file': Flags.string({
      description: 'file holding the bind password (else the SAPXEP_LDAP_PASSWORD variable)',
    }),
    'base-dn': Flags.string({description: 'directory base DN (default from the province’s mail domain)'}),
    'ldap-disable': Flags.string({
      description:
        'ATTRIBUTE=VALUE that marks a disabled directory account or suspended mailbox (default employeeType=disabled, or the schema file’s)',
    }),
    'ldap-schema': Flags.string({
      description:
        'YAML or JSON file of the directory’s object classes and attribute names (default inetOrgPerson)',
    }),
    starttls: Flags.boolean({description: 'upgrade an ldap:// connection with StartTLS'}),
    'ca-file': Flags.string({description: 'PEM file of a CA to trust for LDAPS and StartTLS'}),
    'dry-run': Flags.boolean({description: 'print the LDIF it would send; connect to nothing'}),
    check: Flags.boolean({description: 'compare the directory with the registry (exit 3 on a difference)'}),
    revert: Flags.boolean({
      description: 'undo the directory changes of a run rolled back with `sapxep rollback`',
    }),
    concurrency: Flags.integer({
      description: 'LDAP requests outstanding at once on the connection',
      default: 32,
      min: 1,
      max: 512,
    }),
    'lock-timeout': writeFlags.lockTimeout,
    timeout: Flags.integer({
      description: 'seconds to wait for the connection and each operation',
      default: 30,
      min: 1,
    }),
  }

  static override outcome(result: SyncResult | LdapCheckResult): Outcome {
    return 'drift' in result && !result.ok
      ? {exit: ExitCode.verifyFailed, message: `the directory differs from the registry`}
      : {exit: ExitCode.ok}
  }

  async run(): Promise<SyncResult | LdapCheckResult> {
    const {args, flags} = await this.parse(SyncLdap)
    const chalk = this.chalk(flags['no-color'])
    const {disable, schema} = directorySchema({
      schemaFile: flags['ldap-schema'],
      disable: flags['ldap-disable'],
    })
    if (flags.check && (flags.revert || flags['dry-run']))
      throw new SapxepError('--check compares; it does not go with --revert or --dry-run', {code: 'usage'})
    if (!flags.check && args.run === undefined)
      throw new SapxepError('give the run to sync (see `sapxep history`)', {code: 'usage'})
    const needsDirectory = !flags['dry-run']
    if (needsDirectory && (flags.url === undefined || flags['bind-dn'] === undefined))
      throw new SapxepError('give the directory with --url and --bind-dn', {code: 'usage'})
    const connection = {
      url: flags.url ?? '',
      bindDn: flags['bind-dn'] ?? '',
      password: needsDirectory ? readPassword(flags['password-file']) : undefined,
      startTls: flags.starttls,
      caFile: flags['ca-file'],
      timeoutSeconds: flags.timeout,
    }
    return this.withRegistry(
      flags,
      async (registry) => {
        const {db} = registry
        if (flags.check) {
          const result = await checkLdap(db, {
            run: args.run,
            baseDn: flags['base-dn'],
            disable,
            schema,
            connection: {...connection, password: connection.password!},
          })
          this.log(renderLdapCheck(result, chalk))
          return result
        }
        const result = await syncLdap(registry, {
          run: args.run!,
          direction: flags.revert ? 'revert' : 'apply',
          baseDn: flags['base-dn'],
          disable,
          schema,
          connection,
          dryRun: flags['dry-run'],
          concurrency: flags.concurrency,
          lockTimeoutSeconds: flags['lock-timeout'],
          // A line per batch recorded: what an interrupted sync had finished.
          onProgress: (done, total) =>
            this.note(`  ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} steps synced`),
        })
        if (result.ldif === undefined) this.log(renderSync(result, chalk))
        else if (!this.jsonEnabled()) process.stdout.write(result.ldif)
        // The LDIF is the text output; --json gives the counts (a many-megabyte string is no JSON to read).
        const {ldif: _ldif, ...counts} = result
        return this.jsonEnabled() ? counts : result
      },
      {lockTimeoutSeconds: flags['lock-timeout']},
    )
  }
}
