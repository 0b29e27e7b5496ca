import fs from 'node:fs'
import net from 'node:net'
import type tls from 'node:tls'
import {Client, InvalidCredentialsError, ResultCodeError} from 'ldapts'
import {SapxepError} from '../errors.js'

/** Where the directory is and how to reach it. The password is never part of a message. */
export interface DirectoryConnection {
  /** `ldap://HOST:PORT` or `ldaps://HOST:PORT`. */
  url: string
  bindDn: string
  password: string
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls?: boolean
  /** PEM file of the CA to trust (besides the system's) for LDAPS and StartTLS. */
  caFile?: string
  /** Seconds to wait for the TCP connection and for each operation. */
  timeoutSeconds?: number
}

/** The URL, checked: scheme, host and port only (a DN or filter in it would be ignored, so it is refused). */
export function parseDirectoryUrl(url: string): URL {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new SapxepError(`--url ${url}: not a URL; expected ldap://HOST:PORT or ldaps://HOST:PORT`)
  }
  if (u.protocol !== 'ldap:' && u.protocol !== 'ldaps:')
    throw new SapxepError(`--url ${url}: expected ldap://HOST:PORT or ldaps://HOST:PORT`)
  if (u.username || u.password)
    throw new SapxepError('--url: no user or password in the URL; use --bind-dn and --password-file')
  if ((u.pathname !== '' && u.pathname !== '/') || u.search)
    throw new SapxepError(`--url ${u.origin}: only scheme, host and port; give the base with --base-dn`)
  return u
}

/**
 * The directory's identity in sapxep's records: host, port and base DN (`127.0.0.1:389/dc=…`). The same
 * server reached over LDAPS (another port) counts as another directory: its sync re-checks every step,
 * finding them in place, rather than trusting records that may be about a different server.
 */
export function directoryIdentity(url: string, baseDn: string): string {
  const u = parseDirectoryUrl(url)
  return `${u.hostname}:${u.port || (u.protocol === 'ldaps:' ? 636 : 389)}/${baseDn}`
}

/** A network or TLS failure said plainly, with what to do about it. */
function connectionMessage(url: string, err: Error & {code?: string}): string {
  const code = err.code ?? ''
  if (code === 'ECONNREFUSED') return `cannot reach ${url}: connection refused (is the directory running?)`
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot reach ${url}: unknown host`
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate/i.test(err.message))
    return `${url}: the directory's TLS certificate is not trusted (${code || err.message}); give its CA with --ca-file`
  return `${url}: ${err.message}`
}

/** Connect (LDAPS or StartTLS as asked, certificates checked) and bind; a clear error when it fails. */
export async function connectDirectory(c: DirectoryConnection): Promise<Client> {
  const u = parseDirectoryUrl(c.url)
  if (c.startTls && u.protocol === 'ldaps:')
    throw new SapxepError('--starttls is for ldap:// URLs; an ldaps:// connection is already encrypted')
  let ca: Buffer | undefined
  if (c.caFile !== undefined) {
    try {
      ca = fs.readFileSync(c.caFile)
    } catch (err) {
      throw new SapxepError(`--ca-file ${c.caFile}: ${(err as Error).message}`)
    }
  }
  // Certificates are always verified: the CA given is trusted alongside the system's.
  const tlsOptions: tls.ConnectionOptions = {
    rejectUnauthorized: true,
    // SNI takes a host name, not an address; the certificate is checked against either.
    ...(net.isIP(u.hostname) ? {} : {servername: u.hostname}),
    ...(ca ? {ca: [ca, ...(await systemCertificates())]} : {}),
  }
  const timeout = (c.timeoutSeconds ?? 30) * 1000
  const client = new Client({
    url: `${u.protocol}//${u.host}`,
    connectTimeout: timeout,
    timeout,
    // ldapts speaks TLS from the start whenever it is given TLS options: only for ldaps://.
    ...(u.protocol === 'ldaps:' ? {tlsOptions} : {}),
    strictDN: false,
  })
  try {
    if (c.startTls) await client.startTLS(tlsOptions)
    await client.bind(c.bindDn, c.password)
    return client
  } catch (err) {
    await client.unbind().catch(() => {})
    if (err instanceof InvalidCredentialsError)
      throw new SapxepError(
        `${u.origin}: the directory refused to bind as ${c.bindDn}: invalid credentials (check --bind-dn and the password file or SAPXEP_LDAP_PASSWORD)`,
      )
    if (err instanceof ResultCodeError)
      throw new SapxepError(`${u.origin}: bind as ${c.bindDn} failed: ${err.message}`)
    throw new SapxepError(connectionMessage(u.origin, err as Error))
  }
}

/** Node's bundled root certificates, kept when a CA file is added (`ca` replaces them otherwise). */
async function systemCertificates(): Promise<string[]> {
  const {rootCertificates} = await import('node:tls')
  return [...rootCertificates]
}

/** The bind password: from the file given, else from SAPXEP_LDAP_PASSWORD; never from a flag value. */
export function readPassword(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (file !== undefined) {
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (err) {
      throw new SapxepError(`--password-file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
    }
    const password = text.replace(/\r?\n$/, '')
    if (password === '') throw new SapxepError(`--password-file ${file}: the file is empty`)
    return password
  }
  const password = env.SAPXEP_LDAP_PASSWORD
  if (password) return password
  throw new SapxepError(
    'give the bind password with --password-file FILE or the SAPXEP_LDAP_PASSWORD variable',
  )
}
