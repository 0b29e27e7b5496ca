// The sapxep library: everything the commands use, usable without oclif (`import … from 'sapxep'`).
// The commands import the modules that define what they use, not this file: it loads the whole library.
export * from './errors.js'
export {checkOutputFile, writeOutputText} from './output.js'
export {toolVersion} from './version.js'

// Naming conventions: text folding, slugs, addresses, usernames, identifier codes, agency names.
export * from './naming/text.js'
export {addressCandidates, bodyShort, expandAddressPattern, provinceDomain} from './naming/addresses.js'
export {bodyName, localBodyName, unitInName} from './naming/agencies.js'
export {
  formatIdentifierCode,
  isIdentifierCode,
  parseIdentifierCode,
  type IdentifierCode,
} from './naming/identifier-codes.js'
export {usernameCandidates} from './naming/usernames.js'

// The registry: opening it, its schema and vocabulary, imports, the sample, reads and runs.
export {
  openRegistry,
  redactUrl,
  sapxepHome,
  type Registry,
  type Engine,
  type OpenOptions,
} from './registry/db.js'
export * from './registry/schema.js'
export {dbStatus, migrateRegistry, type DbStatus} from './registry/status.js'
export {registryStats, type RegistryStats} from './registry/stats.js'
export {registryDigest, type RegistryDigest} from './registry/digest.js'
export {
  importUnits,
  readUnitsFile,
  type ImportUnitsOptions,
  type ImportUnitsResult,
  type ListedUnit,
} from './registry/import/units.js'
export {importAgencies, type ImportAgenciesResult} from './registry/import/agencies.js'
export {importAccounts} from './registry/import/accounts.js'
export {importMailboxes, type ImportMailboxesResult} from './registry/import/mailboxes.js'
export {importEndpoints} from './registry/import/endpoints.js'
export type {ImportResult} from './registry/import/export-format.js'
export {
  seedRegistry,
  SAMPLES,
  type SampleName,
  type SeedOptions,
  type SeedResult,
} from './registry/seed/seed.js'
export {loadLevel1Codes, type Level1Code} from './registry/seed/level1-codes.js'
export {readRegistryUnits, type RegistryUnit, type RegistryUnits} from './registry/units.js'
export {getRun, listRuns, type RunCounts, type RunRecord, type RunScope} from './registry/runs.js'
export type {Snapshot, SnapshotScope} from './registry/snapshot.js'
export type {Fingerprint} from './registry/fingerprint.js'

// Mapping files: format, validation, resolution, import from the official table.
export * from './mapping/index.js'

// Plans: made from mappings and the registry, saved, read, summarised, rendered, approved.
export {planFromFiles, mappingFiles} from './plan/from-files.js'
export {makePlan, assemblePlan, type MappingInput, type PlanOptions} from './plan/plan.js'
export {buildMappingPlan, type MappingPlanPart} from './plan/build/index.js'
export {snapshotScope} from './plan/scope.js'
export {
  canonicalJson,
  checkPlanDigest,
  planDigest,
  planFileText,
  readPlanFile,
  signPlanDigest,
  writePlanFile,
} from './plan/file.js'
export {summarize} from './plan/summary.js'
export {operationsByKind, sortOperations} from './plan/order.js'
export * from './plan/types.js'
export {
  planClosingLine,
  renderPlan,
  renderText,
  renderTextLines,
  renderMarkdown,
  renderHtml,
  describeOperation,
  planNames,
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

// Apply, verify, roll back: the one executor and what checks and undoes its runs.
export {applyPlan, type ApplyEvent, type ApplyOptions, type ApplyResult} from './apply/executor.js'
export {rollbackRun, type RollbackOptions, type RollbackResult} from './apply/rollback.js'
export {verifyPlan, verifyRun, type VerifyCheck, type VerifyReport} from './apply/verify.js'
export {readVerifyTarget, verifyTarget, type VerifyTarget} from './apply/verify-target.js'
export {approvePlanFile, defaultKeyName, type ApproveResult, type GeneratedKey} from './plan/approvals.js'
export {MAX_SCALE, SEED_TABLES, type SeedTable} from './registry/seed/seed.js'

// The documented shape of the plan file and of each command's --json (schemas/ is generated from these).
export {OUTPUT_SCHEMAS, outputJsonSchema, type OutputName} from './schemas/outputs.js'

// Hand-off to the real systems: export files and their manifest; the directory mapping they share with sync.
export * from './export/index.js'
export * from './directory/index.js'
export * from './sync/index.js'
