#!/usr/bin/env bash
# Fast check run before `npm start` / `npm test`: runs the full set-up only when something is
# missing, otherwise just the incremental build (a second or two).
set -euo pipefail
cd "$(dirname "$0")/.."

needs_setup=0
for tool in gst-launch-1.0 gst-inspect-1.0 gst-discoverer-1.0 ffprobe socat upsd upsc chromium v4l2-ctl pkg-config; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin:/lib/nut" command -v "$tool" >/dev/null 2>&1 || { needs_setup=1; break; }
done
[ -x /lib/nut/dummy-ups ] || needs_setup=1
pkg-config --exists gstreamer-1.0 2>/dev/null || needs_setup=1
stamp=node_modules/.diemcau-lock-hash
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(sha256sum package-lock.json package.json | sha256sum | cut -d' ' -f1)" ]; then needs_setup=1; fi

if [ "$needs_setup" -eq 1 ]; then
  exec bash scripts/setup.sh
fi
npx --no-install tsc -p tsconfig.json
