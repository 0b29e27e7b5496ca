// `npm run nam-dinh-2024`: the 2024 Nam Định merger planned as the province's ICT department did it,
// on a fresh embedded registry (GSO list of May 2024 and the Nam Định sample), with the plan's figures
// beside the department's (README "The 2024 Nam Định merger, as reported and as planned").
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'
import {importUnits, openRegistry, planFromFiles, seedRegistry} from '../dist/src/index.js'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-nam-dinh-2024-'))
const say = (line) => process.stderr.write(`${line}\n`)

const registry = await openRegistry({home})
let plan
let committees
try {
  say('registry import units data/nam-dinh-units-2024-05-01.csv')
  await importUnits(registry, path.join(root, 'data/nam-dinh-units-2024-05-01.csv'))
  say('registry seed --sample nam-dinh')
  await seedRegistry(registry, {sample: 'nam-dinh'})
  say('plan mappings/2024/36-nam-dinh.yaml')
  plan = await planFromFiles(registry.db, [path.join(root, 'mappings/2024/36-nam-dinh.yaml')])
  // The codes the People's Committees hold, and the ones the plan gives them.
  const {rows} = await registry.db.raw(
    `select identifier_code from agencies where kind = 'ubnd' and identifier_code is not null`,
  )
  committees = new Set([
    ...rows.map((r) => r.identifier_code),
    ...plan.operations
      .filter((o) => o.op === 'code.issue' && o.after.agency_id.endsWith('.ubnd'))
      .map((o) => o.key.code),
  ])
} finally {
  await registry.close()
  fs.rmSync(home, {recursive: true, force: true})
}

const ops = plan.operations
const count = (f) => ops.filter(f).length
const distinct = (f, key) => new Set(ops.filter(f).map(key)).size
const bySystem = (kind, systems) =>
  systems.map((s) => plan.summary.accountsBySystem[s]?.[kind] ?? 0).reduce((a, b) => a + b, 0)
/** The People's Committees' codes among the endpoints of one kind of operation. */
const committeeCodes = (kind) =>
  distinct(
    (o) => o.op === kind && committees.has(o.key.agency_code),
    (o) => o.key.agency_code,
  )
const n = (x) => x.toLocaleString('en-US')

const rows = [
  [
    'portal (dvc) accounts re-permissioned',
    'about 600 (1 district, 51 communes)',
    n(bySystem('account.reassign', ['dvc'])),
  ],
  [
    'e-certification, reporting and feedback accounts re-permissioned',
    'about 100',
    `${n(bySystem('account.reassign', ['ecert', 'reporting', 'feedback']))} (${[
      'ecert',
      'reporting',
      'feedback',
    ]
      .map((s) => `${s} ${n(bySystem('account.reassign', [s]))}`)
      .join(', ')})`,
  ],
  [
    'identifier codes changed',
    'about 200 units',
    `${n(count((o) => o.op === 'code.issue'))} issued, ${n(count((o) => o.op === 'code.stop'))} stopped; ${n(count((o) => o.op === 'agency.update' && 'identifier_code' in o.after))} agencies change code`,
  ],
  [
    'document-exchange codes stopped',
    '48',
    `${n(
      distinct(
        (o) => o.op === 'endpoint.unregister',
        (o) => o.key.agency_code,
      ),
    )} codes (${n(count((o) => o.op === 'endpoint.unregister'))} registrations on the two axes); ${n(committeeCodes('endpoint.unregister'))} of People's Committees`,
  ],
  [
    'document-exchange codes created',
    '8',
    `${n(
      distinct(
        (o) => o.op === 'endpoint.register',
        (o) => o.key.agency_code,
      ),
    )} codes (${n(count((o) => o.op === 'endpoint.register'))} registrations); ${n(committeeCodes('endpoint.register'))} of People's Committees`,
  ],
  ['QLVB accounts created', 'about 1,000', n(bySystem('account.create', ['qlvb']))],
  [
    'official mailboxes created',
    'close to 300',
    `${n(count((o) => o.op === 'mailbox.create'))} (${n(count((o) => o.op === 'alias.create'))} old addresses kept as aliases)`,
  ],
]
process.stdout.write(
  `| | reported by the province | planned by sapxep |\n|---|---|---|\n` +
    rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
    `\n\nPlan ${plan.digest}: ${n(plan.summary.operations)} operations, ${plan.warnings.length} warnings.\n`,
)
