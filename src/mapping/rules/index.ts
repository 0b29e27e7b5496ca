// The validator's rules: per file, across the files of one change, and against the registry.
export {buildFileModel, type FileModel, type RegistryState} from './model.js'
export {checkFile} from './file.js'
export {checkGroup} from './group.js'
export {checkSet} from './set.js'
