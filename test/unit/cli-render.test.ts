import {Chalk} from 'chalk'
import {describe, expect, it} from 'vitest'
import {renderApply, renderApplyConfirmation} from '../../src/cli/render/apply.js'
import {renderDbMigrate, renderDbStatus, renderInit} from '../../src/cli/render/db.js'
import {renderHistory} from '../../src/cli/render/history.js'
import {renderExportImport, renderRecordsImport, renderUnitsImport} from '../../src/cli/render/imports.js'
import {agenciesExport} from '../../src/registry/import/agencies.js'
import {mailboxesExport} from '../../src/registry/import/mailboxes.js'
import {renderImportNotices, renderMappingImport} from '../../src/cli/render/mapping.js'
import {renderApprove, renderKeygen, renderPlanSaved} from '../../src/cli/render/plan.js'
import {renderRegistryDigest, renderRegistryStats} from '../../src/cli/render/registry.js'
import {renderSeed, renderSeedWarnings} from '../../src/cli/render/seed.js'
import {renderOverwritten, renderRollback} from '../../src/cli/render/rollback.js'
import {renderVerify} from '../../src/cli/render/verify.js'
import type {
  ApplyResult,
  RegistryDigest,
  RollbackResult,
  RunRecord,
  SeedResult,
  VerifyReport,
} from '../../src/index.js'
import {samplePlan} from '../helpers/plan-fixtures.js'

const plain = new Chalk({level: 0})
const colour = new Chalk({level: 1})
const DIGEST = 'sha256:655a2cc3672f6b4bf013a17761eb3daa75b5040d1de8365a382503d8d66da10e'

describe('apply', () => {
  const touched = {accounts: 1_029_901, agencies: 1_708, unit_history: 129}

  it('lists the rows written per table, with thousands separators, and what to run next', () => {
    const r: ApplyResult = {
      status: 'applied',
      run: 3,
      digest: DIGEST,
      touched,
      operations: 1_039_352,
      seconds: 41.26,
    }
    expect(renderApply(r)).toBe(
      [
        'Applied as run 3 in 41.3 s. Rows written:',
        '  accounts          1,029,901',
        '  agencies          1,708',
        '  unit_history      129',
        'Check it with `sapxep verify 3`; undo it with `sapxep rollback 3`.',
      ].join('\n'),
    )
  })

  it('says a dry run rolled everything back', () => {
    const r: ApplyResult = {
      status: 'dry-run',
      run: null,
      digest: DIGEST,
      touched,
      operations: 39_352,
      seconds: 5.7,
    }
    expect(renderApply(r).split('\n')[0]).toBe(
      'Dry run: 39,352 operations would touch these rows (all rolled back):',
    )
    expect(renderApply(r)).not.toMatch(/verify|rollback/)
  })

  it('says when the plan was already applied, and by which run', () => {
    const r: ApplyResult = {
      status: 'already-applied',
      run: 1,
      digest: DIGEST,
      touched: {},
      operations: 0,
      seconds: 0,
    }
    expect(renderApply(r)).toBe(`Nothing to do: this plan (${DIGEST}) was already applied by run 1.`)
  })

  it('asks for confirmation with the plan digest, the decision and the operations by kind', () => {
    const plan = samplePlan()
    const text = renderApplyConfirmation(plan)
    const lines = text.split('\n')
    expect(lines[0]).toBe(`Plan ${plan.digest}`)
    expect(lines[1]).toBe('1674/NQ-UBTVQH15 — 46 operations:')
    expect(lines.slice(2)).toHaveLength(Object.keys(plan.summary.byKind).length)
    expect(lines).toContain('  account.reassign     27')
    expect(renderApplyConfirmation({...plan, summary: {...plan.summary, operations: 1_039_352}})).toContain(
      '1674/NQ-UBTVQH15 — 1,039,352 operations:',
    )
  })
})

