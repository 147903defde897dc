# Sourced by setup.sh and ensure-ready.sh: the fingerprint of the installed npm dependencies.
# node_modules is reinstalled when package-lock.json changes (not for edits to package.json scripts).
NODE_MODULES_STAMP=node_modules/.diemcau-lock-hash
lock_hash() { sha256sum package-lock.json | cut -d' ' -f1; }
node_modules_current() { [ -f "$NODE_MODULES_STAMP" ] && [ "$(cat "$NODE_MODULES_STAMP")" = "$(lock_hash)" ]; }
