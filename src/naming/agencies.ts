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
