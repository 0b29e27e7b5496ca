import {spawnSync} from 'node:child_process'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {testDatabasePrefix, testEngine, testServerUrl} from '../helpers/engine.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

// The benchmark itself is not part of the tests' time budget; this small run of it is. It builds the
// whole pipeline at scale 0.05 (the real units, agencies and official mailboxes, a twentieth of the
// staff) and checks that every phase ran and that the result has the documented shape. It runs on
// PostgreSQL, the bench's default engine, in `npm run test:pg` (on the embedded engine the national
// sample alone took minutes of the suite's time).
const skipped = testEngine !== 'pg' ? 'runs on PostgreSQL, in npm run test:pg' : undefined
describe.skipIf(skipped !== undefined)(
  `npm run bench (smoke: --scale 0.05 --engine pg)${skipped ? ` (skipped: ${skipped})` : ''}`,
  () => {
    it('times every phase, the floor and the naive baseline, and rolls back exactly', () => {
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          'bench/run.ts',
          '--engine',
          'pg',
          '--pg-url',
          testServerUrl,
          '--pg-prefix',
          `${testDatabasePrefix()}bench`,
          '--scale',
          '0.05',
          '--json',
          '--naive-sample',
          '300',
          '--startup-runs',
          '1',
          // The export phase plans and applies one more province: its own e2e tests cover the export.
          '--skip-export',
        ],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: {...process.env, NO_COLOR: '1'},
          timeout: 1_780_000, // under the tier's 30 minutes: a busy machine takes many minutes
          maxBuffer: 64 << 20,
        },
      )
      expect(r.status, r.stderr.slice(-3000)).toBe(0)
      const result = JSON.parse(r.stdout)
      expect(result).toMatchObject({engine: 'pg', scale: 0.05})
      expect(Object.keys(result)).toEqual(
        expect.arrayContaining(['engine', 'scale', 'rows', 'seconds', 'ratios', 'peak_rss_mb']),
      )
      for (const phase of ['validate', 'plan', 'apply', 'verify', 'rollback', 'floor', 'naive'])
        expect(result.seconds[phase], phase).toBeGreaterThan(0)
      for (const ratio of ['apply_floor', 'rollback_floor', 'naive_apply'])
        expect(result.ratios[ratio], ratio).toBeGreaterThan(0)
      expect(result.seconds.export).toBeUndefined()
      expect(result.peak_rss_mb).toBeGreaterThan(50)
      expect(result.peak_rss_mb).toBe(
        Math.max(...['validate', 'plan', 'apply', 'verify', 'rollback'].map((p) => result.rss_mb[p])),
      )

      // Every unit, agency and endpoint of the national sample; a twentieth of the staff, leaders kept.
      // The March 2025 list, its 12 stale rows retired: 10,035 active communes, the table's count.
      expect(result.rows.units).toEqual({province: 63, district: 696, commune: 10035})
      expect(result.rows.agencies).toBeGreaterThanOrEqual(40_000)
      expect(result.rows.endpoints).toBeGreaterThanOrEqual(40_000)
      expect(result.rows.accounts).toBeGreaterThan(50_000)
      expect(result.rows.accounts).toBeLessThan(300_000)
      expect(result.rows.operations).toBeGreaterThan(100_000)
      expect(result.naive_sample.of).toBe(result.rows.operations)
      expect(result.naive_sample.sampled).toBeGreaterThanOrEqual(300)

      // The pipeline is exact: rolled back to the digest before apply; the floor makes the same changes.
      expect(result.checks).toMatchObject({
        digest_restored: true,
        floor_matches_apply: true,
        floor_rollback_restored: true,
      })
      expect(result.digests.after_apply).not.toBe(result.digests.before)
      // Planned without --ignore-expect: every expected count holds, and verify passes.
      expect(result.checks.verify_failed).toEqual([])
      expect(result.checks.verify_ok).toBe(true)
      expect(result.startup.help_seconds).toBeGreaterThan(result.startup.node_seconds)
      expect(result.targets.map((t: {what: string}) => t.what)).toEqual(
        expect.arrayContaining([
          'plan',
          'apply',
          'apply / floor',
          'rollback / floor',
          'peak RSS',
          'sapxep --help',
        ]),
      )
    })
  },
)
