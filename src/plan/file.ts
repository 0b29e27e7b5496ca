import {createHash} from 'node:crypto'
import {constants} from 'node:buffer'
import fs from 'node:fs'
import {parseDocument} from 'yaml'
import {ExitCode, SapxepError} from '../errors.js'
import {streamWrite, writeOutputFile} from '../output.js'
import {bodyBlocks, bodyDigest, canonicalJson, type OperationBytes} from './canonical.js'
import {operationsByKind} from './order.js'
import {
  OP_KINDS,
  PLAN_FORMAT_VERSION,
  type OperationStream,
  type OpKind,
  type Operation,
  type Plan,
  type SignedPlan,
  type StreamedPlan,
} from './types.js'

export {canonicalJson, operationText, type OperationBytes, type OperationText} from './canonical.js'

const MAX_STRING_LENGTH = constants.MAX_STRING_LENGTH

/** The plan body's digest: sha256 over its canonical JSON. */
export function planDigest(plan: Plan): string {
  return bodyDigest(plan)
}

/**
 * The operations' text of a plan just signed, so that writing it copies them rather than serializing a
 * million operations a second time. Only valid for the very object signPlanDigest returned (plans are
 * not mutated).
 */
const signedTexts = new WeakMap<object, OperationBytes>()

function blocksOf(plan: SignedPlan): Iterable<Buffer> {
  return bodyBlocks(planBody(plan), signedTexts.get(plan))
}

/** Strip what is outside the digest. */
export function planBody(plan: SignedPlan | Plan): Plan {
  const {digest: _d, approvals: _a, ...body} = plan as SignedPlan
  return body
}

/**
 * The plan with its digest. `opBytes`: its operations' canonical text, made while the database was busy,
 * which the body then copies instead of serializing the operations again.
 */
export function signPlanDigest(plan: Plan, opBytes?: OperationBytes): SignedPlan {
  const signed = {...plan, digest: bodyDigest(plan, opBytes)}
  if (opBytes) signedTexts.set(signed, opBytes)
  checkedPlans.add(signed)
  return signed
}

/** Plans whose digest is known to match their body: signed here, or read and checked by readPlanFile. */
const checkedPlans = new WeakSet<object>()

/**
 * Refuse (exit 6) a plan whose body does not hash to its digest. Free for a plan this module signed or
 * read (it was checked then; plans are never mutated), a full canonical hash for any other object.
 */
export function checkPlanDigest(plan: SignedPlan | StreamedPlan, label = 'the plan'): void {
  if (checkedPlans.has(plan)) return
  if (!Array.isArray(plan.operations))
    throw new SapxepError(`${label}: streamed operations come only from readPlanFile`)
  const actual = planDigest(planBody(plan as SignedPlan))
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
  // Never leave a half-written plan where the user expects one.
  await writeOutputFile(file, async (out) => {
    for (const block of blocksOf(plan)) await streamWrite(out, block)
    await streamWrite(out, fileTail(plan))
  })
}

/** Serialize a saved plan the way writePlanFile does (for stdout). */
export function planFileText(plan: SignedPlan): string {
  return Buffer.concat([...blocksOf(plan)]).toString('utf8') + fileTail(plan)
}

/**
 * Read a plan file and check it: JSON, a format version this tool reads, and a digest that matches the
 * body. A mismatch means the plan was altered after it was made: exit 6. With `stream` (apply), the
 * operations of a file as sapxep wrote it are parsed kind by kind as they are applied.
 */
