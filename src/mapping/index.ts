// Mapping files: the declarative input of sapxep (format, validation, resolution, import).
export {
  MAPPING_FORMAT,
  MappingSchema,
  PoliciesSchema,
  ACCOUNT_ACTIONS,
  mappingJsonSchema,
  type Mapping,
  type MappingInput,
  type MappingUnit,
  type MappingSource,
  type Policies,
} from './schema.js'
export {loadMappingFile, type LoadedMapping} from './load.js'
export {resolveMapping, defaultMailDomain, type ResolvedMapping, type ResolvedUnit} from './model.js'
export {validateMappings, validateText, type ValidateOptions} from './validate.js'
export {readRegistryUnits} from '../registry/units.js'
export {RULES, type Finding, type RuleId, type ValidationReport} from './findings.js'
export {
  GITHUB_ANNOTATIONS_PER_TYPE,
  renderReport,
  renderReportGithub,
  renderReportStepSummary,
  renderReportText,
  type ReportFormat,
} from './render.js'
export {
  importMappings,
  mappingFileName,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportOptions,
  type ImportResult as MappingImportResult,
} from './import.js'
export {parseConversionTable, type ConversionRow} from './conversion-table.js'
export {buildProvinceMappings} from './conversion-table-mappings.js'
export {defaultSuccessor} from './conversion-table-successors.js'
export {applyTableErrata, readTableErrata} from './conversion-table-errata.js'
export {mappingToYaml} from './emit.js'
