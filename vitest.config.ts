import {fileURLToPath} from 'node:url'
import {defineConfig} from 'vitest/config'

// Tiers (vitest projects), each runnable alone: `npm run test:unit|test:integration|test:e2e|test:bench`.
// Only the tiers that open a registry get the global setup (a migrated template to copy from).
// Timeouts only catch a hang: they are sized for a 2-core machine shared with several test runs (a CLI
// test that takes seconds on a quiet machine took minutes at load 15). No test asserts wall-clock time.
const registrySetup = ['test/helpers/global-setup.ts']
// Baseline WebAssembly code only, in the workers and the CLIs they start (see the file).
const liftoffOnly = fileURLToPath(new URL('test/helpers/liftoff-only.mjs', import.meta.url))
const nodeOptions = [process.env.NODE_OPTIONS, `--import=${JSON.stringify(liftoffOnly)}`]
  .filter(Boolean)
  .join(' ')

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    setupFiles: [liftoffOnly],
    env: {NODE_OPTIONS: nodeOptions},
    projects: [
      {
        extends: true,
        test: {name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 300_000},
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: registrySetup,
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: registrySetup,
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
      {
        extends: true,
        test: {
          // The standing fault suite (docs/reliability.md): reduced by default, SAPXEP_FAULTS=full for the figures.
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          // The signal, concurrency and rollback parts copy the scenario registry of test/helpers/scenario.ts.
          globalSetup: registrySetup,
          testTimeout: 3_600_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'bench',
          include: ['test/bench/**/*.test.ts'],
          testTimeout: 1_800_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
})
