import {execFileSync, spawnSync} from 'node:child_process'
import {createPublicKey, generateKeyPairSync, verify} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ExitCode, SapxepError} from '../../src/errors.js'
import {
  approvePlan,
  countValidApprovals,
  generateApprovalKey,
  keyFingerprint,
  requireApprovals,
} from '../../src/plan/approvals.js'
import {planBody, planDigest, readPlanFile, writePlanFile} from '../../src/plan/file.js'
import type {SignedPlan} from '../../src/plan/types.js'
import {samplePlan} from '../helpers/plan-fixtures.js'

let dir: string
let trusted: string
let lan: {privatePem: string; key: string}
let minh: {privatePem: string; key: string}
let stranger: {privatePem: string; key: string}

function makeKey(name: string, into: string) {
  const k = generateApprovalKey(into, name)
  return {privatePem: fs.readFileSync(k.privateKey, 'utf8'), key: k.key}
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-approvals-'))
  trusted = path.join(dir, 'trusted')
  lan = makeKey('lan', path.join(dir, 'lan'))
  minh = makeKey('minh', path.join(dir, 'minh'))
  stranger = makeKey('stranger', path.join(dir, 'stranger'))
  fs.mkdirSync(trusted)
  fs.copyFileSync(path.join(dir, 'lan', 'lan.pub.pem'), path.join(trusted, 'lan.pub.pem'))
  fs.copyFileSync(path.join(dir, 'minh', 'minh.pub.pem'), path.join(trusted, 'minh.pub.pem'))
})
afterAll(() => fs.rmSync(dir, {recursive: true, force: true}))

function catchError(fn: () => unknown): SapxepError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(SapxepError)
    return err as SapxepError
  }
  throw new Error('expected an error')
}

describe('keygen', () => {
  it('writes an Ed25519 pair, the private key readable only by its owner', () => {
    const priv = path.join(dir, 'lan', 'lan.key.pem')
    expect(fs.statSync(priv).mode & 0o777).toBe(0o600)
    expect(fs.readFileSync(priv, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/)
    const pub = createPublicKey(fs.readFileSync(path.join(dir, 'lan', 'lan.pub.pem')))
    expect(pub.asymmetricKeyType).toBe('ed25519')
    expect(keyFingerprint(pub)).toBe(lan.key)
    expect(lan.key).toMatch(/^sha256:[0-9a-f]{64}$/)
  })
  it('never overwrites a key', () => {
    expect(catchError(() => generateApprovalKey(path.join(dir, 'lan'), 'lan')).message).toContain(
      'already exists',
    )
  })
})

describe('approvePlan', () => {
  it('signs the digest string and leaves the digest unchanged', () => {
    const plan = samplePlan()
    const approved = approvePlan(plan, lan.privatePem, 'Nguyễn Thị Lan')
    expect(approved.digest).toBe(plan.digest)
    expect(planDigest(planBody(approved))).toBe(plan.digest)
    expect(approved.approvals).toHaveLength(1)
    const a = approved.approvals![0]
    expect(a.key).toBe(lan.key)
    expect(a.signer).toBe('Nguyễn Thị Lan')
    expect(
      verify(
        null,
        Buffer.from(plan.digest, 'utf8'),
        createPublicKey(a.public_key),
        Buffer.from(a.signature, 'base64'),
      ),
    ).toBe(true)
  })

  it('replaces an earlier approval by the same key instead of adding one', () => {
    const once = approvePlan(samplePlan(), lan.privatePem, 'Lan', new Date('2025-06-20T08:00:00Z'))
    const twice = approvePlan(once, lan.privatePem, 'Lan', new Date('2025-06-21T08:00:00Z'))
    expect(twice.approvals).toHaveLength(1)
    expect(twice.approvals![0].signed_at).toBe('2025-06-21T08:00:00.000Z')
    expect(approvePlan(twice, minh.privatePem, 'Minh').approvals).toHaveLength(2)
  })

  it('refuses keys that are not Ed25519 private keys', () => {
    const rsa = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    })
    expect(catchError(() => approvePlan(samplePlan(), rsa, 'x')).message).toContain('approvals need Ed25519')
    expect(catchError(() => approvePlan(samplePlan(), 'not a key', 'x')).message).toContain(
      'not a private key',
    )
    const pub = fs.readFileSync(path.join(dir, 'lan', 'lan.pub.pem'))
    expect(catchError(() => approvePlan(samplePlan(), pub, 'x')).exitCode).toBe(ExitCode.invalid)
  })

  it('survives writing and reading the plan file', async () => {
    const file = path.join(dir, 'plan.json')
    const plan = samplePlan()
    await writePlanFile(file, approvePlan(approvePlan(plan, lan.privatePem, 'Lan'), minh.privatePem, 'Minh'))
    const read = await readPlanFile(file)
    expect(read.digest).toBe(plan.digest)
    expect(countValidApprovals(read, trusted)).toMatchObject({valid: 2, invalid: []})
  })
})