describe('rollback', () => {
  const base: RollbackResult = {
    status: 'rolled-back',
    run: 1,
    restored: {units: 422, accounts: 29_901},
    deleted: {mailbox_aliases: 1_714},
    overwritten: [],
    seconds: 4.56,
  }

  it('totals and lists the rows restored and removed', () => {
    expect(renderRollback(base)).toBe(
      [
        'Rolled back run 1: restored 30,323 row(s), removed 1,714 created row(s) in 4.6 s',
        '  units             422 restored',
        '  accounts          29,901 restored',
        '  mailbox_aliases   1,714 removed',
      ].join('\n'),
    )
  })

  it('says what a dry run would do', () => {
    expect(renderRollback({...base, status: 'dry-run'}).split('\n')[0]).toBe(
      'Dry run: would restore 30,323 row(s), remove 1,714 created row(s) in 4.6 s',
    )
  })

  it('says when the run was already rolled back', () => {
    const r: RollbackResult = {...base, status: 'already-rolled-back', restored: {}, deleted: {}}
    expect(renderRollback(r)).toBe('Nothing to do: run 1 was already rolled back.')
  })

  it('warns about the rows --force overwrote, and nothing when there were none', () => {
    const row = 'accounts {"system": "dvc", "username": "buianhthanh.13438"}'
    expect(renderOverwritten({...base, overwritten: [row]})).toBe(
      `--force overwrote 1 row(s) changed since run 1:\n  ${row}`,
    )
    expect(renderOverwritten(base)).toBe('')
  })
})

describe('verify', () => {
  const passed: VerifyReport = {
    ok: true,
    subject: 'run 1',
    checks: [
      {check: 'rows written by run 1 still hold what it wrote', ok: true, violations: 0, examples: []},
      {check: 'expected counts in province 37', ok: true, violations: 0, examples: []},
    ],
  }

  it('ticks every check and says all passed', () => {
    expect(renderVerify(passed, plain)).toBe(
      [
        '✓ rows written by run 1 still hold what it wrote',
        '✓ expected counts in province 37',
        'run 1: all 2 checks passed',
      ].join('\n'),
    )
  })

  it('shows the violations of a failed check, its examples and how many more there are', () => {
    const failed: VerifyReport = {
      ok: false,
      subject: 'run 1',
      checks: [
        {
          check: 'no active account on a retired agency or unit',
          ok: false,
          violations: 12,
          examples: ['dvc/buianhthanh.13438 on 13438.ubnd', 'dvc/buibichanh.14557 on 14557.ubnd'],
        },
        passed.checks[1],
      ],
    }
    expect(renderVerify(failed, plain)).toBe(
      [
        '✗ no active account on a retired agency or unit — 12 violation(s)',
        '    dvc/buianhthanh.13438 on 13438.ubnd',
        '    dvc/buibichanh.14557 on 14557.ubnd',
        '    … and 10 more',
        '✓ expected counts in province 37',
      ].join('\n'),
    )
  })

  it('colours the marks only when asked to', () => {
    expect(renderVerify(passed, plain)).not.toContain('\u001b[')
    expect(renderVerify(passed, colour)).toContain(colour.green('✓'))
  })
})

describe('history', () => {
  const run: RunRecord = {
    id: 1,
    status: 'applied',
    plan_digest: DIGEST,
    mapping: 'mappings/2025/37-ninh-binh.yaml',
    mapping_digest: 'sha256:76bc',
    os_user: 'lan',
    host: 'so-tttt',
    started_at: '2025-07-01 08:00:00+07',
    finished_at: '2025-07-01 08:00:41+07',
    rolled_back_at: null,
    rolled_back_by: null,
    operations: 39_352,
    rows: {accounts: 29_901, units: 422, mailbox_aliases: 1_714},
  }

  it('one line per run: who, when, where, which plan, how much', () => {
    expect(renderHistory([run])).toBe(
      'run 1  applied      2025-07-01 08:00:00+07  lan@so-tttt  mappings/2025/37-ninh-binh.yaml  ' +
        '39,352 ops, 32,037 rows  plan sha256:655a2cc3672f…',
    )
  })

  it('says when and by whom a run was rolled back', () => {
    const rolled: RunRecord = {
      ...run,
      status: 'rolled_back',
      rolled_back_at: '2025-07-02 09:00:00+07',
      rolled_back_by: 'minh',
    }
    const line = renderHistory([rolled])
    expect(line.startsWith('run 1  rolled back  2025-07-01 08:00:00+07  ')).toBe(true)
    expect(line.endsWith('  (rolled back 2025-07-02 09:00:00+07 by minh)')).toBe(true)
  })

  it('says there are no runs yet', () => {
    expect(renderHistory([])).toBe('No runs yet.')
  })
})

