import {createHash} from 'node:crypto'
import fs from 'node:fs'
import {ExitCode, SapxepError} from '../errors.js'
import {canonicalBody, canonicalJson, type PlanOperationBytes} from './canonical.js'
import {PLAN_FORMAT_VERSION, type Plan, type SignedPlan} from './types.js'

export {canonicalJson, SerializedOperations, type PlanOperationBytes} from './canonical.js'

/** The plan body's digest: sha256 over its canonical JSON. */
export function planDigest(plan: Plan): string {
  return canonicalBody(plan, false).digest
}

/**
 * The canonical body of a plan just signed (all but its closing brace), kept so that writing it does not
 * serialize a million operations a second time. Only valid for the very object signPlanDigest returned
 * (plans are not mutated).
 */
const signedBodies = new WeakMap<object, Buffer[]>()

function blocksOf(plan: SignedPlan): Buffer[] {
  return signedBodies.get(plan) ?? canonicalBody(planBody(plan), true).blocks
}

/** Strip what is outside the digest. */
export function planBody(plan: SignedPlan | Plan): Plan {
  const {digest: _d, approvals: _a, ...body} = plan as SignedPlan
  return body
}

/**
 * The plan with its digest. `serialized`: its operations' canonical bytes, made while planning (see
 * SerializedOperations), which the body then copies instead of serializing the operations again.
 */
export function signPlanDigest(plan: Plan, serialized?: PlanOperationBytes): SignedPlan {
  const {digest, blocks} = canonicalBody(plan, true, serialized)
  const signed = {...plan, digest}
  signedBodies.set(signed, blocks)
  checkedPlans.add(signed)
  return signed
}

/** Plans whose digest is known to match their body: signed here, or read and checked by readPlanFile. */
const checkedPlans = new WeakSet<object>()

/**
 * Refuse (exit 6) a plan whose body does not hash to its digest. Free for a plan this module signed or
 * read (it was checked then; plans are never mutated), a full canonical hash for any other object.
 */
export function checkPlanDigest(plan: SignedPlan, label = 'the plan'): void {
  if (checkedPlans.has(plan)) return
  const actual = planDigest(planBody(plan))
  if (plan.digest !== actual) throw alteredPlan(label, plan.digest, actual)
  checkedPlans.add(plan)
}

function alteredPlan(label: string, expected: string | undefined, actual: string): SapxepError {
  return new SapxepError(
    `${label} has been altered since it was made: its digest says ${expected ?? '(none)'} but its content hashes to ${actual}. Make a new plan.`,
    {exitCode: ExitCode.tampered, code: 'tampered', details: {expected: expected ?? null, actual}},
  )
}

/** What follows the body in the file: `digest` (and `approvals`) as its last members, and a newline. */
const fileTail = (plan: SignedPlan): string =>
  ',' +
  canonicalJson({digest: plan.digest, ...(plan.approvals ? {approvals: plan.approvals} : {})}).slice(1) +
  '\n'

/** Write the plan file: the canonical body with `digest` (and `approvals`) added as the last members. */
export async function writePlanFile(file: string, plan: SignedPlan): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`
  const out = fs.createWriteStream(tmp)
  const write = (data: Buffer | string) =>
    out.write(data) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r))
  for (const block of blocksOf(plan)) await write(block)
  await write(fileTail(plan))
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  )
  // Never leave a half-written plan where the user expects one.
  await fs.promises.rename(tmp, file)
}

/** Serialize a saved plan the way writePlanFile does (for stdout). */
export function planFileText(plan: SignedPlan): string {
  return Buffer.concat(blocksOf(plan)).toString('utf8') + fileTail(plan)
}

/**
 * Read a plan file and check it: JSON, a format version this tool reads, and a digest that matches the
 * body. A mismatch means the plan was altered after it was made: exit 6.
 */
export async function readPlanFile(file: string): Promise<SignedPlan> {
  let bytes: Buffer
  try {
    bytes = await fs.promises.readFile(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      throw new SapxepError(
        `${file}: no such plan file (make one with \`sapxep plan MAPPING --out ${file}\`)`,
      )
    throw new SapxepError(`cannot read plan ${file}: ${code ?? (err as Error).message}`)
  }
  const text = bytes.toString('utf8')
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
  const actual = writtenBodyDigest(bytes, plan) ?? planDigest(planBody(plan))
  if (plan.digest !== actual) throw alteredPlan(file, plan.digest, actual)
  checkedPlans.add(plan)
  return plan
}

/**
 * The plan's digest when the file is byte for byte what writePlanFile wrote (the usual case): the body
 * is then the file minus its `digest`/`approvals` tail, and hashing those bytes is far faster than
 * serializing a million parsed operations again. Undefined otherwise (re-indented, keys reordered, or
 * altered), and the body is then checked the slow way.
 */
function writtenBodyDigest(bytes: Buffer, plan: SignedPlan): string | undefined {
  const tail = Buffer.from(fileTail(plan), 'utf8')
  if (bytes.length <= tail.length || !bytes.subarray(bytes.length - tail.length).equals(tail))
    return undefined
  const hash = createHash('sha256')
    .update(bytes.subarray(0, bytes.length - tail.length))
    .update('}')
  const digest = `sha256:${hash.digest('hex')}`
  return digest === plan.digest ? digest : undefined
}
