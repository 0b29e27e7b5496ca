// The whole command surface of sapxep, in one list (oclif "explicit" strategy).
import DbMigrate from './db/migrate.js'
import DbStatus from './db/status.js'
import Init from './init.js'
import RegistryDigest from './registry/digest.js'
import RegistryImportUnits from './registry/import/units.js'
import RegistryStats from './registry/stats.js'

export const commands = {
  init: Init,
  'db:status': DbStatus,
  'db:migrate': DbMigrate,
  'registry:import:units': RegistryImportUnits,
  'registry:stats': RegistryStats,
  'registry:digest': RegistryDigest,
}
