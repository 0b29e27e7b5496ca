/** The benchmark's result: its JSON shape, its targets (bench/README.md), and the table printed for people. */

export interface BenchResult {
  engine: 'pg' | 'pglite'
  scale: number
  rows: {
    units: {province: number; district: number; commune: number}
    agencies: number
    identifier_codes: number
    accounts: number
    mailboxes: number
    endpoints: number
    /** Operations in the plan over the 34 mappings. */
    operations: number
  }
  seconds: {
    validate: number
    plan: number
    apply: number
    verify: number
    /** `export RUN` of the applied run (every system), and its floor (bench/export-floor.ts). */
    export?: number
    export_floor?: number
    rollback: number
    /** Set-based SQL making the plan's row changes in one transaction (the apply floor). */
    floor: number
    /** Row by row, extrapolated from a sample. */
    naive: number
    /** Set-based SQL undoing them (the rollback floor). */
    floor_rollback: number
    /** What apply and rollback report for their own transaction (without process start and plan reading). */
    apply_internal: number
    rollback_internal: number
    /** Making the registry: units import, national seed, conversion-table import, VACUUM ANALYZE. */
    setup: Record<string, number>
  }
  ratios: {apply_floor: number; rollback_floor: number; export_floor?: number; naive_apply: number}
  /** What the export floor read and wrote. */
  export_floor?: {journal_rows: number; files: number; bytes: number}
  peak_rss_mb: number
  rss_mb: Record<string, number>
  /** CPU seconds (user + system) of each phase's process. */
  cpu_seconds: Record<string, number>
  startup: {help_seconds: number; node_seconds: number; runs: number}
  /** Findings of `mapping validate` over the 34 files. */
  validation: {errors: number; warnings: number}
  plan: {operations: number; bytes: number; warnings: number; by_kind: Record<string, number>}
  naive_sample: {
    method: string
    sampled: number
    of: number
    sample_seconds: number
    per_kind: Record<string, {sampled: number; total: number; msPerOp: number}>
  }
  floor_statements: {apply: Record<string, number>; rollback: Record<string, number>}
  checks: {
    /** `registry digest` after rollback equals the one before apply. */
    digest_restored: boolean
    /** The floor left the copy with the same digest as apply left the registry. */
    floor_matches_apply: boolean
    /** The floor's reverse brought the copy back to the digest before apply. */
    floor_rollback_restored: boolean
    verify_ok: boolean
    /** Checks verify reported as failed (none expected: every mapping holds against the March 2025 list). */
    verify_failed: string[]
    verify_checks: number
  }
  digests: {before: string; after_apply: string; after_rollback: string}
  /** Other engine's saved result at the same scale, phase by phase (this engine ÷ the other). */
  vs_other_engine?: {engine: string; ratios: Record<string, number>}
  targets: Array<{what: string; value: string; target: string; ok: boolean}>
  environment: {
    database: string
    node: string
    cpus: number
    cpu_model: string
    memory_gb: number
    os: string
    rss_method: string
    /** 1-minute load average when the run started and ended (other work on the machine skews the figures). */
    load_average: {start: number; end: number}
    commit: string
    /** Uncommitted changes in src/, commands/, bin/ or package.json when it ran. */
    local_changes: boolean
    /** dist/ was older than the sources (the CLI measured was not the current code). */
    dist_stale?: boolean
  }
  finished_at: string
}

// Issue 17's targets (round two of performance).
export const TARGETS = {
  plan: 10,
  planRssMb: 600,
  apply: 30,
  applyFloor: 1.5,
  rollback: 30,
  rollbackFloor: 1.1,
  exportFloor: 1.5,
  verify: 2,
  validate: 2,
  rssMb: 1024,
  pgliteVsPg: 2,
  help: 0.1,
}

