#!/usr/bin/env bash
# clients.sh install|dir: the real client packages that cl's HTTP faces are tested with —
# kubo-rpc-client (Kubo RPC, for cl-proxy), @nftstorage/ipfs-cluster and ipfs-cluster-api (IPFS
# Cluster's REST API, for cl-httpd), @ipfs-shipyard/pinning-service-client (the Pinning Service
# API) and playwright-core (drives Debian's chromium for the console's browser tests).
#
#   scripts/clients.sh install   npm ci of tests/clients/package-lock.json (skipped when done),
#                                then loads every package once (tests/clients/smoke.mjs)
#   scripts/clients.sh dir       prints the folder whose node_modules holds them
#
# Only the npm registry is used; nothing runs install scripts (--ignore-scripts).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$ROOT/tests/clients
STAMP=$DIR/node_modules/.cl-lock-hash

die() { echo "clients: $*" >&2; exit 1; }
lock_hash() { sha256sum "$DIR/package-lock.json" | cut -d' ' -f1; }

do_install() {
  command -v node >/dev/null || die "node not found: run 'make deps' (Debian nodejs, >= 18)"
  command -v npm >/dev/null || die "npm not found: run 'make deps'"
  exec 9<"$DIR/package-lock.json"
  flock -w 900 9 || die "timed out waiting for another install in $DIR"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(lock_hash)" ]; then
    exec 9<&-
    return 0
  fi
  echo "clients: installing the test clients into $DIR/node_modules (npm ci)" >&2
  (cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2 || die "npm ci failed in $DIR"
  (cd "$DIR" && node smoke.mjs) || die "installed, but a package does not load (tests/clients/smoke.mjs)"
  lock_hash >"$STAMP"
  exec 9<&-
}

case "${1:-}" in
  install) do_install ;;
  dir) echo "$DIR" ;;
  -h | --help) sed -n '2,12s/^# \{0,1\}//p' "$0" ;;
  *) sed -n '2,12s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
esac