describe('registry stats, digest and seed', () => {
  it('stats: active rows by kind, with thousands separators', () => {
    const text = renderRegistryStats({
      units: {province: 63, district: 696, commune: 10_051},
      agencies: 55_123,
      accounts: 1_080_000,
      mailboxes: 440_000,
      endpoints: 0,
    })
    expect(text).toBe(
      [
        'provinces  63',
        'districts  696',
        'communes   10,051',
        'agencies   55,123',
        'accounts   1,080,000',
        'mailboxes  440,000',
        'endpoints  0',
      ].join('\n'),
    )
  })

  it('digest: the whole, then one per table', () => {
    const text = renderRegistryDigest({
      digest: DIGEST,
      tables: {units: 'sha256:cb3e', accounts: 'sha256:f990'} as RegistryDigest['tables'],
    })
    expect(text).toBe(`${DIGEST}\n  units             sha256:cb3e\n  accounts          sha256:f990`)
  })

  const seed: SeedResult = {
    sample: 'national',
    seed: 7,
    scale: 0.05,
    units: {province: 63, district: 696, commune: 10_051},
    rows: {
      agencies: 55_123,
      identifier_codes: 54_000,
      accounts: 54_012,
      mailboxes: 22_000,
      endpoints: 45_000,
    },
    changed: {agencies: 0, identifier_codes: 0, accounts: 1_200, mailboxes: 0, endpoints: 0},
    warnings: [],
  }

  it('seed: the sample, its units and the rows per table, aligned', () => {
    expect(renderSeed(seed)).toBe(
      [
        'Sample national (seed 7, scale 0.05) on 63 provinces, 696 districts, 10,051 communes:',
        '  agencies              55,123 rows, 0 new or changed',
        '  identifier_codes      54,000 rows, 0 new or changed',
        '  accounts              54,012 rows, 1,200 new or changed',
        '  mailboxes             22,000 rows, 0 new or changed',
        '  endpoints             45,000 rows, 0 new or changed',
      ].join('\n'),
    )
    expect(renderSeed({...seed, scale: 1}).split('\n')[0]).toMatch(/^Sample national \(seed 7\) on /)
  })

  it('seed warnings: one line each, nothing when there are none', () => {
    expect(renderSeedWarnings(seed)).toBe('')
    expect(renderSeedWarnings({...seed, warnings: ['a', 'b']})).toBe('Warning: a\nWarning: b')
  })
})

describe('init and db', () => {
  const status = {
    engine: 'pglite' as const,
    location: '/home/lan/.sapxep/registry',
    schemaVersion: '001_registry',
    latestSchemaVersion: '001_registry',
    pending: [],
  }

  it('init says where the registry is', () => {
    expect(renderInit(status)).toBe(
      'Registry ready: pglite at /home/lan/.sapxep/registry, schema 001_registry',
    )
  })

  it('db status: engine, location, schema, and pending migrations when there are', () => {
    expect(renderDbStatus(status)).toBe(
      'engine:   pglite\nlocation: /home/lan/.sapxep/registry\nschema:   001_registry (latest 001_registry)',
    )
    const empty = {...status, schemaVersion: null, pending: ['001_registry']}
    expect(renderDbStatus(empty).split('\n').slice(2)).toEqual([
      'schema:   (empty) (latest 001_registry)',
      'pending:  001_registry — run `sapxep db migrate`',
    ])
  })

  it('db migrate: what it applied, or that nothing was pending', () => {
    expect(renderDbMigrate({applied: []})).toBe('Schema is up to date.')
    expect(renderDbMigrate({applied: ['001_registry', '002_x']})).toBe('Applied: 001_registry, 002_x')
  })
})

