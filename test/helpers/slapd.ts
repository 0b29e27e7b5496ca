import {execFileSync, spawnSync} from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

/**
 * A throwaway OpenLDAP server for a test: its own config, database and pid file in a temp directory,
 * listening on 127.0.0.1 only. Needs Debian's slapd and ldap-utils; `slapdMissing()` says why not.
 */

const SLAPD = '/usr/sbin/slapd'
const TOOLS = ['ldapadd', 'ldapmodify', 'ldapsearch']

/** Why the directory tests cannot run here, or undefined when they can. */
export function slapdMissing(): string | undefined {
  if (!fs.existsSync(SLAPD)) return `${SLAPD} not installed (apt-get install slapd ldap-utils)`
  for (const tool of TOOLS)
    if (spawnSync('which', [tool]).status !== 0) return `${tool} not installed (apt-get install ldap-utils)`
  return undefined
}

export interface Slapd {
  url: string
  /** With TLS: the LDAPS listener. */
  ldapsUrl?: string
  rootDn: string
  password: string
  /** Run an ldap-utils tool against this server as the root DN; throws with its stderr on failure. */
  tool: (name: 'ldapadd' | 'ldapmodify' | 'ldapsearch', args: string[]) => string
  /** Pause (SIGSTOP) or resume (SIGCONT) the server: a directory that stops answering, for a while. */
  signal: (signal: 'SIGSTOP' | 'SIGCONT') => void
  stop: () => void
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** PEM files for slapd's TLS: its certificate and key, and the CA that signed it. */
export interface SlapdTls {
  cert: string
  key: string
  ca: string
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 signed by it (openssl), in `dir`: what a test
 * needs to run slapd with LDAPS and StartTLS and a client that checks the certificate.
 */
export function makeTestCertificates(dir: string): SlapdTls {
  const f = (name: string) => path.join(dir, name)
  const ssl = (args: string[]) => execFileSync('openssl', args, {stdio: 'pipe'})
  ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=sapxep test CA',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
  ])
  ssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    f('server.key'),
    '-out',
    f('server.csr'),
  ])
  fs.writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  ssl([
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    f('server.ext'),
    '-out',
    f('server.pem'),
  ])
  return {cert: f('server.pem'), key: f('server.key'), ca: f('ca.pem')}
}

/** With `tls`, slapd also listens on `ldapsUrl` and offers StartTLS on `url`. */
export async function startSlapd(suffix: string, opts: {tls?: SlapdTls} = {}): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sapxep-slapd-'))
  fs.mkdirSync(path.join(dir, 'db'))
  const rootDn = `cn=admin,${suffix}`
  const password = 'test-only'
  const conf = path.join(dir, 'slapd.conf')
  fs.writeFileSync(
    conf,
    [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      'database mdb',
      'maxsize 1073741824',
      `suffix "${suffix}"`,
      `rootdn "${rootDn}"`,
      `rootpw ${password}`,
      `directory ${path.join(dir, 'db')}`,
      'dbnosync',
      'index objectClass,uid eq',
      ...(opts.tls
        ? [
            `TLSCACertificateFile ${opts.tls.ca}`,
            `TLSCertificateFile ${opts.tls.cert}`,
            `TLSCertificateKeyFile ${opts.tls.key}`,
          ]
        : []),
      '',
    ].join('\n'),
  )
  const port = await freePort()
  const url = `ldap://127.0.0.1:${port}/`
  const ldapsUrl = opts.tls ? `ldaps://127.0.0.1:${await freePort()}/` : undefined
  execFileSync(SLAPD, ['-f', conf, '-h', [url, ldapsUrl].filter(Boolean).join(' ')]) // daemonizes
  const pidFile = path.join(dir, 'slapd.pid')
  const tool: Slapd['tool'] = (name, args) => {
    const r = spawnSync(name, ['-x', '-H', url, '-D', rootDn, '-w', password, ...args], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    })
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`)
    return r.stdout
  }
  for (let i = 0; ; i++) {
    if (spawnSync('ldapsearch', ['-x', '-H', url, '-s', 'base', '-b', '', 'namingContexts']).status === 0)
      break
    if (i > 100) throw new Error('slapd did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    ldapsUrl,
    rootDn,
    password,
    tool,
    signal: (signal) => process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), signal),
    stop: () => {
      if (fs.existsSync(pidFile)) {
        try {
          process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGTERM')
        } catch {
          // already gone
        }
      }
      fs.rmSync(dir, {recursive: true, force: true})
    },
  }
}

/**
 * `ldapsearch` of the server under `base` (the subtree, or the base entry alone), parsed: DN → attribute
 * → values; `attributes` as ldapsearch takes them (default all user attributes, `1.1` none).
 */
export function searchEntries(
  s: Pick<Slapd, 'tool'>,
  base: string,
  filter: string,
  attributes: string[] = ['*'],
  scope: 'sub' | 'base' = 'sub',
): Map<string, Map<string, string[]>> {
  return parseEntries(
    s.tool('ldapsearch', ['-LLL', '-o', 'ldif-wrap=no', '-s', scope, '-b', base, filter, ...attributes]),
  )
}

/** Entries of `ldapsearch -LLL -o ldif-wrap=no` output: DN and attribute values, base64 decoded. */
export function parseEntries(output: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>()
  for (const block of output.split(/\n\n+/)) {
    let dn: string | undefined
    const attrs = new Map<string, string[]>()
    for (const line of block.split('\n')) {
      const m = /^([A-Za-z][\w-]*)(::?) ?(.*)$/.exec(line)
      if (!m) continue
      const value = m[2] === '::' ? Buffer.from(m[3], 'base64').toString('utf8') : m[3]
      if (m[1] === 'dn') dn = value
      else attrs.set(m[1], [...(attrs.get(m[1]) ?? []), value])
    }
    if (dn) out.set(dn, attrs)
  }
  return out
}
