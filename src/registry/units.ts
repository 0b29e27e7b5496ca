import {SapxepError} from '../errors.js'
import type {Registry} from './db.js'
import type {UnitRow} from './schema.js'
import {query} from './sql.js'
import type {UnitLevel} from './vocabulary.js'

/** A unit as the registry has it, as the mapping rules read it. */
export interface RegistryUnit {
  code: string
  name: string
  type: string
  level: UnitLevel
  parentCode: string | null
  status: UnitRow['status']
}

/** Every unit of the registry by code. */
export type RegistryUnits = Map<string, RegistryUnit>

/** Every unit of the registry (for `mapping validate --registry`); refuses an empty registry. */
export async function readRegistryUnits(registry: Registry): Promise<RegistryUnits> {
  const rows = await query<Pick<UnitRow, 'code' | 'name' | 'type' | 'level' | 'parent_code' | 'status'>>(
    registry.db,
    `select code, name, type, level, parent_code, status from units`,
  )
  if (rows.length === 0)
    throw new SapxepError(
      `the registry at ${registry.location} has no units to check against: import them first (sapxep registry import units FILE)`,
    )
  return new Map(
    rows.map((r) => [
      r.code,
      {
        code: r.code,
        name: r.name,
        type: r.type,
        level: Number(r.level) as UnitLevel,
        parentCode: r.parent_code,
        status: r.status,
      },
    ]),
  )
}