describe('imports', () => {
  const counts = {inserted: 237, updated: 0, unchanged: 0}

  it('units: by level and what changed', () => {
    const text = renderUnitsImport({
      file: 'data/nam-dinh-units-2024-05-01.csv',
      format: 'province-snapshot',
      units: {province: 1, district: 10, commune: 226},
      ...counts,
      errata: {file: 'data/errata/gso-units-2025.csv', retired: []},
    })
    expect(text).toBe(
      'data/nam-dinh-units-2024-05-01.csv (province-snapshot): 1 provinces, 10 districts, 226 communes — 237 new, 0 updated, 0 unchanged',
    )
  })

  it('units: the stale rows the errata retired, with their successor where known; or that none were applied', () => {
    const r = {
      file: 'gso.csv',
      format: 'gso' as const,
      units: {province: 63, district: 696, commune: 10047},
      ...counts,
    }
    const retired = [
      {
        code: '07693',
        name: 'Xã Tân An',
        successor: {code: '07682', name: 'Phường Tân An', confidence: 'likely'},
        evidence: 'e',
      },
      {code: '07732', name: 'Xã Nham Sơn', successor: null, evidence: 'e'},
    ]
    expect(
      renderUnitsImport({...r, errata: {file: 'errata.csv', retired}})
        .split('\n')
        .slice(1),
    ).toEqual([
      '2 stale rows recorded as retired (errata: errata.csv):',
      '  07693 Xã Tân An → 07682 Phường Tân An (likely)',
      '  07732 Xã Nham Sơn (successor not known)',
    ])
    expect(renderUnitsImport({...r, errata: {file: null, retired: []}}).split('\n')[1]).toBe(
      'The list as published: no errata applied.',
    )
  })

  it('numbers as every command prints them (1,234)', () => {
    const big = {inserted: 10_047, updated: 1_234, unchanged: 0}
    expect(
      renderUnitsImport({
        file: 'gso.csv',
        format: 'gso',
        units: {province: 63, district: 696, commune: 10_047},
        ...big,
        errata: {file: 'errata.csv', retired: []},
      }),
    ).toBe(
      'gso.csv (gso): 63 provinces, 696 districts, 10,047 communes — 10,047 new, 1,234 updated, 0 unchanged',
    )
    const r = {
      file: 'accounts.csv',
      table: 'accounts',
      rows: 1_000_000,
      inserted: 999_000,
      updated: 1_000,
      unchanged: 0,
    }
    expect(renderRecordsImport(r)).toBe(
      'accounts.csv: 1,000,000 accounts — 999,000 new, 1,000 updated, 0 unchanged',
    )
    expect(renderExportImport({...r, identifierCodesIssued: 3_321}, agenciesExport.writes ?? [])).toMatch(
      /; 3,321 identifier codes issued$/,
    )
  })

  it('accounts and endpoints: rows of the file, named by their table', () => {
    const r = {file: 'accounts.csv', table: 'accounts', rows: 5, inserted: 3, updated: 1, unchanged: 1}
    expect(renderRecordsImport(r)).toBe('accounts.csv: 5 accounts — 3 new, 1 updated, 1 unchanged')
    expect(renderRecordsImport({...r, file: 'endpoints.csv', table: 'endpoints'})).toMatch(
      /^endpoints\.csv: 5 endpoints — /,
    )
  })

  it('agencies and mailboxes: with the codes issued and the aliases written', () => {
    const r = {file: 'agencies.csv', table: 'agencies', rows: 6, inserted: 6, updated: 0, unchanged: 0}
    expect(renderExportImport({...r, identifierCodesIssued: 5}, agenciesExport.writes ?? [])).toBe(
      'agencies.csv: 6 agencies — 6 new, 0 updated, 0 unchanged; 5 identifier codes issued',
    )
    const m = {...r, file: 'mailboxes.csv', table: 'mailboxes', rows: 4, inserted: 4, aliasesWritten: 0}
    expect(renderExportImport(m, mailboxesExport.writes ?? [])).toBe(
      'mailboxes.csv: 4 mailboxes — 4 new, 0 updated, 0 unchanged; 0 aliases written',
    )
  })
})

