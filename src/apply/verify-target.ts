import fs from 'node:fs'
import type {Knex} from 'knex'
import {readPlanFile} from '../plan/file.js'
import type {SignedPlan} from '../plan/types.js'
import {verifyPlan, verifyRun, type VerifyReport} from './verify.js'

/** What `sapxep verify TARGET` checks: a run, or the operations of a plan file. */
export type VerifyTarget = {run: number} | {plan: SignedPlan}

/**
 * A run number, unless a file of that name exists; otherwise a plan file, read (and its digest checked)
 * before the registry is opened.
 */
export async function readVerifyTarget(target: string): Promise<VerifyTarget> {
  if (/^[0-9]+$/.test(target) && !fs.existsSync(target)) return {run: Number(target)}
  return {plan: await readPlanFile(target)}
}

export function verifyTarget(db: Knex, target: VerifyTarget): Promise<VerifyReport> {
  return 'run' in target
    ? verifyRun(db, target.run)
    : verifyPlan(db, target.plan, `plan ${target.plan.digest}`)
}
