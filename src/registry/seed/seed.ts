import type {Knex} from 'knex'
import {SapxepError} from '../../errors.js'
import {refreshStatistics, type Registry} from '../db.js'
import {UPSERT_BATCH, upsertRows, type UpsertSpec} from '../import/upsert.js'
import {loadLevel1Codes} from './level1-codes.js'
import {generateProvince, type SampleProvince, type SampleSink} from './sample.js'
import {writeTransaction} from '../write.js'

export const SAMPLES = ['nam-dinh', 'national'] as const
export type SampleName = (typeof SAMPLES)[number]

/** The province of the `nam-dinh` sample, and the provinces it formed the new Ninh Bình with in 2025. */
const NAM_DINH = '36'
const NINH_BINH_2025 = ['35', '36', '37']

/** Keeps a slip of the finger (`--scale 100`) from writing a hundred million rows: 20 is about 20 M accounts. */
export const MAX_SCALE = 20

export const SEED_TABLES = ['agencies', 'identifier_codes', 'accounts', 'mailboxes', 'endpoints'] as const
export type SeedTable = (typeof SEED_TABLES)[number]

export interface SeedOptions {
  sample: SampleName
  /** Same seed, same rows (default 1). */
  seed?: number
  /**
   * Multiplies the staff of every unit — their accounts and personal mailboxes — (default 1: the national
   * sample then has about 1,000,000 accounts). Agencies, identifier codes, endpoints and official
   * mailboxes do not change with it, and every unit keeps its leaders (chairman, vice-chairmen, clerk,
   * administrator), so a small scale is a smaller registry of the same shape, for tests and benchmarks.
   */
  scale?: number
  /** Level-1 codes file (default data/level1-codes.csv). */
  level1File?: string
}

export interface SeedResult {
  sample: SampleName
  seed: number
  scale: number
  /** Active units the sample was generated on. */
  units: {province: number; district: number; commune: number}
  /** Rows of the sample, per table. */
  rows: Record<SeedTable, number>
  /** Of those, rows inserted or changed (0 everywhere when the same sample is seeded again). */
  changed: Record<SeedTable, number>
  /** Things the user should know, e.g. that the registry now mixes two samples. */
  warnings: string[]
}

/**
 * Write the sample registry (agencies, identifier codes, accounts, mailboxes, endpoints) on top of the
 * active units already imported. One transaction; rows are generated province by province and written
 * in set-based batches, so memory stays flat even for the national sample (about 1.6 M rows).
 * Upserts by natural key: seeding the same sample again changes nothing.
 */
export async function seedRegistry(registry: Registry, opts: SeedOptions): Promise<SeedResult> {
  const seed = opts.seed ?? 1
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new SapxepError(`--seed must be a non-negative integer, got ${seed}`)
  const scale = opts.scale ?? 1
  if (!Number.isFinite(scale) || scale <= 0 || scale > MAX_SCALE)
    throw new SapxepError(`--scale must be a number above 0 and at most ${MAX_SCALE}, got ${scale}`)
  const level1 = await loadLevel1Codes(opts.level1File)
  // Under the write lock: a seed and an apply, rollback or import never interleave.
  const result = await writeTransaction(registry, {}, async (trx) => {
    const provinces = selectSample(opts.sample, await readProvinces(trx))
    for (const p of provinces)
      if (!level1.has(p.province.code))
        throw new SapxepError(
          `no level-1 identifier code for province ${p.province.code} (${p.province.name}) in data/level1-codes.csv`,
        )
    const {rows: before} = await trx.raw(`select exists (select 1 from accounts) as any`)
    const bulk = await skipReferenceTriggers(trx)
    const writer = new BatchWriter(trx)
    try {
      for (const p of provinces) {
        for (const _ of generateProvince(p, level1.get(p.province.code)!.level1, seed, writer.sink, scale))
          if (writer.full()) await writer.flush()
      }
      await writer.flush()
    } catch (err) {
      throw explainConflict(err)
    }
    if (bulk) await checkReferences(trx)
    const warnings = before[0].any ? await foreignAccounts(trx, provinces, writer.rows.accounts) : []
    return {
      sample: opts.sample,
      seed,
      scale,
      units: {
        province: provinces.length,
        district: provinces.reduce((n, p) => n + p.districts.length, 0),
        commune: provinces.reduce(
          (n, p) => n + p.communes.length + p.districts.reduce((m, d) => m + d.communes.length, 0),
          0,
        ),
      },
      rows: writer.rows,
      changed: writer.changed,
      warnings,
    }
  })
  await refreshStatistics(registry.db)
  return result
}

