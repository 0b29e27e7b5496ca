/**
 * Reviewers' approvals: an Ed25519 signature over the UTF-8 bytes of the plan's digest string. The digest
 * covers the whole plan body, so a signature approves exactly these operations against exactly that
 * registry snapshot; approvals live outside the digest, so adding one does not change what was approved.
 * Trust comes only from the keys in a directory the applier names, never from the key a plan carries.
 *
 * Equivalent keys with OpenSSL (same PEM formats: PKCS#8 private, SPKI public):
 *   openssl genpkey -algorithm ed25519 -out NAME.key.pem && chmod 600 NAME.key.pem
 *   openssl pkey -in NAME.key.pem -pubout -out NAME.pub.pem
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {ExitCode, SapxepError} from '../errors.js'
import {readPlanFile, writePlanFile} from './file.js'
import {clean} from './render/common.js'
import type {Approval, SignedPlan} from './types.js'
import {prepareOutputDir} from '../output.js'

/** `sha256:<hex>` of the public key in DER (SPKI) form. */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return (
    'sha256:' +
    createHash('sha256')
      .update(pub.export({type: 'spki', format: 'der'}))
      .digest('hex')
  )
}

function ed25519Private(pem: string | Buffer, where = 'the key'): KeyObject {
  if (String(pem).includes('-----BEGIN PUBLIC KEY-----'))
    throw new SapxepError(
      `${where} is a public key: sign with your private key (NAME.key.pem from sapxep plan keygen); ` +
        'public keys (NAME.pub.pem) go in the --trusted-keys directory of whoever applies',
    )
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch (err) {
    throw new SapxepError(
      `${where} is not a private key in PEM form (${(err as Error).message.replace(/^error:\S+:/, '')})`,
    )
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SapxepError(
      `${where} is an ${key.asymmetricKeyType ?? 'unknown'} key; approvals need Ed25519 (sapxep plan keygen)`,
    )
  return key
}

/**
 * Sign the plan's digest and return the plan with this approval added; an earlier approval by the same
 * key is replaced. Pass a plan read with readPlanFile, which has checked that the digest matches the body.
 */
export function approvePlan(
  plan: SignedPlan,
  privateKeyPem: string | Buffer,
  signer?: string,
  now = new Date(),
): SignedPlan {
  if (typeof plan.digest !== 'string' || !plan.digest.startsWith('sha256:'))
    throw new SapxepError('the plan has no digest to sign', {exitCode: ExitCode.tampered, code: 'tampered'})
  const key = ed25519Private(privateKeyPem)
  const pub = createPublicKey(key)
  const approval: Approval = {
    key: keyFingerprint(pub),
    public_key: pub.export({type: 'spki', format: 'pem'}).toString(),
    signature: sign(null, Buffer.from(plan.digest, 'utf8'), key).toString('base64'),
    signed_at: now.toISOString(),
    ...(signer ? {signer} : {}),
  }
  const others = (plan.approvals ?? []).filter((a) => a.key !== approval.key)
  return {...plan, approvals: [...others, approval]}
}

export interface ApprovalCount {
  valid: number
  /** Why each approval that does not count does not count. */
  invalid: string[]
  /** Fingerprints and signers of the approvals that count. */
  signers: Array<{key: string; signer?: string}>
}

/** Public keys in a directory (`*.pem`; a private key file there counts as its public half). */
export function loadTrustedKeys(dir: string): Map<string, KeyObject> {
  let names: string[]
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.pem'))
      .sort()
  } catch (err) {
    throw new SapxepError(
      `cannot read the trusted keys directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
  const keys = new Map<string, KeyObject>()
  for (const name of names) {
    const file = path.join(dir, name)
    let key: KeyObject
    try {
      key = createPublicKey(fs.readFileSync(file))
    } catch (err) {
      throw new SapxepError(
        `${file} is not a public key in PEM form (${(err as Error).message.replace(/^error:\S+:/, '')})`,
      )
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new SapxepError(`${file} is an ${key.asymmetricKeyType} key; trusted keys must be Ed25519`)
    keys.set(keyFingerprint(key), key)
  }
  return keys
}

/**
 * Count the approvals that are signatures, by a trusted key, over this plan's digest. Each key counts
 * once. The public key a plan carries is only a label: verification uses the trusted copy.
 */
export function countValidApprovals(
  plan: Pick<SignedPlan, 'digest' | 'approvals'>,
  trustedKeysDir: string,
): ApprovalCount {
  const trusted = loadTrustedKeys(trustedKeysDir)
  const message = Buffer.from(String(plan.digest), 'utf8')
  const counted = new Set<string>()
  const result: ApprovalCount = {valid: 0, invalid: [], signers: []}
  for (const a of plan.approvals ?? []) {
    // Signer names come from the plan file: no terminal escapes in the message.
    const who = clean(`${a?.signer ? `${a.signer} ` : ''}(${a?.key ?? 'no key'})`)
    const key = trusted.get(a?.key)
    if (!key) {
      result.invalid.push(`${who}: key not in ${trustedKeysDir}`)
      continue
    }
    let ok: boolean
    try {
      ok = typeof a.signature === 'string' && verify(null, message, key, Buffer.from(a.signature, 'base64'))
    } catch {
      ok = false
    }
    if (!ok) {
      result.invalid.push(`${who}: signature does not match this plan's digest`)
      continue
    }
    if (counted.has(a.key)) continue
    counted.add(a.key)
    result.valid++
    result.signers.push({key: a.key, ...(a.signer ? {signer: a.signer} : {})})
  }
  return result
}

