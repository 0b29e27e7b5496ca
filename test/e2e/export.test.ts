import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {openTarget, type TestRegistryTarget} from '../helpers/registry.js'
import {ninhBinhScenario} from '../helpers/scenario.js'

/**
 * The Ninh Bình 2025 plan on the Nam Định sample, exported as a plan, as the run that applied it and as
 * that run rolled back: the files, their counts against the plan's summary, the manifest check, and a
 * workbook read back cell by cell.
 */
/** Applying, rolling back and exporting the whole Ninh Bình plan on a busy 2-core machine. */
const LONG = 900_000

describe('export: the Ninh Bình run handed off to each system', () => {
  let target: TestRegistryTarget
  let dir: string
  let planFile: string
  const cli = (...args: string[]) => runCli([...args, ...target.cliArgs], target.env)
  const plan = () => JSON.parse(fs.readFileSync(planFile, 'utf8'))
  const manifest = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))
  const out = (name: string) => path.join(dir, name)

  beforeAll(async () => {
    ;({target, dir, planFile} = await ninhBinhScenario())
    const r = cli('export', planFile, '--out', out('plan'), '--json')
    expect(r.status, r.stderr).toBe(0)
  }, LONG)
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

  it("counts every system's rows per action as the plan's summary does", () => {
    const {summary} = plan()
    const m = manifest(out('plan'))
    expect(m.source).toEqual({kind: 'plan', digest: plan().digest})
    expect(m.summary.accountsBySystem).toEqual(summary.accountsBySystem)
    expect(m.summary.byKind).toEqual(summary.byKind)
    for (const system of ['dvc', 'qlvb', 'ecert', 'reporting', 'feedback', 'sso']) {
      const kinds = summary.accountsBySystem[system] ?? {}
      expect(m.counts[system], system).toEqual({
        create: kinds['account.create'] ?? 0,
        move: kinds['account.reassign'] ?? 0,
        disable: kinds['account.disable'] ?? 0,
      })
    }
    expect(m.counts.mail).toMatchObject({
      create: summary.byKind['mailbox.create'],
      alias: summary.byKind['alias.create'],
      lock: summary.byKind['mailbox.suspend'],
    })
    const axes = (action: string) => m.counts.provincial[action] + m.counts.national[action]
    expect(axes('register')).toBe(summary.byKind['endpoint.register'])
    expect(axes('unregister')).toBe(summary.byKind['endpoint.unregister'])
    expect(axes('update')).toBe(summary.byKind['endpoint.update'])
    expect(m.files.map((f: {path: string}) => f.path)).toContain('directory/sso.ldif')
    expect(cli('export', '--check', out('plan')).status).toBe(0)
  })

  it('writes an XLSX that the library reads back with the right cells, checked against the registry', async () => {
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(path.join(out('plan'), 'accounts', 'dvc.xlsx'))
    expect(book.worksheets.map((s) => s.name)).toEqual(['Tạo mới', 'Chuyển đơn vị (phân quyền lại)', 'Khóa'])
    const move = book.getWorksheet('Chuyển đơn vị (phân quyền lại)')!
    const header = (move.getRow(1).values as string[]).slice(1)
    expect(header.slice(0, 7)).toEqual([
      'Tên đăng nhập',
      'Người sử dụng',
      'Vai trò',
      'Mã đơn vị cũ',
      'Tên đơn vị cũ',
      'Mã đơn vị mới',
      'Tên đơn vị mới',
    ])
    expect(move.rowCount - 1).toBe(plan().summary.accountsBySystem.dvc['account.reassign'])
    const row = (move.getRow(2).values as string[]).slice(1)
    const op = plan().operations.find(
      (o: {op: string; key: {system: string; username: string}}) =>
        o.op === 'account.reassign' && o.key.system === 'dvc' && o.key.username === row[0],
    )
    const registry = await openTarget(target)
    try {
      const agency = async (id: string) =>
        (
          await registry.db.raw(
            `select g.name, g.unit_code, u.name as unit_name, g.identifier_code
             from agencies g join units u on u.code = g.unit_code where g.id = ?`,
            [id],
          )
        ).rows[0]
      const account = (
        await registry.db.raw(`select holder, role from accounts where system = 'dvc' and username = ?`, [
          row[0],
        ])
      ).rows[0]
      const from = await agency(op.before.agency_id)
      // The new side as the plan leaves it: the registry's row with the plan's updates laid over it.
      const updated = (kind: string, field: string, value: string) =>
        plan().operations.find(
          (o: {op: string; key: Record<string, string>}) => o.op === kind && o.key[field] === value,
        )?.after ?? {}
      const now = await agency(op.after.agency_id)
      const agencyAfter = updated('agency.update', 'id', op.after.agency_id)
      const to = {
        ...now,
        unit_name: updated('unit.update', 'code', now.unit_code).name ?? now.unit_name,
        name: agencyAfter.name ?? now.name,
        identifier_code: agencyAfter.identifier_code ?? now.identifier_code,
      }
      expect(to.identifier_code).not.toBe(now.identifier_code) // this row shows a code the plan changes
      expect(row).toEqual([
        row[0],
        account.holder,
        account.role,
        from.unit_code,
        from.unit_name,
        to.unit_code,
        to.unit_name,
        op.before.agency_id,
        from.name,
        from.identifier_code,
        op.after.agency_id,
        to.name,
        to.identifier_code,
        '',
        '',
      ])
    } finally {
      await registry.close()
    }
  })

  it(
    'exports the applied run exactly as the plan (same CSV bytes, same counts), with its number',
    () => {
      expect(cli('apply', planFile, '--yes', '--json').status).toBe(0)
      const r = cli('export', '1', '--out', out('run'), '--json')
      expect(r.status, r.stderr).toBe(0)
      const m = manifest(out('run'))
      expect(m.source).toEqual({kind: 'run', run: 1, digest: plan().digest, rolledBack: false})
      expect(m.summary).toEqual(manifest(out('plan')).summary)
      expect(m.counts).toEqual(manifest(out('plan')).counts)
      for (const f of m.files.filter((f: {format: string}) => f.format === 'csv'))
        expect(fs.readFileSync(path.join(out('run'), f.path)), f.path).toEqual(
          fs.readFileSync(path.join(out('plan'), f.path)),
        )
    },
    LONG,
  )

  it('--check finds an edited file and a file the manifest does not list (exit 3)', () => {
    const copy = out('edited')
    fs.cpSync(out('run'), copy, {recursive: true})
    fs.appendFileSync(path.join(copy, 'accounts', 'qlvb-move.csv'), 'extra,row\r\n')
    fs.writeFileSync(path.join(copy, 'notes.txt'), 'hi')
    const r = cli('export', '--check', copy)
    expect(r.status).toBe(3)
    expect(r.stdout).toContain('accounts/qlvb-move.csv: sha256 is')
    expect(r.stdout).toContain('notes.txt: not in the manifest')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it(
    'refuses an --out that holds files, writing nothing; one system in English on request',
    () => {
      const r = cli('export', '1', '--out', out('run'))
      expect(r.status).toBe(1)
      expect(r.stderr).toContain('is a folder that is not empty; give a new or empty folder')
      const applied = cli('export', planFile, '--out', out('none'))
      expect(applied.status).toBe(1)
      expect(applied.stderr).toContain(
        'the plan was applied as run 1: export what was done with `sapxep export 1`',
      )
      const unknown = cli('export', '99', '--out', out('none'))
      expect(unknown.status).toBe(1)
      expect(unknown.stderr).toContain('no run 99 in the registry')
      expect(fs.existsSync(out('none'))).toBe(false)
      const en = cli('export', '1', '--out', out('qlvb-en'), '--system', 'qlvb', '--lang', 'en', '--json')
      expect(en.status, en.stderr).toBe(0)
      expect(fs.readdirSync(path.join(out('qlvb-en'), 'accounts')).sort()).toEqual([
        'qlvb-create.csv',
        'qlvb-disable.csv',
        'qlvb-move.csv',
        'qlvb.xlsx',
      ])
      const csv = fs.readFileSync(path.join(out('qlvb-en'), 'accounts', 'qlvb-move.csv'), 'utf8')
      expect(csv.startsWith('\ufeffUsername,Holder,Role,Old unit code')).toBe(true)
    },
    LONG,
  )

  it(
    'exports a rolled-back run as the reverse: moves back, disabled accounts enabled, registrations undone',
    () => {
      expect(cli('rollback', '1', '--yes', '--json').status).toBe(0)
      const r = cli('export', '1', '--out', out('undo'), '--json')
      expect(r.status, r.stderr).toBe(0)
      const m = manifest(out('undo'))
      const {summary} = plan()
      expect(m.direction).toBe('reverse')
      expect(m.counts.dvc).toEqual({
        create: 0,
        move: summary.accountsBySystem.dvc['account.reassign'],
        disable: summary.accountsBySystem.dvc['account.create'] ?? 0,
        enable: summary.accountsBySystem.dvc['account.disable'],
      })
      expect(m.counts.provincial.register + m.counts.national.register).toBe(
        summary.byKind['endpoint.unregister'],
      )
      expect(m.counts.mail.unlock).toBe(summary.byKind['mailbox.suspend'])
      expect(cli('export', '--check', out('undo')).status).toBe(0)
    },
    LONG,
  )
})
