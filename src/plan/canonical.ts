import {createHash} from 'node:crypto'
import type {Operation, Plan} from './types.js'

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

// The members of an operation, sorted; operations with others are serialized by canonicalJson.
const OP_MEMBERS = ['after', 'before', 'key', 'note', 'op', 'unit'] as const
const OP_FIELDS = new Set<string>(OP_MEMBERS)

const BLOCK_SIZE = 1 << 20

/**
 * Canonical JSON written as UTF-8 into blocks of bytes (a national plan is some 180 MB: blocks cost the
 * garbage collector nothing, a million strings do). Operations, a million of them, are written straight
 * to bytes: the same text canonicalJson gives, without building it.
 */
class ByteWriter {
  private block = Buffer.allocUnsafe(0)
  private used = 0
  private emitted = 0

  /** `reuse`: one block, written over once emitted (for a consumer done with each block when it returns). */
  constructor(
    private readonly emit: (bytes: Buffer) => void,
    private readonly reuse = false,
  ) {}

  /** Bytes written so far. */
  get position(): number {
    return this.emitted + this.used
  }

  /** Bytes source[from, to) copied as they are. */
  bytes(source: Buffer, from: number, to: number): void {
    if (!this.room(to - from)) return this.out(Buffer.from(source.subarray(from, to)))
    this.used += source.copy(this.block, this.used, from, to)
  }

  /** Any text. */
  text(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (!this.room(text.length * 3)) {
      this.out(Buffer.from(text, 'utf8'))
      return
    }
    this.used += this.block.write(text, this.used, 'utf8')
  }

  /** Text known to be ASCII (punctuation, quoted keys, numbers). */
  ascii(text: string): void {
    if (!this.room(text.length)) return this.text(text)
    const block = this.block
    let at = this.used
    for (let i = 0; i < text.length; i++) block[at++] = text.charCodeAt(i)
    this.used = at
  }

  /** JSON.stringify(s): plain ASCII copied byte by byte, anything else through JSON.stringify. */
  private string(s: string): void {
    if (!this.room(s.length + 2)) return this.text(JSON.stringify(s))
    const block = this.block
    let at = this.used
    block[at++] = 0x22
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      // Control characters, quote and backslash are escaped; non-ASCII is encoded. Not done here.
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7f) return this.text(JSON.stringify(s))
      block[at++] = c
    }
    block[at++] = 0x22
    this.used = at
  }

  private value(v: unknown): void {
    switch (typeof v) {
      case 'string':
        return this.string(v)
      case 'boolean':
        return this.ascii(v ? 'true' : 'false')
      case 'number':
        return this.ascii(canonicalJson(v))
      default:
        if (v === null) return this.ascii('null')
        return this.text(canonicalJson(v))
    }
  }

  /** canonicalJson of a flat record (key, before, after), its keys sorted only when they are not already. */
  private record(record: unknown): void {
    if (record === null || typeof record !== 'object' || Array.isArray(record))
      return this.text(canonicalJson(record))
    const keys = Object.keys(record)
    for (let i = 1; i < keys.length; i++)
      if (keys[i - 1] > keys[i]) {
        keys.sort()
        break
      }
    let first = true
    for (const k of keys) {
      const v = (record as Record<string, unknown>)[k]
      if (v === undefined) continue
      const member = memberOf(k)
      if (member.ascii) this.ascii(first ? member.first : member.next)
      else this.text(first ? member.first : member.next)
      first = false
      this.value(v)
    }
    this.ascii(first ? '{}' : '}')
  }

  /** canonicalJson(op). */
  operation(op: Operation): void {
    for (const k in op) if (!OP_FIELDS.has(k)) return this.text(canonicalJson(op))
    let first = true
    for (const field of OP_MEMBERS) {
      const v = op[field]
      if (v === undefined) continue
      const member = memberOf(field)
      this.ascii(first ? member.first : member.next)
      if (field === 'after' || field === 'before' || field === 'key') this.record(v)
      else this.value(v)
      first = false
    }
    this.ascii(first ? '{}' : '}')
  }

  /** Emit what is written so far. */
  flush(): void {
    if (this.used > 0) this.out(this.block.subarray(0, this.used))
    if (!this.reuse) this.block = Buffer.allocUnsafe(0)
    this.used = 0
  }

  /** Whether `bytes` more fit in the block, starting a new block if not; false if they never would. */
  private room(bytes: number): boolean {
    if (this.used + bytes <= this.block.length) return true
    this.flush()
    if (bytes > BLOCK_SIZE) return false
    if (this.block.length < BLOCK_SIZE) this.block = Buffer.allocUnsafe(BLOCK_SIZE)
    return true
  }

  private out(bytes: Buffer): void {
    this.emitted += bytes.length
    this.emit(bytes)
  }
}

