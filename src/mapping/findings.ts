/** A problem found in a mapping file, at a place a person can open. */
export interface Finding {
  file: string
  /** 1-based */
  line: number
  /** 1-based */
  column: number
  /** Where in the document, e.g. `units[3].from[1].code`; empty for the document itself. */
  path: string
  rule: RuleId
  message: string
}

export interface ValidationReport {
  valid: boolean
  errors: Finding[]
  warnings: Finding[]
}

export type Severity = 'error' | 'warning'

/** Every rule the validator applies, with its severity and what it means (README "Rules"). */
export const RULES = {
  file: {
    severity: 'error',
    summary: 'The file cannot be read: missing, not UTF-8, or a folder without mapping files.',
  },
  syntax: {severity: 'error', summary: 'The file is not well-formed YAML or JSON.'},
  schema: {
    severity: 'error',
    summary: 'A value has the wrong type, is missing or is not one of the allowed values.',
  },
  'unknown-key': {
    severity: 'error',
    summary: 'A key the format does not know (often a typo; the closest known key is suggested).',
  },
  'format-version': {severity: 'error', summary: '`format` is not `sapxep/mapping@1`.'},
  'code-format': {severity: 'error', summary: 'A code is not a quoted string of 2, 3 or 5 digits.'},
  'type-level': {
    severity: 'error',
    summary: "A unit's type does not fit its level (e.g. a 5-digit code of type Huyện).",
  },
  'source-level': {
    severity: 'error',
    summary: 'A `from` code is of another level than the unit (only a district may become a special zone).',
  },
  'duplicate-unit': {severity: 'error', summary: 'The same code is listed twice as a unit after the change.'},
  'duplicate-source': {severity: 'error', summary: 'The same code is listed twice in one `from`.'},
  'merged-twice': {
    severity: 'error',
    summary: 'A code that stops existing in one place is merged, kept or listed again in another.',
  },
  'split-default': {
    severity: 'error',
    summary: 'A split code (`share: part`) has no default successor, or more than one.',
  },
  'split-survivor': {
    severity: 'error',
    summary: 'A split code that survives as a unit must be its own default successor.',
  },
  'retired-code-reused': {
    severity: 'error',
    summary: 'A code retired by an earlier decision of the set is used again.',
  },
  'retire-conflict': {severity: 'error', summary: 'A code in `retire` is also a unit or a `from` code.'},
  'parent-required': {severity: 'error', summary: 'A commune needs a `parent` while districts exist.'},
  'parent-level': {
    severity: 'error',
    summary: 'A parent of the wrong level (a commune under a commune, a district under a district…).',
  },
  'parent-missing': {severity: 'error', summary: 'A parent does not exist after the change.'},
  'abolished-level': {severity: 'error', summary: 'A district is listed in a file that abolishes districts.'},
  'province-mismatch': {
    severity: 'error',
    summary: 'The province unit or a parent disagrees with `province`.',
  },
  expect: {severity: 'error', summary: 'An `expect` count does not hold.'},
  'mail-pattern': {severity: 'error', summary: 'The mail pattern has an unknown placeholder or no `{unit}`.'},
  'mail-domain': {
    severity: 'error',
    summary:
      'The mail domain cannot be known: no `policies.mail.domain` and no `province` to derive it from.',
  },
  'duplicate-override': {
    severity: 'error',
    summary: 'Two account overrides for the same system and username.',
  },
  'duplicate-decision': {
    severity: 'error',
    summary: 'Two files state the same decision for the same province.',
  },
  'registry-unknown-code': {
    severity: 'error',
    summary: 'A code the mapping expects to exist is not in the registry.',
  },
  'registry-retired-code': {
    severity: 'error',
    summary: 'A code the mapping expects to be active is retired in the registry.',
  },
  'registry-code-taken': {
    severity: 'error',
    summary: 'A new code already exists in the registry (active, or retired: never reused).',
  },
  'registry-uncovered': {
    severity: 'error',
    summary: 'A complete mapping says nothing about an active unit of a province it covers.',
  },
  'registry-orphan': {
    severity: 'error',
    summary: 'An active unit would be left under a parent that stops existing.',
  },
  'code-not-reused': {
    severity: 'warning',
    summary: "A merged unit takes a new code instead of reusing a constituent's.",
  },
  'split-single': {
    severity: 'warning',
    summary: 'A code is marked `share: part` but only one unit receives it.',
  },
  'source-name-conflict': {
    severity: 'warning',
    summary: 'The same `from` code is given different names (usually a wrong code in one place).',
  },
  'retired-without-successor': {
    severity: 'warning',
    summary:
      'Codes in `retire` stop existing with no successor: their agencies and accounts are disabled, not moved.',
  },
  'name-type': {severity: 'warning', summary: "A unit's name does not start with its type."},
  'text-nfc': {severity: 'warning', summary: 'Text not in Unicode NFC (it is normalised on reading).'},
  'text-whitespace': {
    severity: 'warning',
    summary: 'Stray spaces or line breaks in a name or code (they are removed on reading).',
  },
  'mail-district': {
    severity: 'warning',
    summary: 'The mail pattern uses `{district}` although districts are abolished.',
  },
  'registry-name-mismatch': {
    severity: 'warning',
    summary: 'A `from` name differs from the name the registry has for that code (type prefixes aside).',
  },
} as const satisfies Record<string, {severity: Severity; summary: string}>

export type RuleId = keyof typeof RULES

export function severityOf(rule: RuleId): Severity {
  return RULES[rule].severity
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file
    ? -1
    : a.file > b.file
      ? 1
      : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
}

/** Split findings by severity, sort them, and decide validity (`strict`: warnings fail too). */
export function makeReport(findings: Finding[], strict = false): ValidationReport {
  const seen = new Set<string>()
  const unique = findings.filter((f) => {
    const key = `${f.file}\0${f.line}\0${f.column}\0${f.rule}\0${f.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  const errors = unique.filter((f) => severityOf(f.rule) === 'error').sort(compareFindings)
  const warnings = unique.filter((f) => severityOf(f.rule) === 'warning').sort(compareFindings)
  return {valid: errors.length === 0 && (!strict || warnings.length === 0), errors, warnings}
}

/** `units[3].from[1].code` from `['units', 3, 'from', 1, 'code']`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`
    else out += `[${JSON.stringify(seg)}]`
  }
  return out
}
