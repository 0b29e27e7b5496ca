import type {DirectoryAccount, DirectoryChange} from './entries.js'

/**
 * SCIM 2.0 (RFC 7644 §3.7) bulk request for identity servers that provision over SCIM. New users are
 * POSTed with a bulkId; existing users are addressed as `/Users/<userName>`, so a server that assigns
 * its own ids needs them looked up (`GET /Users?filter=userName eq "…"`) before the request is sent.
 */

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'

export interface ScimOperation {
  method: 'POST' | 'PATCH'
  path: string
  bulkId?: string
  data: Record<string, unknown>
}

const userPath = (username: string) => `/Users/${encodeURIComponent(username)}`

const enterprise = (a: DirectoryAccount) => ({
  organization: a.agency.name ?? a.agency.id,
  department: a.unit.name ?? a.unit.code,
})

function userResource(a: DirectoryAccount): Record<string, unknown> {
  return {
    schemas: [USER, ENTERPRISE],
    userName: a.username,
    externalId: a.username,
    name: {formatted: a.holder, familyName: a.holder.trim().split(/\s+/)[0] ?? a.holder},
    displayName: a.holder,
    title: a.role,
    active: !a.disabled,
    [ENTERPRISE]: enterprise(a),
  }
}

const patch = (operations: Array<{op: 'replace'; path: string; value: unknown}>) => ({
  schemas: [PATCH],
  Operations: operations,
})

export function scimOperation(c: DirectoryChange): ScimOperation {
  switch (c.action) {
    case 'create':
      return {method: 'POST', path: '/Users', bulkId: c.after.username, data: userResource(c.after)}
    case 'move':
      return {
        method: 'PATCH',
        path: userPath(c.after.username),
        data: patch([
          {op: 'replace', path: `${ENTERPRISE}:organization`, value: enterprise(c.after).organization},
          {op: 'replace', path: `${ENTERPRISE}:department`, value: enterprise(c.after).department},
        ]),
      }
    case 'disable':
      return {
        method: 'PATCH',
        path: userPath(c.before.username),
        data: patch([{op: 'replace', path: 'active', value: false}]),
      }
    case 'enable':
      return {
        method: 'PATCH',
        path: userPath(c.after.username),
        data: patch([{op: 'replace', path: 'active', value: true}]),
      }
  }
}

/**
 * The bulk request of the changes, in order (every operation is attempted: `failOnErrors` unset), as `JSON.stringify(request, null, 2)` writes it (and a line end), one operation
 * at a time: the same bytes without the whole request in memory.
 */
export function* scimBulkChunks(changes: Iterable<DirectoryChange>): Generator<string> {
  let first = true
  for (const c of changes) {
    const op = JSON.stringify(scimOperation(c), null, 2).replace(/\n/g, '\n    ')
    yield first
      ? `{\n  "schemas": [\n    ${JSON.stringify(BULK)}\n  ],\n  "Operations": [\n    ${op}`
      : `,\n    ${op}`
    first = false
  }
  yield first ? JSON.stringify({schemas: [BULK], Operations: []}, null, 2) + '\n' : '\n  ]\n}\n'
}
