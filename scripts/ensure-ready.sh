#!/usr/bin/env bash
# Fast check run before `npm start` / `npm test`: runs the full set-up only when something is
# missing, otherwise just the incremental build (a second or two).
set -euo pipefail
cd "$(dirname "$0")/.."

needs_setup=0
# shellcheck source=lib/apt-packages.sh
. scripts/lib/apt-packages.sh
[ -z "$(missing_packages)" ] || needs_setup=1
# shellcheck source=lib/lock-hash.sh
. scripts/lib/lock-hash.sh
node_modules_current || needs_setup=1

if [ "$needs_setup" -eq 1 ]; then
  exec bash scripts/setup.sh
fi
# The one build definition is package.json's "build" (the daemon, both pages, the dashboard).
npm run --silent build