describe('plan files and keys', () => {
  it('plan --out: the file, its digest and size', () => {
    expect(renderPlanSaved({out: 'nb.plan.json', digest: DIGEST, bytes: 7_238_830})).toBe(
      `Saved plan nb.plan.json (${DIGEST}, 7,238,830 bytes)`,
    )
  })

  it('keygen: both files and the fingerprint', () => {
    expect(
      renderKeygen({privateKey: 'keys/lan.key.pem', publicKey: 'keys/lan.pub.pem', key: 'sha256:4ed7'}),
    ).toBe(
      [
        'Private key keys/lan.key.pem (keep it secret)',
        'Public key  keys/lan.pub.pem (give it to the team that applies plans)',
        'Fingerprint sha256:4ed7',
      ].join('\n'),
    )
  })

  it('approve: the key, the signer when given, and the approvals now', () => {
    const r = {path: 'nb.plan.json', digest: DIGEST, key: 'sha256:4ed7', approvals: 2}
    expect(renderApprove({...r, signer: 'Nguyễn Thị Lan'})).toBe(
      `Approved nb.plan.json (${DIGEST}) with key sha256:4ed7 as Nguyễn Thị Lan; the plan has 2 approval(s).`,
    )
    expect(renderApprove(r)).toBe(
      `Approved nb.plan.json (${DIGEST}) with key sha256:4ed7; the plan has 2 approval(s).`,
    )
  })
})

describe('mapping import', () => {
  it('the files written and the communes, singular and plural', () => {
    const one = {
      files: ['m/37-ninh-binh.yaml'],
      provinces: 1,
      communes: {new: 129, old: 398, split: 6},
      defaults: {'keeps-code': 5, 'whole-population': 0, 'population-only': 0, 'table-order': 1},
      errata: {file: 'e.csv', applied: []},
    }
    expect(renderMappingImport(one, 'm').split('\n')).toEqual([
      'Wrote 1 mapping file to m: 1 province, 129 new communes from 398 old codes (6 split).',
      '0 documented errata applied from e.csv.',
      "Default successors of the split codes: 5 keep the old code, 0 took the whole population, 0 the only part with people, 1 by table order (sapxep's guess, marked in the files).",
    ])
    const all = {
      files: Array(34).fill('x.yaml'),
      provinces: 34,
      communes: {new: 3321, old: 10035, split: 440},
      defaults: {'keeps-code': 138, 'whole-population': 38, 'population-only': 0, 'table-order': 264},
      errata: {
        file: 'e.csv',
        applied: [
          {
            line: 426,
            newCode: '00562',
            name: 'Xã Đặng Xá',
            printed: '00553',
            code: '00556',
            resolution: '1656/NQ-UBTVQH15',
            items: '110, 112',
          },
        ],
      },
    }
    expect(renderMappingImport(all, 'mappings/2025').split('\n').slice(0, 3)).toEqual([
      'Wrote 34 mapping files to mappings/2025: 34 provinces, 3,321 new communes from 10,035 old codes (440 split).',
      '1 documented erratum applied from e.csv:',
      '  line 426: Xã Đặng Xá 00553 → 00556 (1656/NQ-UBTVQH15 items 110, 112)',
    ])
    expect(renderMappingImport({...all, errata: {file: null, applied: []}}, 'x').split('\n')[1]).toBe(
      'The table as printed: no errata applied.',
    )
  })

  it('notices: one `note: file:line:` line each, nothing when there are none', () => {
    const notices = [{file: 't.csv', line: 4749, message: 'kept as a note on the unit'}]
    expect(renderImportNotices({notices})).toBe('note: t.csv:4749: kept as a note on the unit')
    expect(renderImportNotices({notices: []})).toBe('')
  })
})
