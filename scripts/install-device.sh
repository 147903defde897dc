#!/usr/bin/env bash
# On-device install: run from a built checkout (npm run setup) as root on the room's computer.
#   scripts/install-device.sh [--root DIR] [--profile config/examples/NAME.json] [--board NAME] [--no-enable]
# Copies the software to /opt/diemcau, installs the systemd units, udev rules, tmpfiles, sysusers
# and polkit rule, seeds /etc/diemcau/config.json from a profile when absent (never overwrites it),
# adds the board's boot settings from firmware/NAME (idempotent), then enables the daemon and the kiosk. --root installs into an image tree instead of this machine.
set -euo pipefail
cd "$(dirname "$0")/.."

root=""
profile="config/default.json"
enable=1
board=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --board) board="$2"; shift 2 ;;
    --no-enable) enable=0; shift ;;
    *) echo "install-device: unknown option $1" >&2; exit 2 ;;
  esac
done

[ -f dist/kiosk/cli.js ] || { echo "install-device: build first (npm run setup)" >&2; exit 1; }
node dist/kiosk/cli.js config check "$profile" >/dev/null

opt="$root/opt/diemcau"
install -d "$opt" "$root/etc/systemd/system" "$root/etc/udev/rules.d" "$root/etc/tmpfiles.d" \
  "$root/etc/sysusers.d" "$root/etc/polkit-1/rules.d" "$root/etc/diemcau"
# The software: built code, runtime dependencies, config schema defaults, scripts.
for part in dist node_modules config scripts package.json package-lock.json README.md; do
  rm -rf "${opt:?}/$part"
  cp -a "$part" "$opt/$part"
done
install -m 0644 systemd/diemcau.service systemd/diemcau-kiosk.service "$root/etc/systemd/system/"
install -m 0644 systemd/udev/70-diemcau.rules "$root/etc/udev/rules.d/"
install -m 0644 systemd/tmpfiles/diemcau.conf "$root/etc/tmpfiles.d/"
install -m 0644 systemd/sysusers/diemcau.conf "$root/etc/sysusers.d/"
install -m 0644 systemd/polkit/50-diemcau-power.rules "$root/etc/polkit-1/rules.d/"
# The `diemcau` command for the technician (config check, user, record, verify, export).
install -d "$root/usr/local/bin"
printf '#!/bin/sh\nexec /usr/bin/node /opt/diemcau/dist/kiosk/cli.js "$@"\n' > "$root/usr/local/bin/diemcau"
chmod 0755 "$root/usr/local/bin/diemcau"
if [ ! -e "$root/etc/diemcau/config.json" ]; then
  install -m 0640 "$profile" "$root/etc/diemcau/config.json"
  echo "install-device: seeded /etc/diemcau/config.json from $profile: edit it, then run diemcau config check" >&2
fi

if [ -n "$board" ]; then
  [ -d "firmware/$board" ] || { echo "install-device: no firmware/$board" >&2; exit 2; }
  boot="$root/boot/firmware/config.txt"
  install -d "$(dirname "$boot")" "$root/etc/systemd/system.conf.d"
  touch "$boot"
  # Replace our block between markers, so running the install again does not stack copies.
  sed -i '/^# >>> diemcau >>>$/,/^# <<< diemcau <<<$/d' "$boot"
  { echo '# >>> diemcau >>>'; cat "firmware/$board/config.txt"; echo '# <<< diemcau <<<'; } >> "$boot"
  install -m 0644 "firmware/$board/system.conf.d-watchdog.conf" "$root/etc/systemd/system.conf.d/diemcau-watchdog.conf"
fi

if [ -z "$root" ]; then
  systemd-sysusers
  systemd-tmpfiles --create /etc/tmpfiles.d/diemcau.conf
  chgrp diemcau /etc/diemcau/config.json
  udevadm control --reload && udevadm trigger
  systemctl daemon-reload
  if [ "$enable" -eq 1 ]; then systemctl enable --now diemcau.service diemcau-kiosk.service; fi
fi
echo "install-device: installed to ${root:-/}" >&2
