import type {Knex} from 'knex'

export interface RegistryStats {
  units: {province: number; district: number; commune: number}
  agencies: number
  accounts: number
  mailboxes: number
  endpoints: number
}

/** Counts of active rows (what `sapxep registry stats` prints; endpoints: the registered ones). */
export async function registryStats(db: Knex): Promise<RegistryStats> {
  const {rows} = await db.raw(`select
      (select count(*)::int from units where status = 'active' and level = 1) as province,
      (select count(*)::int from units where status = 'active' and level = 2) as district,
      (select count(*)::int from units where status = 'active' and level = 3) as commune,
      (select count(*)::int from agencies where status = 'active') as agencies,
      (select count(*)::int from accounts where status = 'active') as accounts,
      (select count(*)::int from mailboxes where status = 'active') as mailboxes,
      (select count(*)::int from endpoints where status = 'registered') as endpoints`)
  const r = rows[0]
  return {
    units: {province: r.province, district: r.district, commune: r.commune},
    agencies: r.agencies,
    accounts: r.accounts,
    mailboxes: r.mailboxes,
    endpoints: r.endpoints,
  }
}
