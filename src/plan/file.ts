import {createHash} from 'node:crypto'
import fs from 'node:fs'
import {ExitCode, SapxepError} from '../errors.js'
import {PLAN_FORMAT_VERSION, type Plan, type SignedPlan} from './types.js'

/**
 * Canonical JSON: object keys sorted by code point, no insignificant whitespace, except one operation per
 * line so that plan files diff well in review. The digest is taken over this form of the body (the plan
 * without `digest` and `approvals`), so re-indenting a plan does not matter but changing any value does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in plan')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i])
    return out + ']'
  }
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  let out = '{'
  for (const k of keys) {
    const v = record[k]
    if (v === undefined) continue
    out += (out.length === 1 ? '' : ',') + quotedKey(k) + ':' + canonicalJson(v)
  }
  return out + '}'
}

// A plan has a few dozen distinct keys and a million objects: quote each key once.
const quotedKeys = new Map<string, string>()
function quotedKey(k: string): string {
  let q = quotedKeys.get(k)
  if (q === undefined) quotedKeys.set(k, (q = JSON.stringify(k)))
  return q
}

/** The chunks of a plan body's canonical form; `operations` are written one per line. */
function* bodyChunks(plan: Plan): Generator<string> {
  const fields = Object.keys(plan)
    .filter((k) => (plan as unknown as Record<string, unknown>)[k] !== undefined)
    .sort()
  let sep = '{'
  for (const field of fields) {
    yield `${sep}${JSON.stringify(field)}:`
    sep = ','
    if (field !== 'operations') {
      yield canonicalJson((plan as unknown as Record<string, unknown>)[field])
      continue
    }
    const ops = plan.operations
    yield '['
    for (let i = 0; i < ops.length; i++) yield (i === 0 ? '\n' : ',\n') + canonicalJson(ops[i])
    yield ops.length > 0 ? '\n]' : ']'
  }
  yield '}'
}

export function planDigest(plan: Plan): string {
  return hashChunks(bodyChunks(plan))
}

function hashChunks(chunks: Iterable<string>): string {
  const hash = createHash('sha256')
  for (const chunk of chunks) hash.update(chunk)
  return `sha256:${hash.digest('hex')}`
}

/**
 * The canonical body of a plan just signed, kept so that writing it does not serialize a million
 * operations a second time. Only valid for the very object signPlanDigest returned (plans are not mutated).
 */
const signedBodies = new WeakMap<object, string[]>()

function chunksOf(plan: SignedPlan): string[] {
  return signedBodies.get(plan) ?? [...bodyChunks(planBody(plan))]
}

/** Strip what is outside the digest. */
export function planBody(plan: SignedPlan | Plan): Plan {
  const {digest: _d, approvals: _a, ...body} = plan as SignedPlan
  return body
}

export function signPlanDigest(plan: Plan): SignedPlan {
  const chunks = [...bodyChunks(plan)]
  const signed = {...plan, digest: hashChunks(chunks)}
  signedBodies.set(signed, chunks)
  return signed
}

/** Write the plan file: the canonical body with `digest` (and `approvals`) added as the last members. */
export async function writePlanFile(file: string, plan: SignedPlan): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`
  const out = fs.createWriteStream(tmp)
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r))
  const chunks = chunksOf(plan)
  for (let i = 0; i < chunks.length - 1; i++) await write(chunks[i])
  const last = chunks[chunks.length - 1]
  const tail = {digest: plan.digest, ...(plan.approvals ? {approvals: plan.approvals} : {})}
  await write(last.slice(0, -1) + ',' + canonicalJson(tail).slice(1) + '\n')
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  )
  // Never leave a half-written plan where the user expects one.
  await fs.promises.rename(tmp, file)
}

/** Serialize a saved plan the way writePlanFile does (for stdout). */
export function planFileText(plan: SignedPlan): string {
  const chunks = [...chunksOf(plan)]
  const last = chunks.pop()!
  const tail = {digest: plan.digest, ...(plan.approvals ? {approvals: plan.approvals} : {})}
  return chunks.join('') + last.slice(0, -1) + ',' + canonicalJson(tail).slice(1) + '\n'
}

/**
 * Read a plan file and check it: JSON, a format version this tool reads, and a digest that matches the
 * body. A mismatch means the plan was altered after it was made: exit 6.
 */
export async function readPlanFile(file: string): Promise<SignedPlan> {
  let text: string
  try {
    text = await fs.promises.readFile(file, 'utf8')
  } catch (err) {
    throw new SapxepError(
      `cannot read plan ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    )
  }
  let plan: SignedPlan
  try {
    plan = JSON.parse(text)
  } catch (err) {
    throw new SapxepError(`${file} is not a plan file: ${(err as Error).message}`, {
      exitCode: ExitCode.tampered,
      code: 'tampered',
    })
  }
  if (plan === null || typeof plan !== 'object' || !('format_version' in plan))
    throw new SapxepError(`${file} is not a sapxep plan (no format_version)`, {
      exitCode: ExitCode.tampered,
      code: 'tampered',
    })
  if (plan.format_version !== PLAN_FORMAT_VERSION)
    throw new SapxepError(
      `${file} has plan format ${JSON.stringify(plan.format_version)}; this sapxep reads ${PLAN_FORMAT_VERSION}`,
    )
  const actual = planDigest(planBody(plan))
  if (plan.digest !== actual)
    throw new SapxepError(
      `${file} has been altered since it was made: its digest says ${plan.digest ?? '(none)'} but its content hashes to ${actual}. Make a new plan.`,
      {exitCode: ExitCode.tampered, code: 'tampered', details: {expected: plan.digest ?? null, actual}},
    )
  return plan
}
