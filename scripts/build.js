// `npm run build`: compile into a fresh folder and swap it in, so that a CLI or a test already running
// from dist/ never finds it half-deleted; then write oclif.manifest.json (see manifest.js).
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
