import fc from 'fast-check'
import {stringify} from 'yaml'
import {describe, expect, it} from 'vitest'
import {validateText} from '../../src/mapping/index.js'
import {runs, seed} from './scale.js'

// Generated mappings through the validator, in process: never a crash, every finding positioned.

const code = fc.oneof(
  fc.constantFrom('37', '13285', '13294', '358', '1', '', '00000', '123456'),
  fc.stringMatching(/^[0-9]{1,6}$/),
  fc.integer({min: -1, max: 99999}),
)
const name = fc.oneof(
  fc.constantFrom('Phường Phủ Lý', 'Xã Thanh Hải', 'Tỉnh Ninh Bình', 'x', '', '\u0000', '{unit}'),
  fc.string({maxLength: 20}),
)
const scalar = fc.oneof(code, name, fc.boolean(), fc.constant(null), fc.double(), fc.constant(1e15))
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    {depthSize: 'small'},
    scalar,
    fc.array(tie('value'), {maxLength: 3}),
    fc.dictionary(fc.string({maxLength: 8}), tie('value'), {maxKeys: 3}),
  ),
})).value

const source = fc.record(
  {code, name, share: fc.constantFrom('part', 'whole', 'x'), default: fc.boolean()},
  {requiredKeys: []},
)
const unit = fc.record(
  {
    code,
    name,
    type: fc.constantFrom('Phường', 'Xã', 'Đặc khu', 'Thành phố', 'y'),
    from: fc.oneof(fc.array(source, {maxLength: 4}), anyValue),
  },
  {requiredKeys: []},
)
const mapping = fc.record(
  {
    format: fc.constantFrom('sapxep/mapping@1', 'sapxep/mapping@2', 1),
    decision: fc.oneof(
      fc.record(
        {
          number: fc.constantFrom('1674/NQ-UBTVQH15', '', 'x'),
          effective: fc.constantFrom('2025-07-01', '2025-02-30', 'soon', 20250701),
          official: fc.boolean(),
        },
        {requiredKeys: []},
      ),
      anyValue,
    ),
    province: fc.record({code, name}, {requiredKeys: []}),
    abolish: fc.oneof(fc.constant(['district']), anyValue),
    units: fc.oneof(fc.array(unit, {maxLength: 6}), anyValue),
    retire: fc.array(fc.record({code}, {requiredKeys: []}), {maxLength: 3}),
    policies: fc.oneof(
      fc.record({
        mail: fc.record(
          {
            pattern: fc.constantFrom('{body}.{unit}', '{unit}@evil.com', '../{unit}', 'ủy.{unit}', '{xa}'),
            aliasMonths: fc.oneof(fc.integer({min: -5, max: 200}), fc.constant(1e15)),
          },
          {requiredKeys: []},
        ),
      }),
      anyValue,
    ),
    extra: anyValue,
  },
  {requiredKeys: []},
)

/** A text: a generated document as YAML or JSON, sometimes with bytes cut out or garbage put in. */
const text = fc
  .tuple(
    mapping,
    fc.constantFrom('yaml', 'json'),
    fc.option(fc.tuple(fc.nat(), fc.nat({max: 40}), fc.string({maxLength: 6}))),
  )
  .map(([doc, form, cut]) => {
    let t = form === 'json' ? JSON.stringify(doc, null, 1) : stringify(doc)
    if (cut) {
      const [at, len, put] = cut
      const i = at % (t.length + 1)
      t = t.slice(0, i) + put + t.slice(i + len)
    }
    return t
  })

describe('mapping validator under generated input', () => {
  it(`${runs(1000, 10_000)} generated mappings: 0 crashes, every finding positioned`, () => {
    let refused = 0
    fc.assert(
      fc.property(text, (t) => {
        const report = validateText('fuzz.yaml', t)
        const lines = t.split('\n').length + 1
        for (const f of [...report.errors, ...report.warnings]) {
          expect(f.file).toBe('fuzz.yaml')
          expect(f.line).toBeGreaterThanOrEqual(1)
          expect(f.line).toBeLessThanOrEqual(lines)
          expect(f.column).toBeGreaterThanOrEqual(1)
          expect(f.message.length).toBeGreaterThan(0)
        }
        expect(report.valid).toBe(report.errors.length === 0)
        if (!report.valid) refused++
      }),
      {numRuns: runs(1000, 10_000), seed},
    )
    // A generator that only produced valid files would test nothing.
    expect(refused).toBeGreaterThan(runs(1000, 10_000) / 2)
    console.log(`mapping fuzz: ${runs(1000, 10_000)} mappings, ${refused} refused, 0 crashes`)
  })
})