/** Refuse (exit 6, code 'unapproved') unless at least `n` trusted keys have signed this plan's digest. */
export function requireApprovals(
  plan: Pick<SignedPlan, 'digest' | 'approvals'>,
  n: number,
  trustedKeysDir: string,
): ApprovalCount {
  const count = countValidApprovals(plan, trustedKeysDir)
  if (count.valid < n) {
    const why = count.invalid.length > 0 ? ` Not counted: ${count.invalid.join('; ')}.` : ''
    throw new SapxepError(
      `plan ${plan.digest} has ${count.valid} valid ${count.valid === 1 ? 'approval' : 'approvals'} by keys in ${trustedKeysDir}; ${n} required.${why} ` +
        'Reviewers approve with: sapxep plan approve PLAN --key KEY.pem',
      {
        exitCode: ExitCode.tampered,
        code: 'unapproved',
        details: {valid: count.valid, required: n, invalid: count.invalid},
      },
    )
  }
  return count
}

export interface GeneratedKey {
  privateKey: string
  publicKey: string
  key: string
}

/** Write NAME.key.pem (mode 0600) and NAME.pub.pem; never overwrites an existing key. */
export function generateApprovalKey(dir: string, name: string): GeneratedKey {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.'))
    throw new SapxepError(`key name ${JSON.stringify(name)}: use letters, digits, '.', '_' or '-'`)
  const privateKey = path.join(dir, `${name}.key.pem`)
  const publicKey = path.join(dir, `${name}.pub.pem`)
  for (const f of [privateKey, publicKey])
    if (fs.existsSync(f)) throw new SapxepError(`${f} already exists; choose another --name or remove it`)
  const pair = generateKeyPairSync('ed25519')
  prepareOutputDir(dir)
  const written: string[] = []
  try {
    fs.writeFileSync(privateKey, pair.privateKey.export({type: 'pkcs8', format: 'pem'}), {
      mode: 0o600,
      flag: 'wx',
    })
    written.push(privateKey)
    fs.chmodSync(privateKey, 0o600) // exactly owner read/write, whatever the umask
    fs.writeFileSync(publicKey, pair.publicKey.export({type: 'spki', format: 'pem'}), {
      mode: 0o644,
      flag: 'wx',
    })
  } catch (err) {
    // Half a key pair is no use: leave neither of the files written here.
    for (const f of written) fs.rmSync(f, {force: true})
    throw new SapxepError(
      `cannot write the key pair in ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    )
  }
  return {privateKey, publicKey, key: keyFingerprint(pair.publicKey)}
}

/** The key name `sapxep plan keygen` uses without --name: the user name, made safe for a file name. */
export function defaultKeyName(): string {
  try {
    return os.userInfo().username.replace(/[^A-Za-z0-9._-]/g, '_') || 'reviewer'
  } catch {
    return 'reviewer'
  }
}

export interface ApproveResult {
  path: string
  digest: string
  key: string
  signer?: string
  approvals: number
}

/** `sapxep plan approve`: read the plan (digest checked) and the key, sign, and write the plan back. */
export async function approvePlanFile(
  file: string,
  keyFile: string,
  signer?: string,
): Promise<ApproveResult> {
  const plan = await readPlanFile(file)
  let pem: Buffer
  try {
    pem = await fs.promises.readFile(keyFile)
  } catch (err) {
    throw new SapxepError(
      `cannot read key ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
  ed25519Private(pem, `--key ${keyFile}`) // checked here to name the file in the message
  const approved = approvePlan(plan, pem, signer)
  await writePlanFile(file, approved)
  const approvals = approved.approvals!
  return {
    path: file,
    digest: approved.digest,
    key: approvals.at(-1)!.key,
    ...(signer ? {signer} : {}),
    approvals: approvals.length,
  }
}
