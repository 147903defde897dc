#!/bin/sh
# wait-for-url.sh URL SECONDS: succeed as soon as URL answers 2xx, fail after SECONDS.
url="$1"; deadline=$(( $(date +%s) + ${2:-60} ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null --max-time 2 "$url" && exit 0
  else wget -q -O /dev/null -T 2 "$url" && exit 0; fi
  sleep 1
done
echo "wait-for-url: $url did not answer within ${2:-60} s" >&2
exit 1
