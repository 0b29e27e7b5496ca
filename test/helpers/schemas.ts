import fs from 'node:fs'
import path from 'node:path'
import {Ajv, type ValidateFunction} from 'ajv'
import {expect} from 'vitest'
import type {OutputName} from '../../src/schemas/outputs.js'

export const SCHEMAS_DIR = path.resolve(import.meta.dirname, '../../schemas')

// Strict, but a row value is one of several JSON types (`"type": [...]`).
const ajv = new Ajv({allErrors: true, strict: true, allowUnionTypes: true})
const compiled = new Map<OutputName, ValidateFunction>()

/** The errors of `value` against the committed schemas/<name>.schema.json, as `path message` lines. */
export function schemaErrors(name: OutputName, value: unknown): string[] {
  let validate = compiled.get(name)
  if (!validate) {
    const schema = JSON.parse(
      fs.readFileSync(path.join(SCHEMAS_DIR, `${name}.schema.json`), 'utf8'),
    ) as object
    compiled.set(name, (validate = ajv.compile(schema)))
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`)
}

/** Fails, naming each place, unless `value` has the documented shape of output `name`. */
export function expectShape(name: OutputName, value: unknown): void {
  expect(schemaErrors(name, value), `${name} output against schemas/${name}.schema.json`).toEqual([])
}
