import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {importUnits} from '../../src/registry/import/units.js'
import {seedRegistry} from '../../src/registry/seed/seed.js'
import {runCli} from './cli.js'
import {NINH_BINH_BASE, registryLdif} from './directory.js'
import {DATA, freshRegistryTarget, openTarget, withDb, type TestRegistryTarget} from './registry.js'
import {makeTestCertificates, startSlapd, type Slapd} from './slapd.js'

export const NINH_BINH = path.resolve(import.meta.dirname, '../../mappings/2025/37-ninh-binh.yaml')

/**
 * A registry with the last GSO units before the reform (March 2025), the Nam Định sample, and a saved Ninh
 * Bình plan (or the plan of `mapping`). `scale` below 1 seeds a smaller sample of the same shape (fewer
 * accounts per agency).
 */
export async function ninhBinhScenario(opts: {scale?: number; mapping?: string} = {}): Promise<{
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
  const r = runCli(
    ['plan', opts.mapping ?? NINH_BINH, '--out', planFile, '--json', ...target.cliArgs],
    target.env,
  )
  if (r.status !== 0) throw new Error(`plan failed: ${r.stderr}`)
  return {target, dir, planFile}
}

export function registryDigestOf(target: TestRegistryTarget): string {
  return runCli(['registry', 'digest', '--json', ...target.cliArgs], target.env).json.digest
}

export interface LdapScenario {
  target: TestRegistryTarget
  dir: string
  planFile: string
  slapd: Slapd
  /** The bind password, in a file for `--password-file`. */
  passwordFile: string
  /** `--url`, `--bind-dn`, `--password-file` of the server. */
  conn: string[]
  /** With `tls`: the PEM of the CA that signed the server's certificate. */
  caFile?: string
  /** `registry digest` before the run. */
  digestBefore: string
  cleanup(): void
}

/**
 * The Ninh Bình scenario (or `mapping`'s) carried to a directory: a throwaway slapd holding the registry's single-sign-on
 * accounts and units as they are before the run, then the plan applied (run 1), ready to `sync ldap 1`.
 */
export async function ninhBinhLdapScenario(
  opts: {scale?: number; tls?: boolean; mapping?: string} = {},
): Promise<LdapScenario> {
  const {target, dir, planFile} = await ninhBinhScenario(opts)
  const tls = opts.tls ? makeTestCertificates(fs.mkdtempSync(path.join(dir, 'tls-'))) : undefined
  const slapd = await startSlapd(NINH_BINH_BASE, {tls})
  const cleanup = () => {
    slapd.stop()
    fs.rmSync(dir, {recursive: true, force: true})
  }
  try {
    const before = path.join(dir, 'before.ldif')
    fs.writeFileSync(before, (await withDb(target, (registry) => registryLdif(registry.db))).ldif)
    slapd.tool('ldapadd', ['-f', before])
    const passwordFile = path.join(dir, 'pw')
    fs.writeFileSync(passwordFile, slapd.password + '\n')
    const digestBefore = registryDigestOf(target)
    const r = runCli(['apply', planFile, '--yes', '--json', ...target.cliArgs], target.env)
    if (r.status !== 0) throw new Error(`apply failed: ${r.stderr}`)
    return {
      target,
      dir,
      planFile,
      slapd,
      passwordFile,
      conn: ['--url', slapd.url, '--bind-dn', slapd.rootDn, '--password-file', passwordFile],
      caFile: tls?.ca,
      digestBefore,
      cleanup,
    }
  } catch (err) {
    cleanup()
    throw err
  }
}