describe('countValidApprovals / requireApprovals', () => {
  const approved = (...keys: Array<{privatePem: string}>): SignedPlan =>
    keys.reduce((p, k, i) => approvePlan(p, k.privatePem, `reviewer ${i + 1}`), samplePlan())

  it('counts signatures by trusted keys', () => {
    const r = countValidApprovals(approved(lan, minh), trusted)
    expect(r.valid).toBe(2)
    expect(r.signers.map((s) => s.key).sort()).toEqual([lan.key, minh.key].sort())
    expect(requireApprovals(approved(lan, minh), 2, trusted).valid).toBe(2)
  })

  it('does not count a key that is not in the trusted directory', () => {
    const r = countValidApprovals(approved(lan, stranger), trusted)
    expect(r.valid).toBe(1)
    expect(r.invalid).toEqual([`reviewer 2 (${stranger.key}): key not in ${trusted}`])
  })

  it('does not count a signature made by another key than the one it names', () => {
    const plan = approved(stranger)
    // Claim to be Lan (a trusted key) with the stranger's signature.
    plan.approvals![0] = {...plan.approvals![0], key: lan.key}
    const r = countValidApprovals(plan, trusted)
    expect(r.valid).toBe(0)
    expect(r.invalid[0]).toContain("signature does not match this plan's digest")
  })

  it('does not count signatures over another digest', () => {
    const signed = approved(lan, minh)
    const other = samplePlan({reassignPerUnit: 24})
    expect(other.digest).not.toBe(signed.digest)
    // The approvals of one plan copied onto another plan.
    const r = countValidApprovals({...other, approvals: signed.approvals}, trusted)
    expect(r.valid).toBe(0)
    expect(r.invalid).toHaveLength(2)
    // A digest edited by hand.
    expect(countValidApprovals({...signed, digest: 'sha256:' + 'f'.repeat(64)}, trusted).valid).toBe(0)
  })

  it('counts each key once', () => {
    const plan = approved(lan)
    plan.approvals!.push({...plan.approvals![0]})
    expect(countValidApprovals(plan, trusted).valid).toBe(1)
  })

  it('refuses with exit 6 and code unapproved, saying found vs required', () => {
    const err = catchError(() => requireApprovals(approved(lan, stranger), 2, trusted))
    expect(err.exitCode).toBe(ExitCode.tampered)
    expect(err.code).toBe('unapproved')
    expect(err.message).toContain('has 1 valid approval by keys in')
    expect(err.message).toContain('2 required')
    expect(err.message).toContain('key not in')
    expect(err.details).toMatchObject({valid: 1, required: 2})
    expect(catchError(() => requireApprovals(samplePlan(), 1, trusted)).message).toContain(
      'has 0 valid approvals',
    )
  })

  it('names a missing trusted keys directory', () => {
    expect(catchError(() => countValidApprovals(samplePlan(), path.join(dir, 'nope'))).message).toMatch(
      /trusted keys directory .*nope: ENOENT/,
    )
  })
})

const hasOpenssl = spawnSync('openssl', ['version']).status === 0
describe.skipIf(!hasOpenssl)('keys made with OpenSSL (the documented equivalent)', () => {
  it('approve with an openssl key; trust its openssl public key', () => {
    const d = path.join(dir, 'openssl')
    fs.mkdirSync(path.join(d, 'trusted'), {recursive: true})
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', path.join(d, 'hoa.key.pem')])
    execFileSync('openssl', [
      'pkey',
      '-in',
      path.join(d, 'hoa.key.pem'),
      '-pubout',
      '-out',
      path.join(d, 'trusted', 'hoa.pub.pem'),
    ])
    const plan = approvePlan(samplePlan(), fs.readFileSync(path.join(d, 'hoa.key.pem')), 'Hoa')
    expect(countValidApprovals(plan, path.join(d, 'trusted')).valid).toBe(1)
  })
})