/**
 * Upserts never delete, so seeding over another seed (or over imported accounts) adds people rather
 * than replacing them. Worth a warning: the counts of such a registry are not the sample's.
 */
async function foreignAccounts(
  trx: Knex.Transaction,
  provinces: SampleProvince[],
  sampleAccounts: number,
): Promise<string[]> {
  const codes = provinces.flatMap((p) => [
    p.province.code,
    ...p.communes.map((c) => c.code),
    ...p.districts.flatMap((d) => [d.unit.code, ...d.communes.map((c) => c.code)]),
  ])
  const {rows} = await trx.raw(
    `select count(*)::int as n from accounts x join agencies a on a.id = x.agency_id where a.unit_code = any(?::text[])`,
    [codes],
  )
  const extra = Number(rows[0].n) - sampleAccounts
  if (extra <= 0) return []
  return [
    `the sample's units also hold ${extra.toLocaleString('en-US')} accounts that are not part of this sample ` +
      '(another seed, or imported): seed a registry that holds only units to get the sample alone',
  ]
}

/** The active units as a tree of provinces, everything in code order. */
async function readProvinces(trx: Knex.Transaction): Promise<SampleProvince[]> {
  const {rows} = await trx.raw(
    `select code, name, level, parent_code from units where status = 'active' order by level, code collate "C"`,
  )
  const provinces = new Map<string, SampleProvince>()
  const districts = new Map<string, SampleProvince['districts'][number]>()
  for (const u of rows as {code: string; name: string; level: number; parent_code: string | null}[]) {
    const unit = {code: u.code, name: u.name}
    const level = Number(u.level)
    if (level === 1) provinces.set(u.code, {province: unit, districts: [], communes: []})
    else if (level === 2) {
      const d = {unit, communes: []}
      districts.set(u.code, d)
      provinces.get(u.parent_code!)?.districts.push(d)
    } else {
      // A commune under a retired parent has nowhere to hang in the sample; it is left out.
      const district = districts.get(u.parent_code!)
      if (district) district.communes.push(unit)
      else provinces.get(u.parent_code!)?.communes.push(unit)
    }
  }
  return [...provinces.values()]
}

function selectSample(sample: SampleName, provinces: SampleProvince[]): SampleProvince[] {
  const populated = provinces.filter((p) => p.districts.length > 0 || p.communes.length > 0)
  if (sample === 'nam-dinh') {
    // Hà Nam and Ninh Bình come along when their units are there, so the 2025 Ninh Bình mapping can
    // be planned, applied and verified on the sample; Nam Định itself is the same either way.
    const namDinh = populated.filter((p) => NINH_BINH_2025.includes(p.province.code))
    if (!namDinh.some((p) => p.province.code === NAM_DINH))
      throw new SapxepError(
        `the nam-dinh sample needs the units of province ${NAM_DINH} (Nam Định) in the registry; import them first, ` +
          'e.g. `sapxep registry import units data/nam-dinh-units-2024-05-01.csv`',
      )
    return namDinh
  }
  if (populated.length === 0)
    throw new SapxepError(
      'the national sample needs units in the registry; import them first, e.g. `sapxep registry import units data/gso-units-2025-03-01.csv`',
    )
  return populated
}

/**
 * Foreign keys are checked row by row by triggers, which is most of the cost of writing a million
 * accounts (measured: 25 s → 10 s for 1 M accounts on PGlite). A superuser (always the case on the
 * embedded store) can switch those triggers off for this transaction, as pg_restore does; every
 * reference is then checked set-based at the end instead. Unique and check constraints stay on.
 */
async function skipReferenceTriggers(trx: Knex.Transaction): Promise<boolean> {
  const {rows} = await trx.raw(`select current_setting('is_superuser') = 'on' as superuser`)
  if (!rows[0].superuser) return false
  await trx.raw(`set local session_replication_role = replica`)
  return true
}

