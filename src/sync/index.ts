// Live sync of a run into an LDAP directory: apply, resume, check, revert.
export {syncLdap, syncPlan, type SyncOptions, type SyncPlan, type SyncResult, type SyncStep} from './ldap.js'
export {checkLdap, type CheckOptions, type Drift, type LdapCheckResult} from './check.js'
export {connectDirectory, directoryIdentity, readPassword, type DirectoryConnection} from './connection.js'
