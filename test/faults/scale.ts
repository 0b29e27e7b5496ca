/**
 * How hard the standing fault suite works: the reduced run CI affords (`npm run test:faults`), or the full
 * run whose figures docs/reliability.md records (`SAPXEP_FAULTS=full npm run test:faults`).
 */
export const FULL = process.env.SAPXEP_FAULTS === 'full'

export const runs = (reduced: number, full: number): number => (FULL ? full : reduced)

/** A fixed seed unless one is given, so a failure can be replayed (fast-check prints the seed and path). */
export const seed = Number(process.env.SAPXEP_FAULTS_SEED ?? 20250701)
