#!/usr/bin/env bash
# `make demo`'s script end to end: start (3 js-ipfs + 3 cl-raftd, a file added with replication 2),
# check with the IPFS nodes themselves that exactly 2 of them pinned it, then stop and check that
# every process the demo started is gone. Own ports and directory (CL_DEMO_* from ctest).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
DEMO=$CL_DEMO_DIR
trap '"$ROOT/scripts/demo.sh" stop >/dev/null 2>&1 || true' EXIT
rm -rf "$DEMO"
"$ROOT/scripts/demo.sh" start
cid=$(cat "$DEMO/cid")
pinned=0
for i in 0 1 2; do
  if curl -s -X POST "http://127.0.0.1:$((CL_DEMO_IPFS_API + i))/api/v0/pin/ls?type=recursive&stream=true" |
    grep -q "\"$cid\""; then
    pinned=$((pinned + 1))
  fi
done
echo "demo_test: $cid pinned on $pinned IPFS nodes"
[ "$pinned" = 2 ] || { echo "demo_test: expected 2" >&2; exit 1; }
pids=$(cat "$DEMO"/peer*.pid "$DEMO"/ipfs/node*.pid 2>/dev/null || true)
"$ROOT/scripts/demo.sh" stop
for pid in $pids; do
  if [ -d "/proc/$pid" ]; then echo "demo_test: pid $pid still running after stop" >&2; exit 1; fi
done
echo "demo_test: stopped"
