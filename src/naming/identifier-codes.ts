/**
 * Electronic identifier codes (QCVN 102:2016/BTTTT): `V1V2V3.Z1Z2.Y1Y2.MX1X2`, read from the right —
 * level 1 `MX1X2` (group letter and two digits), level 2 `Y1Y2`, level 3 `Z1Z2`, level 4 `V1V2V3`.
 */
export interface IdentifierCode {
  v: string
  z: string
  y: string
  m: string
}

const FORMAT = /^([0-9]{3})\.([0-9]{2})\.([0-9]{2})\.([A-Z][0-9]{2})$/

export function parseIdentifierCode(code: string | null | undefined): IdentifierCode | null {
  const m = code ? FORMAT.exec(code) : null
  return m ? {v: m[1], z: m[2], y: m[3], m: m[4]} : null
}

export function formatIdentifierCode(c: IdentifierCode): string {
  return `${c.v}.${c.z}.${c.y}.${c.m}`
}

export const isIdentifierCode = (code: string): boolean => FORMAT.test(code)

/** Two-digit level numbers 01..99 in order. */
export const LEVEL_NUMBERS: readonly string[] = Array.from({length: 99}, (_, i) =>
  String(i + 1).padStart(2, '0'),
)
