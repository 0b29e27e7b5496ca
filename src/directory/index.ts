// The directory mapping (units → organizational units, accounts and mailboxes → inetOrgPerson entries, or
// what --ldap-schema says), shared by the export (LDIF and SCIM files) and live directory sync.
export * from './layout.js'
export * from './entries.js'
export * from './ldif.js'
export * from './scim.js'
export * from './schema.js'
export * from './schema-file.js'
