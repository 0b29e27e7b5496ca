import type {DocPath, MappingDocument} from '../document.js'
import {unitViews, type SourceView, type UnitView} from '../model.js'
import {checkSchema, type SchemaResult} from '../schema-check.js'
import type {Mapping} from '../schema.js'
import type {RegistryUnits} from '../../registry/units.js'
import type {UnitLevel} from '../../registry/vocabulary.js'

export interface FileModel {
  doc: MappingDocument
  schema: SchemaResult
  mapping: Mapping
  units: UnitView[]
  abolishDistricts: boolean
}

export function buildFileModel(doc: MappingDocument): FileModel {
  const schema = checkSchema(doc)
  return {
    doc,
    schema,
    mapping: schema.mapping,
    units: unitViews(schema.mapping, schema.unitIndex, schema.sourceIndex),
    abolishDistricts: schema.mapping.abolish.includes('district'),
  }
}

/** The registry's units, as the rules check against them (and as each earlier change leaves them). */
export type RegistryState = RegistryUnits

// Paths into the document, for findings; `file:line:col` of other places.

export const unitPath = (u: UnitView): DocPath => ['units', u.index]
export const codePath = (u: UnitView): DocPath => ['units', u.index, 'code']
export const sourcePath = (u: UnitView, s: SourceView): DocPath =>
  s.index === undefined ? codePath(u) : ['units', u.index, 'from', s.index, 'code']
export const parentPath = (u: UnitView): DocPath =>
  u.parentGiven ? ['units', u.index, 'parent'] : codePath(u)

export function at(f: FileModel, path: DocPath): string {
  const {line, column} = f.doc.position(path)
  return `${f.doc.file}:${line}:${column}`
}

/** `file:line:col` when the other place is in another file, `line N` when it is in the same one. */
export function ref(from: FileModel, to: FileModel, path: DocPath): string {
  return from === to ? `line ${to.doc.position(path).line}` : at(to, path)
}

export const label = (code: string, name?: string): string => (name ? `${code} (${name})` : code)
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

export function expectedParentLevel(f: FileModel, u: UnitView): UnitLevel {
  return u.level === 3 && !f.abolishDistricts ? 2 : 1
}

export function countLevels(levels: Iterable<number>): {
  provinces: number
  districts: number
  communes: number
} {
  const c = {provinces: 0, districts: 0, communes: 0}
  for (const l of levels) {
    if (l === 1) c.provinces++
    else if (l === 2) c.districts++
    else if (l === 3) c.communes++
  }
  return c
}

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
