import type {Knex} from 'knex'

export interface RunRecord {
  id: number
  status: 'applied' | 'rolled_back'
  plan_digest: string
  mapping: string
  mapping_digest: string
  os_user: string
  host: string
  started_at: string
  finished_at: string | null
  rolled_back_at: string | null
  rolled_back_by: string | null
  operations: number
  rows: Record<string, number>
}

export async function listRuns(db: Knex): Promise<RunRecord[]> {
  const {rows} = await db.raw(
    `select id, status, plan_digest, mapping, mapping_digest, os_user, host, started_at::text, finished_at::text,
            rolled_back_at::text, rolled_back_by, counts from runs order by id`,
  )
  return rows.map((r: any) => {
    const counts = typeof r.counts === 'string' ? JSON.parse(r.counts) : (r.counts ?? {})
    const {counts: _c, ...rest} = r
    return {...rest, operations: counts.operations ?? 0, rows: counts.rows ?? {}}
  })
}