export async function readPlanFile(file: string): Promise<SignedPlan>
export async function readPlanFile(file: string, opts: {stream: true}): Promise<StreamedPlan>
export async function readPlanFile(
  file: string,
  opts: {stream?: boolean} = {},
): Promise<SignedPlan | StreamedPlan> {
  let bytes: Buffer
  try {
    const {size} = await fs.promises.stat(file)
    // Parsed as one string: V8's limit on string length is the limit on a plan file.
    if (size > MAX_STRING_LENGTH)
      throw new SapxepError(
        `plan ${file} is ${Math.round(size / 2 ** 20)} MB, more than the ${Math.floor(MAX_STRING_LENGTH / 2 ** 20)} MB this sapxep can read; ` +
          'plan fewer mappings at once (one plan per province)',
      )
    bytes = await fs.promises.readFile(file)
  } catch (err) {
    if (err instanceof SapxepError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT')
      throw new SapxepError(
        `${file}: no such plan file (make one with \`sapxep plan MAPPING --out ${file}\`)`,
      )
    throw new SapxepError(`cannot read plan ${file}: ${code ?? (err as Error).message}`)
  }
  // A file as sapxep wrote it is parsed a line at a time (see writtenPlan): no 175 MB string.
  let written = writtenPlan(bytes)
  let plan: SignedPlan | undefined
  let text: string | undefined
  if (written && opts.stream) plan = written.head
  else if (written)
    try {
      plan = parseWritten(written)
    } catch {
      written = undefined
    }
  if (!plan)
    try {
      text = bytes.toString('utf8')
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
  if (plan.approvals !== undefined && !Array.isArray(plan.approvals))
    throw new SapxepError(`${file}: "approvals" must be a list of signatures`, {
      exitCode: ExitCode.tampered,
      code: 'tampered',
    })
  // Not the bytes sapxep wrote: JSON.parse keeps the last of two equal keys, so a second value could hide.
  if (text !== undefined) refuseDuplicateKeys(file, text)
  const actual = written ? plan.digest : planDigest(planBody(plan))
  if (plan.digest !== actual) throw alteredPlan(file, plan.digest, actual)
  checkedPlans.add(plan)
  if (!opts.stream) return plan
  const operations = written ? streamWritten(file, written) : operationStream(plan.operations)
  const streamed: StreamedPlan = {...plan, operations}
  checkedPlans.add(streamed)
  return streamed
}

function refuseDuplicateKeys(file: string, text: string): void {
  const duplicate = parseDocument(text, {uniqueKeys: true}).errors.find((e) => e.code === 'DUPLICATE_KEY')
  if (!duplicate) return
  const at = duplicate.linePos?.[0]
  throw new SapxepError(
    `${file}${at ? `:${at.line}:${at.col}` : ''}: a key appears twice in one object; a plan file has each key once. Make a new plan.`,
    {exitCode: ExitCode.tampered, code: 'tampered'},
  )
}

/**
 * The plan in `bytes` when they are byte for byte what writePlanFile wrote (the usual case), else
 * undefined (re-indented, keys reordered, or altered: the caller parses the whole text and checks the
 * body the slow way). The body is the file minus its `digest`/`approvals` tail, and hashing those bytes
 * is far faster than serializing a million parsed operations again. Such a file has one operation per
 * line (JSON text has no raw line breaks inside strings): each line is parsed on its own, which keeps
 * out of memory the whole file as one string (twice its bytes: Vietnamese names make it two-byte).
 */
function writtenPlan(bytes: Buffer): WrittenPlan | undefined {
  const tailStart = bytes.lastIndexOf(TAIL_START)
  if (tailStart < 0) return undefined
  let tail: Pick<SignedPlan, 'digest' | 'approvals'>
  try {
    tail = JSON.parse(`{${bytes.toString('utf8', tailStart + 1)}`)
  } catch {
    return undefined
  }
  if (typeof tail !== 'object' || tail === null || typeof tail.digest !== 'string') return undefined
  if (!bytes.subarray(tailStart).equals(Buffer.from(fileTail(tail as SignedPlan), 'utf8'))) return undefined
  const hash = createHash('sha256').update(bytes.subarray(0, tailStart)).update('}')
  if (`sha256:${hash.digest('hex')}` !== tail.digest) return undefined
  try {
    return splitWritten(bytes, tailStart)
  } catch {
    return undefined
  }
}

const TAIL_START = Buffer.from(',"digest":', 'utf8')
const OPS_START = Buffer.from('"operations":[\n', 'utf8')
const NEWLINE = 0x0a

/** A written plan: its members but the operations, and where each operation's line starts and ends. */
interface WrittenPlan {
  head: SignedPlan
  bytes: Buffer
  /** Operation i is the JSON text bytes[starts[i], ends[i]). */
  starts: Uint32Array
  ends: Uint32Array
}

/**
 * Split a plan file as writeBody lays it out: `…"operations":[` and a line break, one operation per
 * line (each but the last followed by a comma), then `]` and the other members on the last line.
 */
function splitWritten(bytes: Buffer, end: number): WrittenPlan {
  const opsStart = bytes.indexOf(OPS_START)
  // No operations: `"operations":[]`, one line.
  if (opsStart < 0 || opsStart > end) {
    const head = JSON.parse(bytes.toString('utf8')) as SignedPlan
    return {head, bytes, starts: new Uint32Array(0), ends: new Uint32Array(0)}
  }
  const first = opsStart + OPS_START.length
  const starts: number[] = []
  const ends: number[] = []
  let at = first
  for (;;) {
    const eol = bytes.indexOf(NEWLINE, at)
    if (eol < 0 || eol > end) throw new Error('no end of operations')
    const last = bytes[eol - 1] !== 0x2c
    starts.push(at)
    ends.push(last ? eol : eol - 1)
    at = eol + 1
    if (last) break
  }
  // The members around the operations, with an empty list in their place.
  const head = JSON.parse(bytes.toString('utf8', 0, first - 1) + bytes.toString('utf8', at)) as SignedPlan
  if (!Array.isArray(head.operations) || head.operations.length !== 0)
    throw new Error('not one operation a line')
  return {head, bytes, starts: Uint32Array.from(starts), ends: Uint32Array.from(ends)}
}

/** Every operation of a written plan, parsed. */
function parseWritten(w: WrittenPlan): SignedPlan {
  const operations: Operation[] = new Array(w.starts.length)
  for (let i = 0; i < w.starts.length; i++)
    operations[i] = JSON.parse(w.bytes.toString('utf8', w.starts[i], w.ends[i]))
  w.head.operations = operations
  return w.head
}

/**
 * A written plan's operations kind by kind, each kind parsed when the iteration reaches it. sapxep
 * writes them in apply order (kind, then key), as many of each kind as its summary counts: each kind's
 * lines are copied out of the file's bytes, which are then let go, and each copy is dropped once parsed
 * (the file is not held whole while the database writes). A file whose lines say otherwise is refused
 * (exit 6) before the kind out of place is applied.
 */
function streamWritten(file: string, w: WrittenPlan): OperationStream {
  const counts = w.head.summary?.byKind ?? {}
  const regions: {
    kind: OpKind
    first: number
    bytes: Buffer | undefined
    starts: Uint32Array
    ends: Uint32Array
  }[] = []
  let line = 0
  for (const kind of OP_KINDS) {
    const n = counts[kind] ?? 0
    if (n === 0) continue
    if (line + n > w.starts.length) break
    const from = w.starts[line]
    const to = w.ends[line + n - 1]
    regions.push({
      kind,
      first: line,
      bytes: Buffer.from(w.bytes.subarray(from, to)),
      starts: w.starts.slice(line, line + n).map((x) => x - from),
      ends: w.ends.slice(line, line + n).map((x) => x - from),
    })
    line += n
  }
  if (line !== w.starts.length)
    throw notWrittenInOrder(file, Math.min(line, w.starts.length - 1), 'the summary counts other operations')
  return {
    count: w.starts.length,
    *kinds() {
      for (const region of regions) {
        const bytes = region.bytes
        if (!bytes) throw new Error('a streamed plan is read once')
        region.bytes = undefined
        const ops: Operation[] = new Array(region.starts.length)
        for (let i = 0; i < ops.length; i++) {
          let op: Operation
          try {
            op = JSON.parse(bytes.toString('utf8', region.starts[i], region.ends[i]))
          } catch (err) {
            throw notWrittenInOrder(file, region.first + i, (err as Error).message)
          }
          if (op?.op !== region.kind)
            throw notWrittenInOrder(
              file,
              region.first + i,
              `operation kind ${JSON.stringify(op?.op)} where the summary puts ${region.kind}`,
            )
          ops[i] = op
        }
        yield [region.kind, ops]
      }
    },
  }
}

function notWrittenInOrder(file: string, index: number, why: string): SapxepError {
  return new SapxepError(
    `${file}: operation ${index + 1} is not as sapxep writes a plan (${why}). Make a new plan.`,
    {
      exitCode: ExitCode.tampered,
      code: 'tampered',
    },
  )
}

/** The operations of a plan parsed whole, as a stream (for a file that is not as sapxep wrote it). */
export function operationStream(operations: Operation[]): OperationStream {
  return {count: operations.length, kinds: () => operationsByKind(operations).entries()}
}