/** What precedes a record's member: `{"key":` for the first, `,"key":` for the others. */
interface Member {
  first: string
  next: string
  ascii: boolean
}
const members = new Map<string, Member>()
function memberOf(k: string): Member {
  let m = members.get(k)
  if (m === undefined) {
    const q = quotedKey(k)
    members.set(k, (m = {first: `{${q}:`, next: `,${q}:`, ascii: /^[\x20-\x7f]*$/.test(q)}))
  }
  return m
}

/**
 * Operations as canonical text in one buffer, in the order given: operation i is bytes[starts[i],
 * ends[i]). Each mapping's are made while the database reads the next mapping.
 */
export interface OperationText {
  bytes: Buffer
  starts: Uint32Array
  ends: Uint32Array
}

export function operationText(ops: readonly Operation[]): OperationText {
  const blocks: Buffer[] = []
  const out = new ByteWriter((bytes) => blocks.push(bytes))
  const starts = new Uint32Array(ops.length)
  const ends = new Uint32Array(ops.length)
  for (let i = 0; i < ops.length; i++) {
    starts[i] = out.position
    out.operation(ops[i])
    ends[i] = out.position
  }
  out.flush()
  return {bytes: Buffer.concat(blocks), starts, ends}
}

/**
 * The canonical text of a plan's operations in plan order: operation i is operation at[i] of
 * texts[list[i]]. The body copies each from there as it is made, so the plan's bytes are held once.
 */
export interface OperationBytes {
  texts: readonly OperationText[]
  list: Uint32Array
  at: Uint32Array
}

/**
 * Write the canonical body of a plan into `out`, all but its closing brace (the file puts `digest` and
 * `approvals` before it), pausing after each operation. `operations` are written one per line, or
 * copied from `opBytes` when given (the text of the same operations).
 */
function* writeBody(plan: Plan, out: ByteWriter, opBytes?: OperationBytes): Generator<void> {
  const record = plan as unknown as Record<string, unknown>
  const fields = Object.keys(plan)
    .filter((k) => record[k] !== undefined)
    .sort()
  let sep = '{'
  for (const field of fields) {
    out.text(`${sep}${JSON.stringify(field)}:`)
    sep = ','
    if (field !== 'operations') {
      out.text(canonicalJson(record[field]))
      continue
    }
    const ops = plan.operations
    out.text('[')
    for (let i = 0; i < ops.length; i++) {
      out.ascii(i === 0 ? '\n' : ',\n')
      if (opBytes) {
        const text = opBytes.texts[opBytes.list[i]]
        const at = opBytes.at[i]
        out.bytes(text.bytes, text.starts[at], text.ends[at])
      } else out.operation(ops[i])
      yield
    }
    out.text(ops.length > 0 ? '\n]' : ']')
  }
  if (fields.length === 0) out.text('{')
  out.flush()
}

/** The canonical body of a plan (writeBody) as UTF-8 blocks, made as they are taken. */
export function* bodyBlocks(plan: Plan, opBytes?: OperationBytes): Generator<Buffer> {
  const made: Buffer[] = []
  for (const _ of writeBody(plan, new ByteWriter((bytes) => made.push(bytes)), opBytes))
    if (made.length > 0) yield* made.splice(0)
  yield* made
}

/** The digest of a plan body: sha256 over its canonical JSON (writeBody and the closing brace). */
export function bodyDigest(plan: Plan, opBytes?: OperationBytes): string {
  const hash = createHash('sha256')
  // Each block is hashed as it is emitted, so one block, written over, does instead of a plan's worth.
  for (const _ of writeBody(plan, new ByteWriter((bytes) => hash.update(bytes), true), opBytes));
  return `sha256:${hash.update('}').digest('hex')}`
}
