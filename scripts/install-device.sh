#!/usr/bin/env bash
# On-device install (README "Install on a board"), as root on the room's computer. Idempotent:
# running it again repairs (the release folder, units, rules, policy and links are rewritten; the
# config, the keys and the TLS certificate are kept).
#   From a signed release (a board):   install-device.sh --release diemcau-V-linux-ARCH.tar.gz [--trust KEY.pem] [options]
#   From a built checkout (developers): install-device.sh [options]
# Options: --root DIR (install into an image tree instead of this machine: no packages, no systemd),
#   --profile config/examples/NAME.json (seeds /etc/diemcau/config.json when absent), --board NAME
#   (boot settings and overlays from firmware/NAME), --no-enable (do not enable and start the services).
# A release is checked with openssl against /etc/diemcau/release-keys/*.pem (plus --trust, which is
# added there) before any of its code runs; then the release's own updater adopts it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

root=""
profile=""
enable=1
board=""
release=""
trust=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$(realpath -m "$2")"; shift 2 ;;
    --profile) profile="$(realpath "$2")"; shift 2 ;;
    --board) board="$2"; shift 2 ;;
    --release) release="$(realpath "$2")"; shift 2 ;;
    --trust) trust="$(realpath "$2")"; shift 2 ;;
    --no-enable) enable=0; shift ;;
    *) echo "install-device: unknown option $1" >&2; exit 2 ;;
  esac
done
log() { echo "install-device: $*" >&2; }

opt="$root/opt/diemcau"
keys="$root/etc/diemcau/release-keys"

# ── Packages (a real machine only) ────────────────────────────────────────────────────────────
if [ -z "$root" ]; then
  # shellcheck source=lib/apt-packages.sh
  . "$here/scripts/lib/apt-packages.sh"
  mapfile -t missing < <(missing_packages DEVICE_APT_PACKAGES)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=17)?0:1)' \
  || { log "Node.js >= 20.17 is required (node $(node -v 2>/dev/null || echo missing))"; exit 1; }

