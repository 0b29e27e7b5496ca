import fs from 'node:fs'
import path from 'node:path'
import type {Knex} from 'knex'
import {checkFresh} from '../apply/stale.js'
import {baseDnOfDomain, DEFAULT_DISABLE, type DirectoryOptions} from '../directory/index.js'
import {SapxepError} from '../errors.js'
import {cannot, checkNewOutputDir} from '../output.js'
import {provinceDomain} from '../naming/addresses.js'
import type {SignedPlan} from '../plan/types.js'
import {readJournal, readRowsByKey} from '../registry/export-reads.js'
import {CONTENT_TABLES, type ContentTable} from '../registry/schema.js'
import {readTransaction} from '../registry/db.js'
import {findAppliedRun, getRun} from '../registry/runs.js'
import {AXES, SYSTEMS} from '../registry/vocabulary.js'
import {toolVersion} from '../version.js'
import {accountFiles} from './account-tables.js'
import {accountRecords, followerRecords} from './accounts.js'
import {axisFiles, axisRecords} from './axes.js'
import {changesOfPlan, changesOfRun, type ChangeSet} from './changes.js'
import {directoryFiles} from './directory-files.js'
import type {ExportFile} from './files.js'
import {mailFiles, mailRecords} from './mail.js'
import {countProblems, EXPORT_FORMAT, MANIFEST, sha256File, sourceSummary, type Manifest} from './manifest.js'
import {readFollowers, readStates} from './states.js'
import type {Lang} from './table.js'

/** The registry's tables whose changes the systems hear of: a unit's history and successors stay ours. */
const HANDED_OFF_TABLES = CONTENT_TABLES.filter((t) => t !== 'unit_history' && t !== 'unit_successors')

/** What `--system` selects: the account systems, official mail, and the two document-exchange axes. */
export const EXPORT_SYSTEMS = [...SYSTEMS, 'mail', ...AXES] as const
export type ExportSystem = (typeof EXPORT_SYSTEMS)[number]

export type ExportSource = {run: number} | {plan: SignedPlan}

export interface ExportOptions {
  out: string
  systems?: readonly ExportSystem[]
  lang?: Lang
  /** Directory base DN; by default from the province's mail domain (`dc=ninhbinh,dc=gov,dc=vn`). */
  baseDn?: string
  disable?: DirectoryOptions['disable']
  /** Object classes and attribute names (`--ldap-schema`; default inetOrgPerson). */
  schema?: DirectoryOptions['schema']
}

export interface ExportResult {
  out: string
  manifest: Manifest
}

/**
 * The changes of a plan, or of a run as its journal records them (reversed when it was rolled back); of a
 * run, only those of `tables` (default: every table handed off).
 */
export async function changeSet(
  db: Knex,
  source: ExportSource,
  tables: readonly ContentTable[] = HANDED_OFF_TABLES,
): Promise<ChangeSet> {
  if ('plan' in source) return changesOfPlan(source.plan)
  const run = await getRun(db, source.run)
  if (!run) throw new SapxepError(`no run ${source.run} in the registry (see sapxep history)`)
  const entries = await readJournal(db, run.id, tables)
  const code = run.counts.scope.provinces[0]
  const unit = code ? (await readRowsByKey(db, 'units', [{code}])).get(code) : undefined
  const province = code && unit ? {code, name: String(unit.name)} : null
  return changesOfRun({id: run.id, plan_digest: run.plan_digest, status: run.status}, entries, province)
}

/**
 * A plan exports what it would do to the registry as it is: refuse one that was applied (its run says
 * what was done) or that the registry has moved away from (exit 5, as apply would).
 */
async function checkPlanUsable(trx: Knex.Transaction, plan: SignedPlan): Promise<void> {
  const run = await findAppliedRun(trx, plan.digest)
  if (run)
    throw new SapxepError(
      `the plan was applied as run ${run.id}: export what was done with \`sapxep export ${run.id}\``,
    )
  await checkFresh(trx, plan)
}

/**
 * Write the files each selected system's administrators load, and the manifest, for a run or a plan.
 * Everything is written into a staging directory beside `out` and renamed into place at the end.
 */