const s = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} s` : 'n/a')
const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a')

/** The targets (bench/README.md "Targets"), set for PostgreSQL at scale 1 on a 2-core machine. */
export function evaluateTargets(r: Omit<BenchResult, 'targets'>): BenchResult['targets'] {
  const t: BenchResult['targets'] = [
    {
      what: 'validate (34 mappings)',
      value: s(r.seconds.validate),
      target: `≤ ${TARGETS.validate} s`,
      ok: r.seconds.validate <= TARGETS.validate,
    },
    {
      what: 'plan',
      value: s(r.seconds.plan),
      target: `≤ ${TARGETS.plan} s`,
      ok: r.seconds.plan <= TARGETS.plan,
    },
    {
      what: 'plan peak RSS',
      value: `${Math.round(r.rss_mb.plan)} MB`,
      target: `≤ ${TARGETS.planRssMb} MB`,
      ok: r.rss_mb.plan <= TARGETS.planRssMb,
    },
    {
      what: 'apply',
      value: s(r.seconds.apply),
      target: `≤ ${TARGETS.apply} s`,
      ok: r.seconds.apply <= TARGETS.apply,
    },
    {
      what: 'apply / floor',
      value: x(r.ratios.apply_floor),
      target: `≤ ${TARGETS.applyFloor}× floor`,
      ok: r.ratios.apply_floor <= TARGETS.applyFloor,
    },
    {
      what: 'verify',
      value: s(r.seconds.verify),
      target: `≤ ${TARGETS.verify} s`,
      ok: r.seconds.verify <= TARGETS.verify,
    },
    {
      what: 'rollback',
      value: s(r.seconds.rollback),
      target: `≤ ${TARGETS.rollback} s`,
      ok: r.seconds.rollback <= TARGETS.rollback,
    },
    {
      what: 'rollback / floor',
      value: x(r.ratios.rollback_floor),
      target: `≤ ${TARGETS.rollbackFloor}× floor`,
      ok: r.ratios.rollback_floor <= TARGETS.rollbackFloor,
    },
    {
      what: 'peak RSS',
      value: `${Math.round(r.peak_rss_mb)} MB`,
      target: `≤ ${TARGETS.rssMb} MB`,
      ok: r.peak_rss_mb <= TARGETS.rssMb,
    },
    {
      what: 'sapxep --help',
      value: s(r.startup.help_seconds),
      target: `≤ ${TARGETS.help} s`,
      ok: r.startup.help_seconds <= TARGETS.help,
    },
  ]
  if (r.ratios.export_floor !== undefined)
    t.push({
      what: 'export / floor',
      value: x(r.ratios.export_floor),
      target: `≤ ${TARGETS.exportFloor}× floor`,
      ok: r.ratios.export_floor <= TARGETS.exportFloor,
    })
  if (r.vs_other_engine) {
    const worst = Math.max(...Object.values(r.vs_other_engine.ratios))
    t.push({
      what: 'PGlite ÷ PostgreSQL (worst phase)',
      value: x(worst),
      target: `≤ ${TARGETS.pgliteVsPg}×`,
      ok: worst <= TARGETS.pgliteVsPg,
    })
  }
  return t
}

const n = (v: number) => v.toLocaleString('en-US')
const pad = (v: string, w: number) => v.padEnd(w)
const lpad = (v: string, w: number) => v.padStart(w)

/** The table a person reads. */
export function renderTable(r: BenchResult): string {
  const lines: string[] = []
  const e = r.environment
  lines.push(
    `sapxep benchmark — ${r.engine} (${e.database}), scale ${r.scale}, ${e.cpus} CPUs, Node ${e.node}, ` +
      `load ${e.load_average.start.toFixed(1)}→${e.load_average.end.toFixed(1)}, ` +
      `commit ${e.commit.slice(0, 10)}${e.local_changes ? ' + local changes' : ''}${e.dist_stale ? ' (STALE dist/)' : ''}`,
  )
  lines.push(
    `registry: ${n(r.rows.units.province + r.rows.units.district + r.rows.units.commune)} active units, ${n(r.rows.agencies)} agencies, ` +
      `${n(r.rows.accounts)} accounts, ${n(r.rows.mailboxes)} mailboxes, ${n(r.rows.endpoints)} endpoints`,
  )
  lines.push(
    `plan over the 34 mappings of 2025: ${n(r.plan.operations)} operations, ${(r.plan.bytes / 1048576).toFixed(0)} MB, ` +
      `${r.plan.warnings} warnings`,
  )
  lines.push('')
  const rowsOut: string[][] = [['phase', 'seconds', 'peak RSS', 'target', '', 'note']]
  const target = (what: string) => r.targets.find((t) => t.what === what)
  const verdict = (...whats: string[]) => {
    const ts = whats.map(target).filter((t) => t !== undefined)
    if (ts.length === 0) return ['', '']
    return [ts.map((t) => t.target).join(', '), ts.every((t) => t.ok) ? 'ok' : 'OVER']
  }
  const rss = (phase: string) => (r.rss_mb[phase] ? `${n(Math.round(r.rss_mb[phase]))} MB` : '')
  const inside = (phase: 'apply' | 'rollback') =>
    `${r.seconds[`${phase}_internal`].toFixed(1)} s inside its transaction`
  rowsOut.push(['validate', s(r.seconds.validate), rss('validate'), ...verdict('validate (34 mappings)'), ''])
  rowsOut.push(['plan', s(r.seconds.plan), rss('plan'), ...verdict('plan'), ''])
  rowsOut.push([
    'apply',
    s(r.seconds.apply),
    rss('apply'),
    ...verdict('apply', 'apply / floor'),
    inside('apply'),
  ])
  rowsOut.push(['verify', s(r.seconds.verify), rss('verify'), ...verdict('verify'), ''])
  if (r.seconds.export !== undefined && r.export_floor)
    rowsOut.push([
      'export',
      s(r.seconds.export),
      rss('export'),
      ...verdict('export / floor'),
      `one province's run: ${n(r.export_floor.files)} files, ${(r.export_floor.bytes / 1048576).toFixed(0)} MB`,
    ])
  rowsOut.push([
    'rollback',
    s(r.seconds.rollback),
    rss('rollback'),
    ...verdict('rollback', 'rollback / floor'),
    inside('rollback'),
  ])
  rowsOut.push(['floor (apply)', s(r.seconds.floor), '', '', '', 'set-based SQL, one transaction'])
  rowsOut.push([
    'floor (rollback)',
    s(r.seconds.floor_rollback),
    '',
    '',
    '',
    'set-based SQL, one transaction',
  ])
  if (r.seconds.export_floor !== undefined && r.export_floor)
    rowsOut.push([
      'floor (export)',
      s(r.seconds.export_floor),
      '',
      '',
      '',
      `the run's journal read (${n(r.export_floor.journal_rows)} rows), the same bytes written`,
    ])
  rowsOut.push([
    'naive (apply)',
    s(r.seconds.naive),
    '',
    '',
    '',
    `row by row, ${n(r.naive_sample.sampled)} of ${n(r.naive_sample.of)} operations, extrapolated`,
  ])
  rowsOut.push([
    'sapxep --help',
    s(r.startup.help_seconds),
    '',
    ...verdict('sapxep --help'),
    `median of ${r.startup.runs}`,
  ])
  rowsOut.push(['node -e ""', s(r.startup.node_seconds), '', '', '', `median of ${r.startup.runs}`])
  const widths = rowsOut[0].map((_, i) => Math.max(...rowsOut.map((row) => row[i].length)))
  for (const row of rowsOut)
    lines.push(
      row
        .map((cell, j) => (j === 1 || j === 2 ? lpad(cell, widths[j]) : pad(cell, widths[j])))
        .join('  ')
        .trimEnd(),
    )
  lines.push('')
  const ratio = (what: string, value: number, t: string) => `${what} ${x(value)}${t ? ` (${t})` : ''}`
  lines.push(
    `ratios: ${ratio('apply/floor', r.ratios.apply_floor, `target ≤ ${TARGETS.applyFloor}×`)}, ` +
      `${ratio('rollback/floor', r.ratios.rollback_floor, `target ≤ ${TARGETS.rollbackFloor}×`)}, ` +
      (r.ratios.export_floor !== undefined
        ? `${ratio('export/floor', r.ratios.export_floor, `target ≤ ${TARGETS.exportFloor}×`)}, `
        : '') +
      `${ratio('naive/apply', r.ratios.naive_apply, '')}`,
  )
  const peak = target('peak RSS')!
  lines.push(`peak RSS: ${peak.value} (target ${peak.target}) ${peak.ok ? 'ok' : 'OVER'}`)
  if (r.vs_other_engine) {
    const parts = Object.entries(r.vs_other_engine.ratios).map(([k, v]) => `${k} ${x(v)}`)
    const pg = target('PGlite ÷ PostgreSQL (worst phase)')
    lines.push(
      `vs ${r.vs_other_engine.engine} (saved result, same scale): ${parts.join(', ')}` +
        (pg ? ` — target ≤ ${TARGETS.pgliteVsPg}× ${pg.ok ? 'ok' : 'OVER'}` : ''),
    )
  }
  const c = r.checks
  lines.push(
    `checks: digest after rollback = before apply ${c.digest_restored ? 'yes' : 'NO'}; floor = apply ${c.floor_matches_apply ? 'yes' : 'NO'}; ` +
      `floor rollback = before ${c.floor_rollback_restored ? 'yes' : 'NO'}; verify ${c.verify_ok ? 'passed' : `failed ${c.verify_failed.length} of ${c.verify_checks} checks (${summarizeFailed(c.verify_failed)})`}`,
  )
  if (e.load_average.start > 1)
    lines.push(
      `note: the machine was busy when the run started (load ${e.load_average.start.toFixed(1)} on ${e.cpus} CPUs): the figures are inflated`,
    )
  if (r.scale !== 1)
    lines.push(`(the targets are set for scale 1 on PostgreSQL; this run is scale ${r.scale})`)
  else if (r.engine !== 'pg')
    lines.push('(the targets are set for PostgreSQL; PGlite is to stay within 3× of it)')
  const over = r.targets.filter((t) => !t.ok)
  lines.push(over.length === 0 ? 'all targets met' : `over target: ${over.map((t) => t.what).join(', ')}`)
  return lines.join('\n') + '\n'
}

function summarizeFailed(failed: string[]): string {
  const expected = failed.filter((f) => f.startsWith('expected counts'))
  const other = failed.filter((f) => !f.startsWith('expected counts'))
  return [expected.length > 0 ? `${expected.length} expected-count checks that do not hold` : '', ...other]
    .filter(Boolean)
    .join('; ')
}
