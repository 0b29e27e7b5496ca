// Writes oclif.manifest.json after the build, so that `sapxep --help` and every command's start-up read
// the command list and flags from one JSON file instead of importing all commands (0.3 s → 0.15 s).
import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'
import {Plugin} from '@oclif/core'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const plugin = new Plugin({
  root,
  type: 'core',
  isRoot: true,
  ignoreManifest: true,
  errorOnManifestCreate: true,
})
await plugin.load()
const file = path.join(root, 'oclif.manifest.json')
fs.writeFileSync(`${file}.tmp`, JSON.stringify(plugin.manifest, null, 2) + '\n')
fs.renameSync(`${file}.tmp`, file)
process.stdout.write(`oclif.manifest.json: ${Object.keys(plugin.manifest.commands).length} commands` + '\n')