# ── Check before writing anything: the release's signature, the profile ─────────────────────
if [ -n "$release" ]; then
  [ -f "$release.sig" ] || { log "$release has no signature ($release.sig): refused"; exit 1; }
  shopt -s nullglob
  trusted=("$keys"/*.pem ${trust:+"$trust"})
  shopt -u nullglob
  [ "${#trusted[@]}" -gt 0 ] || { log "no trusted release key in $keys: pass --trust KEY.pem"; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  base64 -d "$release.sig" > "$work/raw.sig" 2>/dev/null || { log "$release.sig is not a signature: refused"; exit 1; }
  verified=""
  for key in "${trusted[@]}"; do
    if openssl pkeyutl -verify -pubin -inkey "$key" -rawin -in "$release" -sigfile "$work/raw.sig" >/dev/null 2>&1; then verified="$key"; break; fi
  done
  [ -n "$verified" ] || { log "$release: no trusted key made its signature (tampered, or signed by another key): refused"; exit 1; }
  log "signature checked with $(basename "$verified")"
  # Verified, so its code may run: its own updater adopts it below.
  tar -xzf "$release" -C "$work" --no-same-owner
  cli="$work/dist/kiosk/cli.js"
else
  [ -f "$here/dist/kiosk/cli.js" ] || { log "build first (npm run setup), or pass --release"; exit 1; }
  cli="$here/dist/kiosk/cli.js"
fi
profile="${profile:-$(dirname "$(dirname "$(dirname "$cli")")")/config/default.json}"
node "$cli" config check "$profile" >/dev/null

# ── The software: /opt/diemcau/releases/<version>, /opt/diemcau/current ────────────────────────
install -d -m 0755 "$opt/releases" "$keys"
[ -z "$trust" ] || install -m 0644 "$trust" "$keys/$(basename "$trust")"
if [ -n "$release" ]; then
  # Checked again with node:crypto, unpacked beside the other releases, made current.
  version="$(node "$cli" update install --root "${root:-/}" "$release")"
else
  version="$(node -p 'require(process.argv[1]).version' "$here/package.json")"
  staging="$opt/releases/.staging-checkout"
  rm -rf "$staging"
  install -d "$staging"
  # The built code, runtime dependencies, config schema defaults, units, board files, scripts.
  for part in dist node_modules config systemd firmware scripts package.json package-lock.json README.md; do
    cp -a "$here/$part" "$staging/$part"
  done
  rm -rf "$opt/releases/$version"
  mv "$staging" "$opt/releases/$version"
  ln -sfn "releases/$version" "$opt/current.new" && mv -T "$opt/current.new" "$opt/current"
fi
sw="$opt/current"
log "release $version is current"

# ── System files, from the release ────────────────────────────────────────────────────────────
install -d "$root/etc/systemd/system" "$root/etc/udev/rules.d" "$root/etc/tmpfiles.d" "$root/etc/sysusers.d" \
  "$root/etc/polkit-1/rules.d" "$root/etc/diemcau" "$root/etc/chromium/policies/managed" "$root/usr/local/bin"
install -m 0644 "$sw/systemd/diemcau.service" "$sw/systemd/diemcau-kiosk.service" \
  "$sw/systemd/diemcau-update.service" "$sw/systemd/diemcau-update.path" "$root/etc/systemd/system/"
install -m 0644 "$sw/systemd/udev/70-diemcau.rules" "$root/etc/udev/rules.d/"
install -m 0644 "$sw/systemd/tmpfiles/diemcau.conf" "$root/etc/tmpfiles.d/"
install -m 0644 "$sw/systemd/sysusers/diemcau.conf" "$root/etc/sysusers.d/"
install -m 0644 "$sw/systemd/polkit/50-diemcau-power.rules" "$root/etc/polkit-1/rules.d/"
# The kiosk browser may show the kiosk address and nothing else.
install -m 0644 "$sw/systemd/chromium/diemcau-kiosk.json" "$root/etc/chromium/policies/managed/"
# The `diemcau` command for the technician (config check, user, update, self-test, verify, export).
printf '#!/bin/sh\nexec /usr/bin/node /opt/diemcau/current/dist/kiosk/cli.js "$@"\n' > "$root/usr/local/bin/diemcau"
chmod 0755 "$root/usr/local/bin/diemcau"
config="$root/etc/diemcau/config.json"
if [ ! -e "$config" ]; then
  install -m 0640 "$profile" "$config"
  log "seeded /etc/diemcau/config.json from $profile: edit it, then run diemcau config check /etc/diemcau/config.json"
fi

# ── The console's TLS certificate, made on the device (its key never leaves it) ───────────────
read -r cert key < <(node --input-type=module -e '
  const { loadConfigFile } = await import(process.argv[1]);
  const tls = loadConfigFile(process.argv[2]).web.console.tls;
  console.log(tls ? `${tls.certFile} ${tls.keyFile}` : "- -");' "$sw/dist/config/load.js" "$config")
if [ "$cert" != "-" ] && [ ! -s "$root$cert" ]; then
  host="$(hostname)"
  san="DNS:$host,DNS:$host.local,DNS:localhost,IP:127.0.0.1"
  for ip in $(hostname -I 2>/dev/null); do san="$san,IP:$ip"; done
  install -d -m 0750 "$(dirname "$root$cert")" "$(dirname "$root$key")"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 -subj "/O=Điểm Cầu/CN=$host" \
    -addext "subjectAltName=$san" -addext "extendedKeyUsage=serverAuth" \
    -keyout "$root$key" -out "$root$cert" 2>/dev/null
  chmod 0640 "$root$key"; chmod 0644 "$root$cert"
  log "console certificate made for $san (SHA-256 $(openssl x509 -in "$root$cert" -noout -fingerprint -sha256 | cut -d= -f2))"
fi

# ── The board: boot settings and overlays ─────────────────────────────────────────────────────
if [ -n "$board" ]; then
  [ -d "$sw/firmware/$board" ] || { log "no firmware/$board"; exit 2; }
  boot="$root/boot/firmware"
  install -d "$boot/overlays" "$root/etc/systemd/system.conf.d"
  touch "$boot/config.txt"
  # Replace our block between markers, so running the install again does not stack copies.
  sed -i '/^# >>> diemcau >>>$/,/^# <<< diemcau <<<$/d' "$boot/config.txt"
  { echo '# >>> diemcau >>>'; cat "$sw/firmware/$board/config.txt"; echo '# <<< diemcau <<<'; } >> "$boot/config.txt"
  install -m 0644 "$sw/firmware/$board/system.conf.d-watchdog.conf" "$root/etc/systemd/system.conf.d/diemcau-watchdog.conf"
  shopt -s nullglob
  for dts in "$sw/firmware/$board"/overlays/*.dts; do
    dtbo="$boot/overlays/$(basename "${dts%.dts}").dtbo"
    # A release ships the compiled overlay; a checkout compiles it here (device-tree-compiler).
    if [ -f "${dts%.dts}.dtbo" ]; then install -m 0644 "${dts%.dts}.dtbo" "$dtbo"; else dtc -@ -q -I dts -O dtb -o "$dtbo" "$dts"; fi
  done
fi

# ── Self-test, then the services ──────────────────────────────────────────────────────────────
node "$sw/dist/kiosk/cli.js" self-test --config "$config" --root "${root:-/}" >&2 || { log "self-test failed: see above"; exit 1; }
if [ -z "$root" ]; then
  systemd-sysusers
  systemd-tmpfiles --create /etc/tmpfiles.d/diemcau.conf
  chgrp diemcau /etc/diemcau/config.json
  [ "$cert" = "-" ] || chgrp diemcau "$key"
  udevadm control --reload && udevadm trigger
  systemctl daemon-reload
  if [ "$enable" -eq 1 ]; then
    systemctl enable diemcau-update.service
    systemctl enable --now diemcau.service diemcau-update.path diemcau-kiosk.service
    port="$(node --input-type=module -e 'const { loadConfigFile } = await import(process.argv[1]); console.log(loadConfigFile(process.argv[2]).web.kiosk.port)' "$sw/dist/config/load.js" "$config")"
    "$sw/scripts/wait-for-url.sh" "http://127.0.0.1:$port/api/health" 120 || { log "the daemon did not answer: journalctl -u diemcau"; exit 1; }
    log "the daemon answers on http://127.0.0.1:$port/api/health"
  fi
fi
log "installed $version to ${root:-/}"
