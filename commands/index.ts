// The whole command surface of sapxep, in one list (oclif "explicit" strategy).
import DbMigrate from './db/migrate.js'
import DbStatus from './db/status.js'
import Init from './init.js'

export const commands = {
  init: Init,
  'db:status': DbStatus,
  'db:migrate': DbMigrate,
}
