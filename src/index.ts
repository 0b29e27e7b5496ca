// The sapxep library: everything the commands use, usable without oclif.
export * from './errors.js'
export * from './naming/text.js'
export {
  openRegistry,
  redactUrl,
  sapxepHome,
  type Registry,
  type Engine,
  type OpenOptions,
} from './registry/db.js'
export {dbStatus, migrateRegistry} from './registry/status.js'
export {importAgencies, type ImportAgenciesResult} from './registry/import/agencies.js'
export {importAccounts} from './registry/import/accounts.js'
export {importMailboxes, type ImportMailboxesResult} from './registry/import/mailboxes.js'
export {importEndpoints} from './registry/import/endpoints.js'
export type {ImportResult} from './registry/import/records.js'
export {
  seedRegistry,
  SAMPLES,
  type SampleName,
  type SeedOptions,
  type SeedResult,
} from './registry/seed/seed.js'
export {loadLevel1Codes, type Level1Code} from './registry/seed/level1-codes.js'
export {
  renderPlan,
  renderText,
  renderTextLines,
  renderMarkdown,
  renderHtml,
  PLAN_FORMATS,
  type PlanFormat,
  type RenderOptions,
} from './plan/render/index.js'
export {
  approvePlan,
  countValidApprovals,
  requireApprovals,
  generateApprovalKey,
  keyFingerprint,
  loadTrustedKeys,
  type ApprovalCount,
} from './plan/approvals.js'
export * from './mapping/index.js'
export {importUnits, type ImportUnitsResult} from './registry/import/units.js'
export {MAX_SCALE, SEED_TABLES, type SeedTable} from './registry/seed/seed.js'
export type {DbStatus} from './registry/status.js'
export {registryStats, type RegistryStats} from './registry/stats.js'
export {registryDigest, REGISTRY_TABLES, type RegistryDigest, type RegistryTable} from './registry/digest.js'
export {planFromFiles, mappingFiles} from './plan/from-files.js'
export {readPlanFile, writePlanFile} from './plan/file.js'
export type {SignedPlan, PlanSummary, Operation, OpKind} from './plan/types.js'
export {approvePlanFile, defaultKeyName, type ApproveResult, type GeneratedKey} from './plan/approvals.js'
export {applyPlan, type ApplyEvent, type ApplyOptions, type ApplyResult} from './apply/executor.js'
export {rollbackRun, type RollbackResult} from './apply/rollback.js'
export {verifyPlan, verifyRun, type VerifyCheck, type VerifyReport} from './apply/verify.js'
export {readVerifyTarget, verifyTarget, type VerifyTarget} from './apply/verify-target.js'
export {listRuns, type RunRecord} from './apply/history.js'
