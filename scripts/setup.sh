#!/usr/bin/env bash
# Sets up everything the project needs on a Debian 12 machine, idempotently:
# system packages (GStreamer, socat, NUT, Chromium…), npm dependencies, the TypeScript build.
# Run as root (or with passwordless sudo) the first time; later runs only do what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-plugins-base-apps
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev pkg-config
  ffmpeg socat nut-server nut-client chromium v4l-utils libsqlite3-dev
  python3 make g++ openssl cage
  ddcutil alsa-utils pulseaudio-utils
  gstreamer1.0-x fonts-dejavu-core
)

log() { printf '[setup] %s\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

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

lock_hash() { sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1; }

install_node_modules() {
  local stamp=node_modules/.diemcau-lock-hash
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(lock_hash)" ]; then return 0; fi
  log "installing npm dependencies (npm ci)"
  # sqlite3 builds against Debian's libsqlite3 (about 11 s instead of 60 s for the bundled copy).
  npm_config_sqlite=/usr npm ci --no-audit --no-fund --loglevel=error
  lock_hash > "$stamp"
}

build() {
  log "building (tsc)"
  npx --no-install tsc -p tsconfig.json
}

install_system_packages
install_node_modules
build