export async function exportChanges(
  db: Knex,
  source: ExportSource,
  options: ExportOptions,
): Promise<ExportResult> {
  const out = path.resolve(options.out)
  checkNewOutputDir(out)
  const lang = options.lang ?? 'vi'
  const systems = [...new Set(options.systems?.length ? options.systems : EXPORT_SYSTEMS)]
  const {set, followers, states} = await readTransaction(db, async (trx) => {
    if ('plan' in source) await checkPlanUsable(trx, source.plan)
    const set = await changeSet(trx, source)
    const followers = systems.includes('sso') ? await readFollowers(trx, set) : []
    return {set, followers, states: await readStates(trx, set, followers)}
  })
  const header = `sapxep ${set.source.kind === 'run' ? `run ${set.source.run}` : 'plan'} ${set.source.digest}${set.reverse ? ' (undo: rolled back)' : ''}`

  const accounts = accountRecords(set, states)
  const files: ExportFile[] = []
  for (const system of systems) {
    if ((SYSTEMS as readonly string[]).includes(system))
      files.push(...accountFiles(system, accounts, lang, set.reverse))
    if (system === 'sso')
      files.push(
        ...directoryFiles(
          set,
          accounts,
          directoryOptions(set, options),
          header,
          followerRecords(states, followers),
        ),
      )
    if (system === 'mail') files.push(...mailFiles(mailRecords(set), lang, header))
    if (system === 'provincial' || system === 'national')
      files.push(...axisFiles(system, axisRecords(set, states), lang))
  }

  // Checked again: the folder may have been filled or replaced while the registry was read.
  checkNewOutputDir(out)
  const stage = `${out}.partial-${process.pid}`
  fs.rmSync(stage, {recursive: true, force: true})
  try {
    fs.mkdirSync(stage)
  } catch (err) {
    throw cannot('create the folder', stage, err)
  }
  try {
    const listed: Manifest['files'] = []
    for (const f of files) {
      const file = path.join(stage, ...f.path.split('/'))
      fs.mkdirSync(path.dirname(file), {recursive: true})
      await f.write(file)
      listed.push({
        path: f.path,
        system: f.system,
        format: f.format,
        sha256: sha256File(file),
        bytes: fs.statSync(file).size,
        rows: f.rows,
      })
    }
    const manifest: Manifest = {
      format: EXPORT_FORMAT,
      tool: {name: 'sapxep', version: toolVersion},
      source: set.source,
      direction: set.reverse ? 'reverse' : 'forward',
      lang,
      systems,
      summary: sourceSummary(set),
      counts: Object.fromEntries(systems.map((s) => [s, primaryRows(files, s)])),
      files: listed,
    }
    const problems = countProblems(manifest)
    if (problems.length > 0) throw new Error(`export counts disagree with the source: ${problems.join('; ')}`)
    fs.writeFileSync(path.join(stage, MANIFEST), JSON.stringify(manifest, null, 2) + '\n')
    checkNewOutputDir(out)
    // rename(2) replaces an empty folder in one step (and refuses one that was filled meanwhile).
    fs.renameSync(stage, out)
    return {out, manifest}
  } catch (err) {
    if (err instanceof SapxepError) throw err
    throw cannot('write the export to', out, err)
  } finally {
    fs.rmSync(stage, {recursive: true, force: true})
  }
}

/** A system's rows per action: from its workbook, or for mail its zmprov batch. */
function primaryRows(files: readonly ExportFile[], system: string): Record<string, number> {
  const primary = files.find((f) => f.system === system && (f.format === 'xlsx' || f.format === 'zmprov'))
  return primary?.rows ?? {}
}

/** The directory's base DN (given, or from the province's mail domain), disable marker and schema. */
export function directoryOptions(
  set: ChangeSet,
  options: Pick<ExportOptions, 'baseDn' | 'disable' | 'schema'>,
): DirectoryOptions {
  const baseDn =
    options.baseDn ?? (set.province ? baseDnOfDomain(provinceDomain(set.province.name)) : undefined)
  if (!baseDn)
    throw new SapxepError('the plan covers several provinces: give the directory its base with --base-dn')
  return {
    baseDn,
    disable: options.disable ?? DEFAULT_DISABLE,
    ...(options.schema ? {schema: options.schema} : {}),
  }
}
