import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The sapxep version, from the package.json above this module (works from src/ and from dist/src/). */
export const toolVersion: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json')
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'))
      if (pkg.name === 'sapxep') return pkg.version as string
    }
  }
  return '0.0.0'
})()
