#!/usr/bin/env bash
# The main job end to end on the embedded registry (README quick start). Each step is a plain sapxep
# command, printed before it runs, so this doubles as a walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."
export SAPXEP_HOME="${SAPXEP_HOME:-$PWD/.sapxep/demo}"
OUT="${SAPXEP_DEMO_OUT:-$PWD/.sapxep/demo-out}"
# Bold step titles only on a terminal, and not with NO_COLOR (https://no-color.org).
if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
sapxep() { printf '\n%s$ sapxep %s%s\n' "$BOLD" "$*" "$PLAIN" >&2; node bin/run.js "$@"; }

rm -rf "$SAPXEP_HOME" "$OUT"
mkdir -p "$OUT"
sapxep init
sapxep registry import units data/gso-units-2025-03-01.csv
sapxep registry seed --sample nam-dinh
sapxep registry stats
sapxep registry digest > "$OUT/digest-before.txt"
sapxep mapping validate mappings/2025/37-ninh-binh.yaml --registry
sapxep plan mappings/2025/37-ninh-binh.yaml --out "$OUT/ninh-binh.plan.json" --format markdown > "$OUT/ninh-binh.plan.md"
sapxep show "$OUT/ninh-binh.plan.json" --format html --out "$OUT/ninh-binh.plan.html"
sapxep show "$OUT/ninh-binh.plan.json" | head -n 60
sapxep apply "$OUT/ninh-binh.plan.json" --dry-run
sapxep apply "$OUT/ninh-binh.plan.json" --yes
sapxep verify 1
sapxep export 1 --out "$OUT/handoff"
sapxep export --check "$OUT/handoff"
sapxep history
sapxep rollback 1 --yes
sapxep registry digest > "$OUT/digest-after.txt"
if cmp -s "$OUT/digest-before.txt" "$OUT/digest-after.txt"; then
  printf '\nRolled back exactly: the registry digest equals the one before apply.\n' >&2
else
  printf '\nThe registry digest differs after rollback!\n' >&2
  exit 1
fi
printf 'Plan, Markdown and HTML report, and the hand-off files of run 1 (handoff/), are in %s\n' "$OUT" >&2
