/**
 * What the planner needs from a mapping: the resolved, defaults-filled model (src/mapping resolves a
 * mapping file into this shape).
 */
export type AccountAction = 'reassign' | 'disable' | 'recreate'

export interface AccountPolicy {
  default: AccountAction
  systems?: Partial<Record<string, {default?: AccountAction; roles?: Record<string, AccountAction>}>>
  singleHolderRoles: string[]
  conflict: 'keep-default-successor' | 'keep-first-username'
  overrides?: Array<{system: string; username: string; action: AccountAction}>
}

export interface Policies {
  accounts: AccountPolicy
  mail: {domain: string; pattern: string; oldAddresses: 'alias' | 'suspend'; aliasMonths: number}
  identifierCodes: {level1: string; allocation: string}
}

export interface PlanMappingUnit {
  code: string
  name: string
  type: string
  level: 1 | 2 | 3
  parentCode: string | null
  sources: Array<{code: string; share: 'whole' | 'part'; isDefault: boolean}>
}

export interface PlanMapping {
  decision: {number: string; effective: string; title?: string; source?: string; official: boolean}
  province?: {code: string; name: string}
  scope: 'complete' | 'partial'
  abolishDistricts: boolean
  units: PlanMappingUnit[]
  retired: Array<{code: string; successors: Array<{code: string; isDefault: boolean}>}>
  policies: Policies
  expect: {provinces?: number; districts?: number; communes?: number}
}
