import {LOCAL_BODIES, type LocalKind} from '../registry/vocabulary.js'
import {splitUnitName} from './text.js'

/** `Tỉnh Nam Định` → `tỉnh Nam Định`: inside a body's name the unit type is written in lower case. */
export function unitInName(unitName: string): string {
  const {type, proper} = splitUnitName(unitName)
  return type ? `${type.toLowerCase()} ${proper}` : proper
}

/** The name of a body of a unit: `Ủy ban nhân dân` + `xã Nghĩa Hưng`. */
export function bodyName(body: string, unitName: string): string {
  return `${body} ${unitInName(unitName)}`
}

/** The name of one of the bodies every commune and district has (`Hội đồng nhân dân xã Trà Lũ`). */
export function localBodyName(kind: string, unitName: string): string | undefined {
  const body = LOCAL_BODIES[kind as LocalKind]
  return body ? bodyName(body.name, unitName) : undefined
}

/**
 * An agency's name once its unit's name changes (renamed, retyped, merged into a unit of another name):
 * one of the local bodies takes the name the convention gives it; any other body keeps its own words
 * and changes the unit's name at the end (`Sở Tư pháp tỉnh Hà Nam` → `Sở Tư pháp tỉnh Ninh Bình`).
 * Undefined when the name does not end with the old unit's name, so there is nothing to follow.
 */
export function followUnitName(
  kind: string,
  name: string,
  oldUnitName: string,
  newUnitName: string,
): string | undefined {
  if (oldUnitName === newUnitName) return name
  const local = localBodyName(kind, newUnitName)
  if (local) return local
  const lower = name.toLowerCase()
  for (const tail of [unitInName(oldUnitName), oldUnitName])
    if (lower.endsWith(' ' + tail.toLowerCase()))
      return name.slice(0, name.length - tail.length) + unitInName(newUnitName)
  return undefined
}

/** Whether a body's name carries its unit's name as it is now (the type word in either case). */
export function carriesUnitName(name: string, unitName: string): boolean {
  const lower = name.toLowerCase()
  return lower.endsWith(' ' + unitInName(unitName).toLowerCase())
}
