import {z} from 'zod'
import {
  ADDRESS_PATTERN,
  AGENCY_ID_PATTERN,
  IDENTIFIER_CODE_PATTERN,
  SYSTEMS,
  UNIT_CODE_PATTERN,
} from '../vocabulary.js'

/**
 * The formats of CSV cells, as zod schemas of a non-empty cell (already NFC, trimmed, spaces collapsed).
 * Messages quote the offending value so the user sees what was read.
 */

const quoted = (input: unknown) => JSON.stringify(input)

export const text = z.string()

export const identifierCode = z.string().regex(IDENTIFIER_CODE_PATTERN, {
  error: (iss) =>
    `${quoted(iss.input)} is not an identifier code (QCVN 102 format V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.00.H40)`,
})

export const agencyId = z.string().regex(AGENCY_ID_PATTERN, {
  error: (iss) =>
    `${quoted(iss.input)} is not an agency id (letters, digits, '.', '_', '-', e.g. 13669.ubnd)`,
})

export const unitCode = z.string().regex(UNIT_CODE_PATTERN, {
  error: (iss) => `${quoted(iss.input)} is not a unit code (2, 3 or 5 digits with leading zeros)`,
})

export const username = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$/, {
  error: (iss) =>
    `${quoted(iss.input)} is not a username (letters, digits, '.', '_', '@', '+', '-'; no spaces; at most 100 characters)`,
})

export const slug = (what: string) =>
  z.string().regex(/^[a-z][a-z0-9_]*$/, {
    error: (iss) =>
      `${quoted(iss.input)} is not a ${what} (lower-case letters, digits and '_', e.g. ${what === 'role' ? 'van_thu' : 'ubnd'})`,
  })

/** Addresses are compared and stored in lower case (mail systems treat them so). */
export const address = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(
    z.string().regex(ADDRESS_PATTERN, {
      error: (iss) =>
        `${quoted(iss.input)} is not a mail address (lower-case letters, digits, '.', '_', '-' before and after one '@')`,
    }),
  )

/** Addresses separated by ';', lower-cased, each once. */
export const addressList = z
  .string()
  .transform((s) => [
    ...new Set(
      s
        .split(';')
        .map((a) => a.trim().toLowerCase())
        .filter((a) => a !== ''),
    ),
  ])
  .pipe(
    z.array(z.string()).refine((list) => list.every((a) => ADDRESS_PATTERN.test(a)), {
      error: (iss) =>
        `lists ${quoted((iss.input as string[]).find((a) => !ADDRESS_PATTERN.test(a)))}, which is not a mail address (aliases are separated by ';')`,
    }),
  )

export const system = z.enum(SYSTEMS, {
  error: (iss) => `${quoted(iss.input)} is not a system (${SYSTEMS.join(', ')})`,
})

export const oneOf = <const V extends readonly [string, ...string[]]>(values: V) =>
  z.enum(values, {error: (iss) => `${quoted(iss.input)} is not one of ${values.join(', ')}`})
