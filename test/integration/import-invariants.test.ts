import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {SapxepError} from '../../src/errors.js'
import type {Registry} from '../../src/registry/db.js'
import {registryDigest} from '../../src/registry/digest.js'
import {importAccounts} from '../../src/registry/import/accounts.js'
import {importAgencies} from '../../src/registry/import/agencies.js'
import {importMailboxes} from '../../src/registry/import/mailboxes.js'
import {importUnits} from '../../src/registry/import/units.js'
import {DATA, FIXTURES, freshRegistryTarget, openTarget} from '../helpers/registry.js'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-invariants-'))
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}))
const csv = (name: string, text: string) => {
  const file = path.join(tmp, name)
  fs.writeFileSync(file, text)
  return file
}

// Imports could create what verify forbids; each is now refused at its line, and nothing is written.
describe('imports keep the registry invariants', () => {
  let registry: Registry
  const digest = async () => (await registryDigest(registry.db)).digest

  /** Runs the import only after the digest is taken (a started import could reject before it is awaited). */
  async function refused(work: () => Promise<unknown>): Promise<string> {
    const before = await digest()
    const err = await work().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SapxepError)
    expect(await digest()).toBe(before)
    return (err as Error).message
  }

  beforeAll(async () => {
    registry = await openTarget(await freshRegistryTarget())
    await importUnits(registry, path.join(DATA, 'nam-dinh-units-2024-05-01.csv'))
    await importAgencies(registry, path.join(FIXTURES, 'csv', 'agencies.csv'))
    await importAccounts(registry, path.join(FIXTURES, 'csv', 'accounts.csv'))
    await importMailboxes(registry, path.join(FIXTURES, 'csv', 'mailboxes.csv'), {system: 'sso'})
  })
  afterAll(() => registry?.close())

  it('an agency retired while it still has active accounts and mailboxes', async () => {
    const f = csv(
      'retire.csv',
      'id,unit_code,kind,name,status\n13669.ubnd,13669,ubnd,Ủy ban nhân dân phường Trần Đăng Ninh,retired\n',
    )
    expect(await refused(() => importAgencies(registry, f))).toBe(
      `${f}:2: column "status": agency 13669.ubnd is retired but still has 3 active account(s) and 1 active mailbox(es); disable or move them first`,
    )
  })

  it('an active account on a retired agency', async () => {
    const retire = csv(
      'retire-police.csv',
      'id,unit_code,kind,name,status\n13669.cong_an,13669,cong_an,Công an phường Trần Đăng Ninh,retired\n',
    )
    await importAgencies(registry, retire)
    const f = csv(
      'account.csv',
      'system,username,holder,agency_id,role\ndvc,ca.13669,Công an,13669.cong_an,can_bo\n',
    )
    expect(await refused(() => importAccounts(registry, f))).toBe(
      `${f}:2: column "status": account dvc:ca.13669 is active on retired agency 13669.cong_an; disable it or give it an active agency`,
    )
  })

  it('an active mailbox of a retired agency (retired in the test before)', async () => {
    const f = csv(
      'mailbox.csv',
      'address,display_name,kind,owner_agency_id\nca.tdn@namdinh.gov.vn,Công an,official,13669.cong_an\n',
    )
    expect(await refused(() => importMailboxes(registry, f))).toBe(
      `${f}:2: column "status": mailbox ca.tdn@namdinh.gov.vn is active but its agency 13669.cong_an is retired; suspend it or give it an active agency`,
    )
  })

  it('two agencies each other’s parent (one row in the file, one in the registry)', async () => {
    const f = csv(
      'cycle.csv',
      'id,unit_code,kind,name,parent_id\n36.ubnd,36,ubnd,Ủy ban nhân dân tỉnh Nam Định,356.ubnd\n',
    )
    expect(await refused(() => importAgencies(registry, f))).toBe(
      `${f}:2: column "parent_id": agency 36.ubnd would be its own ancestor (36.ubnd → 356.ubnd → 36.ubnd)`,
    )
  })

  it('a username differing only in case from one on the same system', async () => {
    const f = csv(
      'case.csv',
      'system,username,holder,agency_id,role\ndvc,NguyenVanAn.13669,Nguyễn Văn An,13669.ubnd,can_bo\n',
    )
    expect(await refused(() => importAccounts(registry, f))).toBe(
      `${f}:2: column "username": NguyenVanAn.13669 differs only in case from dvc:nguyenvanan.13669; a system's usernames are unique whatever the case`,
    )
  })
})
