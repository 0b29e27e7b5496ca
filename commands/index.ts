// The whole command surface of sapxep, in one list (oclif "explicit" strategy).
import Apply from './apply.js'
import Export from './export.js'
import History from './history.js'
import PlanCommand from './plan.js'
import Rollback from './rollback.js'
import Verify from './verify.js'
import DbMigrate from './db/migrate.js'
import DbStatus from './db/status.js'
import Init from './init.js'
import MappingImport from './mapping/import.js'
import MappingSchema from './mapping/schema.js'
import MappingValidate from './mapping/validate.js'
import PlanApprove from './plan/approve.js'
import PlanKeygen from './plan/keygen.js'
import RegistryDigest from './registry/digest.js'
import RegistryImportAccounts from './registry/import/accounts.js'
import RegistryImportAgencies from './registry/import/agencies.js'
import RegistryImportEndpoints from './registry/import/endpoints.js'
import RegistryImportMailboxes from './registry/import/mailboxes.js'
import RegistryImportUnits from './registry/import/units.js'
import RegistrySeed from './registry/seed.js'
import RegistryStats from './registry/stats.js'
import Show from './show.js'
import SyncLdap from './sync/ldap.js'

export const commands = {
  init: Init,
  'db:status': DbStatus,
  'db:migrate': DbMigrate,
  'registry:import:units': RegistryImportUnits,
  'registry:import:agencies': RegistryImportAgencies,
  'registry:import:accounts': RegistryImportAccounts,
  'registry:import:mailboxes': RegistryImportMailboxes,
  'registry:import:endpoints': RegistryImportEndpoints,
  'registry:seed': RegistrySeed,
  'registry:stats': RegistryStats,
  'registry:digest': RegistryDigest,
  'mapping:validate': MappingValidate,
  'mapping:schema': MappingSchema,
  'mapping:import': MappingImport,
  plan: PlanCommand,
  show: Show,
  apply: Apply,
  verify: Verify,
  rollback: Rollback,
  history: History,
  export: Export,
  'sync:ldap': SyncLdap,
  'plan:approve': PlanApprove,
  'plan:keygen': PlanKeygen,
}
