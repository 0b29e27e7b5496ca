import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {planFromFiles} from '../../src/plan/from-files.js'
import {writePlanFile} from '../../src/plan/file.js'
import {registryDigest} from '../../src/registry/digest.js'
import {importUnits} from '../../src/registry/import/units.js'
import {seedRegistry} from '../../src/registry/seed/seed.js'
import {runCli} from './cli.js'
import {NINH_BINH_BASE, registryLdif} from './directory.js'
import {
  copyRegistryTarget,
  DATA,
  freshRegistryTarget,
  openTarget,
  withDb,
  type RegistrySource,
  type TestRegistryTarget,
} from './registry.js'
import {makeTestCertificates, startSlapd, type Slapd} from './slapd.js'

export const NINH_BINH = path.resolve(import.meta.dirname, '../../mappings/2025/37-ninh-binh.yaml')

/**
 * The sample scale of the workflow tests (lifecycle, the export's LDIF): a tenth of the Nam Định staff,
 * every unit, agency, official mailbox and endpoint, so every kind of change is in the plan (some 4,000
 * accounts move) at a fraction of the CLI's time on the embedded engine. The tests that kill or
 * interrupt a command part-way keep the whole sample, for a long enough write, and so do the export's
 * and the HTML report's, which look at particular rows of the scale-1 plan.
 */
export const WORKFLOW_SCALE = 0.1

/** The scenario registry of one scale, built once per test run, with its Ninh Bình plan and digest. */
interface ScenarioTemplate extends RegistrySource {
  planFile: string
  digest: string
}

/**
 * Once per test run and scale, in whichever test file asks first (the others wait for it): the last GSO
 * units before the reform (March 2025) and the Nam Định sample, the Ninh Bình plan made on it, and its
 * digest, in process as `sapxep plan --out` and `registry digest` make them (the e2e tests check both
 * against the CLI's: lifecycle makes the plan again, every digest check compares). Tests get copies (a
 * PGlite folder copy, or CREATE DATABASE … TEMPLATE); the template itself is never opened again.
 * Planning is read-only, so the copies hold the rows as seeded.
 */
async function scenarioTemplate(scale: number | undefined): Promise<ScenarioTemplate> {
  const root = process.env.SAPXEP_TEST_ROOT!
  const dir = path.join(root, `scenario-${scale ?? 1}`)
  const meta = path.join(dir, 'scenario.json')
  const read = () => JSON.parse(fs.readFileSync(meta, 'utf8')) as ScenarioTemplate
  if (fs.existsSync(meta)) return read()
  const release = await lockFolder(`${dir}.lock`)
  try {
    if (fs.existsSync(meta)) return read()
    const target = await freshRegistryTarget()
    fs.mkdirSync(dir, {recursive: true})
    const planFile = path.join(dir, 'nb.plan.json')
    let digest: string
    const registry = await openTarget(target)
    try {
      await importUnits(registry, path.join(DATA, 'gso-units-2025-03-01.csv'))
      await seedRegistry(registry, {sample: 'nam-dinh', scale})
      await writePlanFile(planFile, await planFromFiles(registry.db, [NINH_BINH]))
      digest = (await registryDigest(registry.db)).digest
    } finally {
      await registry.close()
    }
    const template: ScenarioTemplate = {
      home: target.home,
      // A database copied as a template must have no connections: this one is only ever copied.
      database: target.databaseUrl && new URL(target.databaseUrl).pathname.slice(1),
      planFile,
      digest,
    }
    fs.writeFileSync(`${meta}.tmp`, JSON.stringify(template))
    fs.renameSync(`${meta}.tmp`, meta)
    return template
  } finally {
    release()
  }
}

/** Take a lock shared by this run's test workers (a folder naming its owner); a dead owner's is taken over. */
async function lockFolder(lock: string): Promise<() => void> {
  for (;;) {
    try {
      fs.mkdirSync(lock)
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid))
      return () => fs.rmSync(lock, {recursive: true, force: true})
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    let owner = 0 // 0 until the owner has written its pid
    try {
      owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'))
    } catch {
      // released meanwhile, or not written yet
    }
    if (owner && !alive(owner)) fs.rmSync(lock, {recursive: true, force: true})
    else await new Promise((r) => setTimeout(r, 250))
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/**
 * A registry with the last GSO units before the reform (March 2025), the Nam Định sample, and a saved Ninh
 * Bình plan (or the plan of `mapping`, made on the copy); `digest` is its `registry digest`. `scale` below 1
 * seeds a smaller sample of the same shape (fewer accounts per agency).
 */
export async function ninhBinhScenario(opts: {scale?: number; mapping?: string} = {}): Promise<{
  target: TestRegistryTarget
  dir: string
  planFile: string
  digest: string
}> {
  const template = await scenarioTemplate(opts.scale)
  const target = await copyRegistryTarget(template)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-scenario-'))
  const planFile = path.join(dir, 'nb.plan.json')
  if (opts.mapping === undefined || path.resolve(opts.mapping) === NINH_BINH)
    fs.copyFileSync(template.planFile, planFile)
  else {
    const r = runCli(['plan', opts.mapping, '--out', planFile, '--json', ...target.cliArgs], target.env)
    if (r.status !== 0) throw new Error(`plan failed: ${r.stderr}`)
  }
  return {target, dir, planFile, digest: template.digest}
}

/**
 * A copy of the scenario registry the fault suite's signal, concurrency and rollback parts start from
 * (the units and the nam-dinh sample; the same registry as ninhBinhScenario's, built once per run).
 */
export async function scenarioRegistryTarget(): Promise<TestRegistryTarget> {
  return copyRegistryTarget(await scenarioTemplate(undefined))
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
  const {target, dir, planFile, digest: digestBefore} = await ninhBinhScenario(opts)
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
