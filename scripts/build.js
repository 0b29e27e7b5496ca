// `npm run build`: compile into a fresh folder and swap it in, so that a CLI or a test already running
// from dist/ never finds it half-deleted; then write oclif.manifest.json (see manifest.js).
// `--if-stale` (the test scripts' pre-step): only when a source is newer than the last build, so that
// `npm test` right after `npm ci` (which builds) does not compile the same sources again.
import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const next = path.join(root, `dist.next-${process.pid}`)
const old = path.join(root, `dist.old-${process.pid}`)
const dist = path.join(root, 'dist')
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const stamp = path.join(dist, '.built')

/** The newest modification time among the files a build reads. */
function newestSource() {
  let newest = 0
  const visit = (file) => {
    const st = fs.statSync(file)
    if (st.isDirectory()) for (const f of fs.readdirSync(file)) visit(path.join(file, f))
    else newest = Math.max(newest, st.mtimeMs)
  }
  for (const f of ['src', 'commands', 'tsconfig.json', 'package.json', 'scripts']) visit(path.join(root, f))
  return newest
}

if (
  process.argv.includes('--if-stale') &&
  fs.existsSync(stamp) &&
  fs.statSync(stamp).mtimeMs >= newestSource()
) {
  process.stdout.write('dist/ is up to date with the sources: not rebuilt\n')
  process.exit(0)
}
const started = Date.now()
try {
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--outDir', next], {
    stdio: 'inherit',
  })
} catch {
  fs.rmSync(next, {recursive: true, force: true})
  process.exit(1)
}
if (fs.existsSync(dist)) fs.renameSync(dist, old)
fs.renameSync(next, dist)
fs.rmSync(old, {recursive: true, force: true})
execFileSync(process.execPath, [path.join(root, 'scripts', 'manifest.js')], {stdio: 'inherit'})
// Stamped with the time the build started: a source saved while it ran counts as newer.
fs.writeFileSync(stamp, '')
fs.utimesSync(stamp, started / 1000, started / 1000)
