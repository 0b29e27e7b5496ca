import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {createHash} from 'node:crypto'
import {bodyBlocks, bodyDigest, operationText} from '../../src/plan/canonical.js'
import {mergeSorted, sortList, sortLists} from '../../src/plan/order.js'
import {OP_KINDS, type Operation} from '../../src/plan/types.js'
import {samplePlan} from '../helpers/plan-fixtures.js'
import {planBody} from '../../src/plan/file.js'

// Few kinds and few key values, so that lists share kinds and keys (ties between lists).
const operation = fc.record({
  op: fc.constantFrom('account.reassign', 'unit.update', 'mailbox.create', 'alias.create'),
  key: fc.record({
    system: fc.constantFrom('dvc', 'sso'),
    username: fc.constantFrom('a', 'b', 'ă', 'c.1', 'Đ'),
  }),
  unit: fc.constantFrom('01', '02'),
  after: fc.record({
    agency_id: fc.string({maxLength: 6}),
    note: fc.constantFrom('x', 'Phường "Hạ"\n\\', null),
  }),
}) as fc.Arbitrary<Operation>
const lists = fc.array(fc.array(operation, {maxLength: 12}), {maxLength: 6})

const kindIndex = (o: Operation) => OP_KINDS.indexOf(o.op)
const keyText = (o: Operation) => Object.values(o.key).join('\u0000')

describe('plan order: each mapping sorted on its own, then merged', () => {
  it('gives what one stable sort of every list together gives (kind, then key, ties in list order)', () => {
    fc.assert(
      fc.property(lists, (ls) => {
        const expected = ls
          .flat()
          .map((op, i) => ({op, i}))
          .sort(
            (x, y) =>
              kindIndex(x.op) - kindIndex(y.op) ||
              (keyText(x.op) < keyText(y.op) ? -1 : keyText(x.op) > keyText(y.op) ? 1 : x.i - y.i),
          )
          .map((x) => x.op)
        const sorted = ls.map(sortList)
        const merged = mergeSorted(sorted)
        expect(merged.operations).toEqual(expected)
        // The same objects, and each says where it came from.
        merged.operations.forEach((op, i) => expect(sorted[merged.list[i]].operations[merged.at[i]]).toBe(op))
        expect(sortLists(ls)).toEqual(expected)
      }),
    )
  })

  it("writes the same body from each list's text as from the operations themselves", () => {
    const base = planBody(samplePlan())
    fc.assert(
      fc.property(lists, (ls) => {
        const sorted = ls.map(sortList)
        const {operations, list, at} = mergeSorted(sorted)
        const plan = {...base, operations}
        const texts = sorted.map((s) => operationText(s.operations))
        const copied = Buffer.concat([...bodyBlocks(plan, {texts, list, at})])
        expect(copied.equals(Buffer.concat([...bodyBlocks(plan)]))).toBe(true)
      }),
    )
  })

  it('hashes the same bytes it writes, for a body of many blocks (one written over) and an operation larger than a block', () => {
    const long = (n: number, c: string) => c.repeat(n)
    const ops: Operation[] = Array.from({length: 40}, (_, i) => ({
      op: 'account.reassign',
      key: {system: 'dvc', username: `u${String(i).padStart(3, '0')}`},
      unit: '01',
      after: {agency_id: long(((i * 7919) % 97) * 1000 + 1, i % 2 ? 'ă' : 'a')},
    }))
    ops[17].after.agency_id = long(1_500_000, 'Đ')
    const sorted = [sortList(ops.slice(0, 25)), sortList(ops.slice(25))]
    const {operations, list, at} = mergeSorted(sorted)
    const plan = {...planBody(samplePlan()), operations}
    const opBytes = {texts: sorted.map((s) => operationText(s.operations)), list, at}
    for (const bytes of [opBytes, undefined]) {
      const written = Buffer.concat([...bodyBlocks(plan, bytes)])
      expect(written.length).toBeGreaterThan(5_000_000)
      expect(bodyDigest(plan, bytes)).toBe(
        `sha256:${createHash('sha256').update(written).update('}').digest('hex')}`,
      )
    }
  })
})
