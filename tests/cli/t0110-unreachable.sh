#!/bin/bash
# No daemon: every tool says so in one line naming the socket path, and exits 3.
set -eu
. "$(dirname "$0")/lib.sh"
sock="$TMP/nobody/raftd.sock"
cid=bafkreiddnr2hgaaaaaaaaaaaaeaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

check() {
  expect_exit 3 "$@"
  expect_lines 1 "$TMP/err"
  expect_match "cannot reach cl-raftd at '$sock'" "$TMP/err"
  [ ! -s "$TMP/out" ] || fail "stdout not empty: $*"
}

step "--socket names a socket nobody listens on"
check "$BIN/cl-pin" --socket "$sock" add "$cid"
check "$BIN/cl-pin" rm --socket "$sock" "$cid"
check "$BIN/cl-pin" get --socket "$sock" "$cid"
check "$BIN/cl-pin" update --socket "$sock" "$cid" "$cid"
check "$BIN/cl-pin" ls --socket "$sock"
check "$BIN/cl-status" --socket "$sock"
check "$BIN/cl-status" --socket "$sock" "$cid"
check "$BIN/cl-peers" ls --socket "$sock"
check "$BIN/cl-peers" id --socket "$sock"
check "$BIN/cl-peers" health --socket "$sock"
check "$BIN/cl-peers" rm --socket "$sock" 12D3KooWA
check "$BIN/cl-sync" --socket "$sock"
check "$BIN/cl-sync" now --socket "$sock"
check "$BIN/cl-sync" recover --socket "$sock"
check "$BIN/cl-sync" export --socket "$sock"
echo "{\"cid\":\"$cid\"}" >"$TMP/pins.jsonl"
check "$BIN/cl-sync" import --socket "$sock" "$TMP/pins.jsonl"

step "CL_SOCKET and CL_HOME are used the same way"
CL_SOCKET="$sock" check "$BIN/cl-pin" ls
mkdir -p "$TMP/nobody"
CL_HOME="$TMP/nobody" check "$BIN/cl-peers" ls
HOME="$TMP/nobody-home"
sock="$TMP/nobody-home/.cl/raftd.sock"
check "$BIN/cl-status"
echo "ok"
