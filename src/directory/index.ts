// The directory mapping (units → organizational units, accounts → inetOrgPerson entries), shared by the
// export (LDIF and SCIM files) and live directory sync.
export * from './layout.js'
export * from './entries.js'
export * from './ldif.js'
export * from './scim.js'
