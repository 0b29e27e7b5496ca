import {randomBytes} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {SapxepError} from './errors.js'

/**
 * Where `--out` writes. Every output is written to a temporary file beside its target and renamed over
 * it, so a reader never sees half a file; a target that is not a regular file (a device, a directory, a
 * pipe) is refused, because the rename would replace it.
 */

/** What a path is, in words, or undefined for a regular file or nothing at all. */
function notRegular(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined
  if (stat.isDirectory()) return 'a directory'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  if (stat.isFIFO()) return 'a pipe'
  if (stat.isSocket()) return 'a socket'
  return 'not a regular file'
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw cannot('use', file, err)
  }
}

export function cannot(what: string, file: string, err: unknown): SapxepError {
  const e = err as NodeJS.ErrnoException
  const reason =
    e.code === 'ENOSPC'
      ? 'no space left on the device'
      : e.code === 'EACCES' || e.code === 'EPERM'
        ? 'permission denied'
        : e.code === 'EROFS'
          ? 'read-only file system'
          : (e.code ?? e.message)
  return new SapxepError(`cannot ${what} ${file}: ${reason}`)
}

/** Refuse an output file that is not a regular file, or whose folder does not exist; before any work. */
export function checkOutputFile(file: string): void {
  const stat = statOrNull(file)
  const kind = stat && notRegular(stat)
  if (kind) throw new SapxepError(`--out ${file} is ${kind}; give the path of a file to write`)
  const dir = path.dirname(path.resolve(file))
  const parent = statOrNull(dir)
  if (!parent) throw new SapxepError(`--out ${file}: the folder ${dir} does not exist`)
  if (!parent.isDirectory()) throw new SapxepError(`--out ${file}: ${dir} is not a folder`)
}

/** Refuse an output folder that exists as something else; create it (with its parents) otherwise. */
export function prepareOutputDir(dir: string): void {
  const stat = statOrNull(dir)
  if (stat && !stat.isDirectory()) throw new SapxepError(`--out ${dir} is not a folder`)
  try {
    fs.mkdirSync(dir, {recursive: true})
  } catch (err) {
    throw cannot('create the folder', dir, err)
  }
}

/**
 * Refuse an output folder that must be new or empty (an export, written whole or not at all): a file, a
 * device or another non-folder there, a folder with anything in it, a symbolic link (the folder moved
 * into place would replace the link, not fill its target), or a parent folder that does not exist.
 * Before any work.
 */
export function checkNewOutputDir(dir: string): void {
  let stat: fs.Stats | null
  try {
    stat = fs.lstatSync(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw cannot('use', dir, err)
    stat = null
  }
  if (stat?.isSymbolicLink())
    throw new SapxepError(`--out ${dir} is a symbolic link; give a new or empty folder`)
  if (stat && !stat.isDirectory())
    throw new SapxepError(`--out ${dir} is ${notRegular(stat) ?? 'a file'}; give a new or empty folder`)
  if (stat && fs.readdirSync(dir).length > 0)
    throw new SapxepError(`--out ${dir} is a folder that is not empty; give a new or empty folder`)
  const parent = statOrNull(path.dirname(path.resolve(dir)))
  if (!parent)
    throw new SapxepError(`--out ${dir}: the folder ${path.dirname(path.resolve(dir))} does not exist`)
  if (!parent.isDirectory())
    throw new SapxepError(`--out ${dir}: ${path.dirname(path.resolve(dir))} is not a folder`)
}

/**
 * Write a file through a temporary file in its folder and a rename; `write` gets the open stream. On any
 * failure the temporary file is removed and the target is as it was.
 */
export async function writeOutputFile(
  file: string,
  write: (out: fs.WriteStream) => Promise<void>,
): Promise<void> {
  checkOutputFile(file)
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  const out = fs.createWriteStream(tmp, {flags: 'wx'})
  try {
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve())
      out.once('error', reject)
    })
    const failed = new Promise<never>((_, reject) => out.once('error', reject))
    failed.catch(() => {}) // observed by the race below; an error after it is reported by end()
    await Promise.race([write(out), failed])
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    )
    // Checked again: the target may have been replaced by something else while we wrote.
    checkOutputFile(file)
    fs.renameSync(tmp, file)
  } catch (err) {
    out.destroy()
    fs.rmSync(tmp, {force: true})
    if (err instanceof SapxepError) throw err
    throw cannot('write', file, err)
  }
}

/** Write a string or buffer with writeOutputFile. */
export function writeOutputText(file: string, data: string | Buffer): Promise<void> {
  return writeOutputFile(file, (out) => streamWrite(out, data))
}

/** Write to a stream, waiting for it to drain. */
export function streamWrite(out: fs.WriteStream, data: string | Buffer): Promise<void> {
  return out.write(data) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()))
}
