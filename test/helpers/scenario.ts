import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {importUnits} from '../../src/registry/import/units.js'
import {seedRegistry} from '../../src/registry/seed/seed.js'
import {runCli} from './cli.js'
import {DATA, freshRegistryTarget, openTarget, type TestRegistryTarget} from './registry.js'

export const NINH_BINH = path.resolve(import.meta.dirname, '../../mappings/2025/37-ninh-binh.yaml')

/**
 * A registry with the last GSO units before the reform (March 2025), the Nam Định sample, and a saved Ninh
 * Bình plan. `scale` below 1 seeds a smaller sample of the same shape (fewer accounts per agency).
 */
export async function ninhBinhScenario(opts: {scale?: number} = {}): Promise<{
  target: TestRegistryTarget
  dir: string
  planFile: string
}> {
  const target = await freshRegistryTarget()
  const registry = await openTarget(target)
  try {
    await importUnits(registry, path.join(DATA, 'gso-units-2025-03-01.csv'))
    await seedRegistry(registry, {sample: 'nam-dinh', scale: opts.scale})
  } finally {
    await registry.close()
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-scenario-'))
  const planFile = path.join(dir, 'nb.plan.json')
  const r = runCli(['plan', NINH_BINH, '--out', planFile, '--json', ...target.cliArgs], target.env)
  if (r.status !== 0) throw new Error(`plan failed: ${r.stderr}`)
  return {target, dir, planFile}
}

export function registryDigestOf(target: TestRegistryTarget): string {
  return runCli(['registry', 'digest', '--json', ...target.cliArgs], target.env).json.digest
}
