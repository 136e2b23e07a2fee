# Real cl-raftd daemons for tests/cli/t*.sh. Source it after lib.sh:
#   . "$(dirname "$0")/cluster.sh"
#   start_cluster 3 24110      # peers 0..2 on 127.0.0.1:24110.., peer 0 bootstraps, 1 and 2 join
#   export CL_SOCKET=$(peer_socket 0)
# Each peer's CL_HOME is $TMP/peerI, its log $TMP/peerI.log. Every daemon started is killed (by
# its PID) when the test exits. Waits are bounded and say what they waited for.
# Port blocks: see tests/integration/README.md (tests/cli uses 24100-24199).

PEER_PIDS=()
PEER_BASE_PORT=0
SECRET=""

peer_home() { echo "$TMP/peer$1"; }
peer_socket() { echo "$TMP/peer$1/raftd.sock"; }

stop_peers() {
  local pid
  for pid in "${PEER_PIDS[@]}"; do
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  done
  for pid in "${PEER_PIDS[@]}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  PEER_PIDS=()
}
# On failure the tail of each peer's log goes to stderr before the directory is removed.
on_exit() {
  local rc=$? log
  stop_peers
  if [ "$rc" != 0 ]; then
    for log in "$TMP"/peer*.log; do
      [ -f "$log" ] && { echo "--- tail of $log" >&2; tail -15 "$log" >&2; }
    done
  fi
  rm -rf "$TMP"
}
trap on_exit EXIT

# wait_for SECONDS WHAT CMD...: run CMD every 0.1 s until it succeeds; fail after SECONDS.
wait_for() {
  local secs=$1 what=$2
  shift 2
  local tries=$((secs * 10))
  while ! "$@" >/dev/null 2>&1; do
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || fail "waited ${secs}s for $what"
    sleep 0.1
  done
}

# start_peer I [JOIN_INDEX]: init (first time) and run peer I in the background.
start_peer() {
  local i=$1 join=${2:-}
  local home
  home=$(peer_home "$i")
  if [ ! -f "$home/identity.key" ]; then
    if [ -z "$SECRET" ]; then
      SECRET=$("$BIN/cl-raftd" init --home "$home" 2>/dev/null)
    else
      printf '%s\n' "$SECRET" | "$BIN/cl-raftd" init --home "$home" --secret - >/dev/null 2>&1
    fi
  fi
  local port=$((PEER_BASE_PORT + i))
  if ss -ltn 2>/dev/null | awk '{print $4}' | grep -q ":$port\$"; then
    fail "port $port is taken by another process; tests/cli owns 24100-24199 (tests/integration/README.md)"
  fi
  # Peer i talks to IPFS node i of a ctest IPFS fixture when the test has one (CL_IPFS_API_BASE,
  # see cmake/ipfs_fixture.cmake), else to a closed port: pins then never reach "pinned".
  local ipfs="http://127.0.0.1:9"
  [ -n "${IPFS_API_BASE:-}" ] && ipfs="http://127.0.0.1:$((IPFS_API_BASE + i))"
  local args=(run --home "$home" --listen "127.0.0.1:$((PEER_BASE_PORT + i))" --ipfs-api "$ipfs")
  [ -n "$join" ] && args+=(--join "127.0.0.1:$((PEER_BASE_PORT + join))")
  CL_HEARTBEAT_INTERVAL=50ms CL_ELECTION_TIMEOUT=500ms CL_LOG_LEVEL=info \
    "$BIN/cl-raftd" "${args[@]}" >>"$home.log" 2>&1 &
  PEER_PIDS[$i]=$!
}

has_leader() {
  "$BIN/cl-peers" id --json --socket "$(peer_socket "$1")" | grep -q '"leader":"12D3KooW'
}

voters_are() {
  [ "$("$BIN/cl-peers" ls --json --socket "$(peer_socket 0)" | grep -c '"role":"\(leader\|voter\)"')" = "$1" ]
}

# start_cluster N BASE_PORT: N peers, peer 0 first, the others joining through it.
start_cluster() {
  local n=$1 i
  PEER_BASE_PORT=$2
  start_peer 0
  wait_for 90 "peer 0 to lead (log: $(peer_home 0).log)" has_leader 0
  for ((i = 1; i < n; i++)); do
    start_peer "$i" 0
    wait_for 90 "peer $i to join (log: $(peer_home "$i").log)" has_leader "$i"
  done
  [ "$n" -gt 1 ] && wait_for 60 "$n voters" voters_are "$n"
  return 0
}

# gen_cids COUNT [FIRST]: COUNT distinct valid CIDs, one per line (tests/cli/gen-cids.pl).
gen_cids() {
  perl "$(dirname "${BASH_SOURCE[0]}")/gen-cids.pl" "$@"
}
