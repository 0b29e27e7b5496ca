#!/usr/bin/env bash
# The main job end to end on the embedded registry (README quick start). Each step is a plain sapxep
# command, printed before it runs, so this doubles as a walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."
export SAPXEP_HOME="${SAPXEP_HOME:-$PWD/.sapxep/demo}"
sapxep() { printf '\n\033[1m$ sapxep %s\033[0m\n' "$*" >&2; node bin/run.js "$@"; }

rm -rf "$SAPXEP_HOME"
sapxep init
sapxep registry import units data/gso-units-2025-01-04.csv
sapxep registry stats
