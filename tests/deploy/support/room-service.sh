#!/bin/sh
# Stands in for `systemctl start|stop diemcau.service` in the update tests (no systemd there): runs the
# installed release's daemon the way the unit does, from /opt/diemcau/current under a root prefix.
#   room-service.sh start|stop ROOT CONFIG
set -eu
action="$1"; root="$2"; config="$3"
pidfile="$root/run/diemcau.pid"
mkdir -p "$root/run"
alive() { [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
case "$action" in
  start)
    # Like systemctl: starting a running service does nothing.
    if [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; then exit 0; fi
    DIEMCAU_CONFIG="$config" nohup node "$root/opt/diemcau/current/dist/kiosk/cli.js" start </dev/null >>"$root/run/diemcau.log" 2>&1 &
    echo $! > "$pidfile" ;;
  stop)
    [ -f "$pidfile" ] || exit 0
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    # TimeoutStopSec, as the unit: then SIGKILL.
    for _ in $(seq 600); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$pidfile" ;;
  *) echo "room-service: start or stop" >&2; exit 2 ;;
esac
