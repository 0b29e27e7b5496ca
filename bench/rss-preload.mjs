// Preloaded with `node --import` when GNU time is not available: records the process's peak RSS (KB) and
// its user and system CPU seconds in the file SAPXEP_BENCH_RSS_FILE names, as the process exits.
import fs from 'node:fs'
import process from 'node:process'

const file = process.env.SAPXEP_BENCH_RSS_FILE
if (file)
  process.on('exit', () => {
    const u = process.resourceUsage()
    fs.writeFileSync(file, `${u.maxRSS} ${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6}\n`)
  })
