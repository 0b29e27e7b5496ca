import {z} from 'zod'
import type {DocPath} from './document.js'
import {MappingSchema} from './schema.js'

/**
 * Walking the zod schema of the mapping format along a document path: which keys a place knows, and
 * the description a place has (for findings that suggest the right key and say what a value means).
 */

/** The parts of a zod schema's definition the path walk reads (zod's own types are per kind). */
interface SchemaDef {
  type: string
  shape?: Record<string, z.core.$ZodType>
  element?: z.core.$ZodType
  valueType?: z.core.$ZodType
  innerType?: z.core.$ZodType
  in?: z.core.$ZodType
}
const defOf = (s: z.core.$ZodType | undefined): SchemaDef | undefined => s?._zod.def as SchemaDef | undefined

/** The zod schema that describes the value at `path`, unwrapping optionals, defaults and arrays. */
function schemaAt(path: DocPath): z.core.$ZodType | undefined {
  let s: z.core.$ZodType | undefined = MappingSchema
  for (const seg of path) {
    s = unwrap(s)
    const def = defOf(s)
    if (def?.type === 'object' && typeof seg === 'string') s = def.shape?.[seg]
    else if (def?.type === 'array' && typeof seg === 'number') s = def.element
    else if (def?.type === 'record') s = def.valueType
    else return undefined
  }
  return s
}

function unwrap(s: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let cur = s
  for (let i = 0; i < 10 && cur; i++) {
    const def = defOf(cur)!
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch'].includes(def.type))
      cur = def.innerType
    else if (def.type === 'pipe') cur = def.in
    else break
  }
  return cur
}

export function knownKeys(path: DocPath): string[] {
  const def = defOf(unwrap(schemaAt(path)))
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : []
}

export function describeAt(path: DocPath): string | undefined {
  const s = schemaAt(path)
  const direct = s && z.globalRegistry.get(s)?.description
  const inner = unwrap(s)
  return direct ?? (inner && z.globalRegistry.get(inner)?.description)
}
