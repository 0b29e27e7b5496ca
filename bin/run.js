#!/usr/bin/env node
// The execute entry alone, not @oclif/core's index: `sapxep --help` then loads 115 modules instead of
// 175 (the index also checks the Node version with semver, which package.json's engines already says).
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