/** The foreign keys of the tables the sample writes, as anti-joins: each must find nothing. */
const REFERENCE_CHECKS = [
  [
    'agencies.unit_code',
    `select a.id as row from agencies a where not exists (select 1 from units u where u.code = a.unit_code)`,
  ],
  [
    'agencies.parent_id',
    `select a.id as row from agencies a where a.parent_id is not null and not exists (select 1 from agencies p where p.id = a.parent_id)`,
  ],
  [
    'identifier_codes.agency_id',
    `select c.code as row from identifier_codes c where not exists (select 1 from agencies a where a.id = c.agency_id)`,
  ],
  [
    'accounts.agency_id',
    `select x.username as row from accounts x where not exists (select 1 from agencies a where a.id = x.agency_id)`,
  ],
  [
    'mailboxes.owner_agency_id',
    `select m.address as row from mailboxes m where m.owner_agency_id is not null and not exists (select 1 from agencies a where a.id = m.owner_agency_id)`,
  ],
  [
    'mailboxes.owner_username',
    `select m.address as row from mailboxes m where m.owner_username is not null
     and not exists (select 1 from accounts a where a.system = m.owner_system and a.username = m.owner_username)`,
  ],
  [
    'endpoints.agency_id',
    `select e.agency_code as row from endpoints e where not exists (select 1 from agencies a where a.id = e.agency_id)`,
  ],
] as const

async function checkReferences(trx: Knex.Transaction): Promise<void> {
  await trx.raw(`set local session_replication_role = origin`)
  for (const [reference, sql] of REFERENCE_CHECKS) {
    const {rows} = await trx.raw(`${sql} limit 1`)
    if (rows.length > 0)
      throw new SapxepError(
        `the sample left a dangling reference ${reference} (row ${rows[0].row}); nothing was written`,
      )
  }
}

const text = (name: string) => ({name, type: 'text'}) as const

/** Columns written per table; status, reason and successors keep their defaults. */
const SPECS: Record<SeedTable, UpsertSpec> = {
  agencies: {
    table: 'agencies',
    columns: ['id', 'unit_code', 'kind', 'name', 'identifier_code', 'parent_id'].map(text),
    key: ['id'],
  },
  // An issued code is history: never re-pointed.
  identifier_codes: {
    table: 'identifier_codes',
    columns: ['code', 'agency_id'].map(text),
    key: ['code'],
    update: [],
  },
  accounts: {
    table: 'accounts',
    columns: ['system', 'username', 'holder', 'agency_id', 'role'].map(text),
    key: ['system', 'username'],
  },
  mailboxes: {
    table: 'mailboxes',
    columns: ['address', 'display_name', 'kind', 'owner_agency_id', 'owner_system', 'owner_username'].map(
      text,
    ),
    key: ['address'],
  },
  endpoints: {
    table: 'endpoints',
    columns: ['axis', 'agency_code', 'parent_code', 'agency_id', 'name', 'mail'].map(text),
    key: ['axis', 'agency_code'],
  },
}

/** Buffers rows column-wise and writes them table by table in foreign-key order. */
class BatchWriter {
  readonly rows = Object.fromEntries(SEED_TABLES.map((t) => [t, 0])) as Record<SeedTable, number>
  readonly changed = Object.fromEntries(SEED_TABLES.map((t) => [t, 0])) as Record<SeedTable, number>
  private buffers = this.empty()

  constructor(private readonly trx: Knex.Transaction) {}

  private empty(): Record<SeedTable, unknown[][]> {
    return Object.fromEntries(
      SEED_TABLES.map((t) => [t, SPECS[t].columns.map((): unknown[] => [])]),
    ) as Record<SeedTable, unknown[][]>
  }

  private push(table: SeedTable, ...values: unknown[]): void {
    const columns = this.buffers[table]
    for (let i = 0; i < values.length; i++) columns[i].push(values[i])
  }

  readonly sink: SampleSink = {
    agency: (...v) => this.push('agencies', ...v),
    identifierCode: (...v) => this.push('identifier_codes', ...v),
    account: (...v) => this.push('accounts', ...v),
    mailbox: (...v) => this.push('mailboxes', ...v),
    endpoint: (...v) => this.push('endpoints', ...v),
  }

  full(): boolean {
    return SEED_TABLES.some((t) => this.buffers[t][0].length >= UPSERT_BATCH)
  }

  async flush(): Promise<void> {
    const buffers = this.buffers
    this.buffers = this.empty()
    for (const table of SEED_TABLES) {
      const values = buffers[table]
      if (values[0].length === 0) continue
      const counts = await upsertRows(this.trx, SPECS[table], values)
      this.rows[table] += values[0].length
      this.changed[table] += counts.inserted + counts.updated
    }
  }
}

/** A unique violation here means the registry already holds other rows with the sample's codes or addresses. */
function explainConflict(err: unknown): unknown {
  const e = err as {code?: string; detail?: string; message?: string}
  if (e.code !== '23505' && !/duplicate key/.test(e.message ?? '')) return err
  return new SapxepError(
    `the sample collides with rows already in the registry (${e.detail ?? e.message}); seed a registry that holds only units, or the same sample`,
  )
}
