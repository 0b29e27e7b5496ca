// Writes the JSON Schema of each machine-readable output (the plan file, each command's --json) into
// schemas/, generated from the zod schemas in src/schemas/outputs.ts. `--check` writes nothing and fails
// when a committed file differs (CI runs the same comparison as a unit test).
//   node --import tsx scripts/schemas.js [--check]
import fs from 'node:fs'
import path from 'node:path'
import {outputSchemaFiles} from '../src/schemas/outputs.js'

const dir = path.resolve(import.meta.dirname, '../schemas')
const check = process.argv.includes('--check')
const files = outputSchemaFiles()
const stale = []
for (const [name, text] of Object.entries(files)) {
  const file = path.join(dir, name)
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null
  if (old === text) continue
  stale.push(name)
  if (!check) {
    fs.mkdirSync(dir, {recursive: true})
    fs.writeFileSync(file, text)
  }
}
const extra = fs.existsSync(dir)
  ? fs.readdirSync(dir).filter((f) => f.endsWith('.schema.json') && !(f in files))
  : []
if (check) {
  if (stale.length + extra.length > 0) {
    process.stderr.write(
      `schemas/ is out of date (${[...stale, ...extra.map((f) => `${f} (not generated)`)].join(', ')}): run npm run schemas\n`,
    )
    process.exit(1)
  }
  process.stdout.write(`schemas/: ${Object.keys(files).length} files up to date\n`)
} else {
  for (const f of extra) fs.rmSync(path.join(dir, f))
  process.stdout.write(
    `schemas/: ${Object.keys(files).length} files, ${stale.length} written, ${extra.length} removed\n`,
  )
}
