#!/usr/bin/env bash
# Sets up everything the project needs on a Debian 12 machine, idempotently:
# system packages (GStreamer, socat, age, NUT, Chromium…), npm dependencies, the TypeScript build.
# Run as root (or with passwordless sudo) the first time; later runs only do what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=lib/apt-packages.sh
. scripts/lib/apt-packages.sh

log() { printf '[setup] %s\n' "$*" >&2; }

install_system_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing system packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { log "not root and no sudo: install ${missing[*]} as root"; exit 1; }
    sudo=(sudo -n)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# shellcheck source=lib/lock-hash.sh
. scripts/lib/lock-hash.sh

install_node_modules() {
  node_modules_current && return 0
  log "installing npm dependencies (npm ci)"
  # sqlite3 builds against Debian's libsqlite3 (about 11 s instead of 60 s for the bundled copy).
  npm_config_sqlite=/usr npm ci --no-audit --no-fund --loglevel=error
  lock_hash > "$NODE_MODULES_STAMP"
}

build() {
  log "building (tsc)"
  npm run --silent build
}

install_system_packages
install_node_modules
build
