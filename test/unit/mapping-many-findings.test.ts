import {describe, expect, it} from 'vitest'
import {validateText} from '../../src/mapping/index.js'

describe('a mapping with ~100,000 findings', () => {
  it('is reported in full, every finding positioned (it overflowed the call stack: empty stdout, exit 1)', () => {
    const head = `format: sapxep/mapping@1\ndecision: {number: 1/NQ, effective: "2025-07-01", official: true}\nunits:\n`
    const text = head + '  - {code: "1", name: x, type: y}\n'.repeat(100_000)
    const report = validateText('big.yaml', text)
    expect(report.valid).toBe(false)
    expect(report.errors.length).toBeGreaterThanOrEqual(100_000)
    expect(report.errors.every((f) => f.file === 'big.yaml' && f.line >= 1 && f.column >= 1)).toBe(true)
    expect(report.errors.some((f) => f.line === 100_003)).toBe(true)
  })
})
