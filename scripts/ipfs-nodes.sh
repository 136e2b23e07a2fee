#!/usr/bin/env bash
# ipfs-nodes.sh - local js-ipfs 0.66.1 daemons (Kubo RPC API) for cl's integration tests and demo.
#
#   scripts/ipfs-nodes.sh install      npm ci of tests/ipfs/package-lock.json (skipped when done)
#   scripts/ipfs-nodes.sh start N      start nodes 0..N-1 (init on first use), connect them all
#   scripts/ipfs-nodes.sh stop         stop every node of the run dir (SIGTERM, then SIGKILL)
#   scripts/ipfs-nodes.sh kill I       SIGKILL node I (for tests of a dead daemon)
#   scripts/ipfs-nodes.sh restart I    stop node I if running, start it again, wait for its API
#   scripts/ipfs-nodes.sh status       one line per node: pid, API URL, peer count
#   scripts/ipfs-nodes.sh api I        print node I's API URL (http://127.0.0.1:PORT)
#   scripts/ipfs-nodes.sh clean        stop, then delete the run dir
#
# Node I gets API port CL_IPFS_API_BASE+I and swarm port CL_IPFS_SWARM_BASE+I on 127.0.0.1,
# its repo in $CL_IPFS_RUN/nodeI, its log in nodeI.log and its PID in nodeI.pid. Test suites that
# run in parallel must use distinct run dirs and port bases (tests/integration/README.md).
#
# Environment (defaults in brackets):
#   CL_IPFS_RUN            run dir: repos, logs, PID files        [${TMPDIR:-/tmp}/cl-ipfs-$UID]
#   CL_IPFS_API_BASE       first API port                         [15001]
#   CL_IPFS_SWARM_BASE     first swarm (TCP) port                 [14001]
#   CL_IPFS_WS_BASE        first websocket port, 0 for none       [0]
#   CL_IPFS_MESH           1: swarm-connect every pair after start [1]
#   CL_IPFS_START_TIMEOUT  seconds to wait for a node's API       [120]
#   CL_IPFS_STOP_TIMEOUT   seconds between SIGTERM and SIGKILL    [15]
#   CL_JSIPFS_DIR          where package.json, the lock and node_modules are [<repo>/tests/ipfs]
#
# The daemons listen on loopback only and dial nobody by themselves: no bootstrap list, no DHT
# (Routing.Type=none), no MDNS, no preload, no delegates, no gateway, no gRPC listener.
# (Exception: a websocket listener, only with CL_IPFS_WS_BASE, binds all interfaces: a js-ipfs quirk.)
# Exit status: 0 done, 1 failure (the message says which node and shows its log tail), 2 usage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JSIPFS_DIR=${CL_JSIPFS_DIR:-$ROOT/tests/ipfs}
RUN=$(realpath -m "${CL_IPFS_RUN:-${TMPDIR:-/tmp}/cl-ipfs-$(id -u)}")
API_BASE=${CL_IPFS_API_BASE:-15001}
SWARM_BASE=${CL_IPFS_SWARM_BASE:-14001}
WS_BASE=${CL_IPFS_WS_BASE:-0}
MESH=${CL_IPFS_MESH:-1}
START_TIMEOUT=${CL_IPFS_START_TIMEOUT:-120}
STOP_TIMEOUT=${CL_IPFS_STOP_TIMEOUT:-15}
CLI=$JSIPFS_DIR/node_modules/ipfs/src/cli.js
STAMP=$JSIPFS_DIR/node_modules/.cl-lock-sha256

die() { echo "ipfs-nodes: $*" >&2; exit 1; }
help_text() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
usage() { help_text >&2; exit 2; }
is_index() { [[ "${1:-}" =~ ^[0-9]+$ ]] || { echo "ipfs-nodes: node index must be a number, got '${1:-}'" >&2; usage; }; }

repo_of() { echo "$RUN/node$1"; }
pid_of() { cat "$RUN/node$1.pid" 2>/dev/null || true; }

# is_ours I: the PID in nodeI.pid is alive and is the daemon of node I's repo (its environment
# holds IPFS_PATH=<repo>), so a recycled PID is never signalled.
is_ours() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && grep -qxzF "IPFS_PATH=$(repo_of "$1")" "/proc/$pid/environ" 2>/dev/null
}

lock_hash() { sha256sum "$JSIPFS_DIR/package-lock.json" | cut -d' ' -f1; }

do_install() {
  command -v node >/dev/null || die "node not found: run 'make deps' (Debian nodejs, >= 18)"
  command -v npm >/dev/null || die "npm not found: run 'make deps'"
  [ -f "$JSIPFS_DIR/package-lock.json" ] || die "no package-lock.json in $JSIPFS_DIR"
  # One install at a time: parallel test suites may all ask for it.
  exec 9<"$JSIPFS_DIR/package-lock.json"
  flock -w 900 9 || die "timed out waiting for another install in $JSIPFS_DIR"
  if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(lock_hash)" ] && [ -f "$CLI" ]; then
    exec 9<&-
    return 0
  fi
  echo "ipfs-nodes: installing js-ipfs into $JSIPFS_DIR/node_modules (npm ci, about 1 min)" >&2
  # --ignore-scripts: nothing needs building (classic-level ships linux-x64 prebuilds);
  # --omit=optional: drops wrtc and electron, whose install scripts download binaries.
  (cd "$JSIPFS_DIR" && npm ci --no-audit --no-fund --ignore-scripts --omit=optional --loglevel=error) >&2 \
    || die "npm ci failed in $JSIPFS_DIR"
  node "$CLI" --help >/dev/null 2>&1 || die "js-ipfs installed but does not run: node $CLI --help"
  lock_hash >"$STAMP"
  exec 9<&-
  echo "ipfs-nodes: installed js-ipfs ($(du -sh "$JSIPFS_DIR/node_modules" | cut -f1))" >&2
}

port_busy() { [ -n "$(ss -ltnH "( sport = :$1 )" 2>/dev/null)" ]; }

log_tail() { echo "--- last lines of $RUN/node$1.log:" >&2; tail -n 20 "$RUN/node$1.log" >&2 || true; }

# configure_repo REPO API SWARM WS: loopback-only, isolated config.
configure_repo() {
  node - "$@" <<'EOF'
const fs = require('fs')
const [repo, api, swarm, ws] = process.argv.slice(2)
const file = repo + '/config'
const c = JSON.parse(fs.readFileSync(file, 'utf8'))
c.Addresses.API = `/ip4/127.0.0.1/tcp/${api}`
c.Addresses.Gateway = ''
c.Addresses.RPC = ''
c.Addresses.Delegates = []
c.Addresses.Swarm = [`/ip4/127.0.0.1/tcp/${swarm}`]
if (ws !== '0') c.Addresses.Swarm.push(`/ip4/127.0.0.1/tcp/${ws}/ws`)
c.Bootstrap = []
c.Discovery = { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } }
c.Swarm = Object.assign(c.Swarm || {}, { DisableNatPortMap: true })
c.Routing = { Type: 'none' }
fs.writeFileSync(file, JSON.stringify(c, null, 2))
EOF
}

# launch I: start node I's daemon in the background (repo must exist and be configured).
launch() {
  local i=$1 repo
  repo=$(repo_of "$i")
  # A daemon killed with SIGKILL leaves proper-lockfile's repo.lock behind (stale only after 20 s)
  # and its API file; no daemon of ours runs on this repo now, so both can go.
  rm -rf "$repo/repo.lock" "$repo/api"
  IPFS_PATH=$repo nohup node "$CLI" daemon --enable-preload=false \
    >>"$RUN/node$i.log" 2>&1 </dev/null &
  echo $! >"$RUN/node$i.pid"
}

prepare() { # I: init (first time) and configure node I
  local i=$1 repo ws=0
  repo=$(repo_of "$i")
  [ "$WS_BASE" != 0 ] && ws=$((WS_BASE + i))
  if [ ! -f "$repo/config" ]; then
    rm -rf "$repo"
    IPFS_PATH=$repo node "$CLI" init --profile test --emptyRepo >>"$RUN/node$i.log" 2>&1 \
      || { log_tail "$i"; die "init of node$i failed (repo $repo)"; }
  fi
  configure_repo "$repo" $((API_BASE + i)) $((SWARM_BASE + i)) "$ws"
  echo "http://127.0.0.1:$((API_BASE + i))" >"$RUN/node$i.api"
}

api_url() { # I
  if [ -f "$RUN/node$1.api" ]; then cat "$RUN/node$1.api"; else echo "http://127.0.0.1:$((API_BASE + $1))"; fi
}

rpc() { curl -sS -m 10 -X POST "$(api_url "$1")/api/v0/$2"; }

# wait_api I: until node I answers /api/v0/id, for at most START_TIMEOUT seconds.
wait_api() {
  local i=$1 deadline=$((SECONDS + START_TIMEOUT)) pid
  pid=$(pid_of "$i")
  until curl -s -m 2 -X POST "$(api_url "$i")/api/v0/id" -o /dev/null 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail "$i"
      die "node$i (pid $pid) exited during start"
    fi
    if [ $SECONDS -ge $deadline ]; then
      # a daemon whose libp2p start failed stays alive without an API
      kill -KILL "$pid" 2>/dev/null || true
      log_tail "$i"
      die "node$i (pid $pid) did not answer on $(api_url "$i") within ${START_TIMEOUT}s; killed it"
    fi
    sleep 0.2
  done
}

# signal_node I SIGNAL: send SIGNAL to node I if its PID is ours; prints the PID signalled.
signal_node() {
  local i=$1 pid
  pid=$(pid_of "$i")
  [ -n "$pid" ] || return 0
  if is_ours "$i"; then
    kill "-$2" "$pid" 2>/dev/null || true
    echo "$pid"
  elif kill -0 "$pid" 2>/dev/null; then
    echo "node$i: pid $pid is not the daemon of $(repo_of "$i"); left alone" >&2
  fi
}

# reap_node I PID SIGNAL: wait until PID is gone (SIGKILL after STOP_TIMEOUT), clear the PID file.
reap_node() {
  local i=$1 pid=$2 sig=$3 k
  if [ -n "$pid" ]; then
    for ((k = 0; k < STOP_TIMEOUT * 5; k++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      for ((k = 0; k < 50; k++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && die "node$i (pid $pid) survived SIGKILL"
      echo "node$i pid $pid killed (still running ${STOP_TIMEOUT}s after SIG$sig)" >&2
    else
      echo "node$i pid $pid ended by SIG$sig" >&2
    fi
  fi
  rm -f "$RUN/node$i.pid" "$(repo_of "$i")/api"
}

stop_node() { # I SIGNAL
  local pid
  pid=$(signal_node "$1" "$2")
  reap_node "$1" "$pid" "$2"
}

node_indexes() { # every node of the run dir, by its log/PID/repo
  local f i
  for f in "$RUN"/node*.api; do
    [ -e "$f" ] || continue
    i=${f##*/node}
    echo "${i%.api}"
  done | sort -n
}

peer_id() { rpc "$1" id | sed -n 's/.*"ID":"\([^"]*\)".*/\1/p'; }

do_start() {
  local n=${1:-} i j p t0=$SECONDS ids=() out
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || { echo "ipfs-nodes: start needs a node count >= 1" >&2; usage; }
  [ -f "$CLI" ] || die "js-ipfs is not installed in $JSIPFS_DIR: run 'scripts/ipfs-nodes.sh install'"
  mkdir -p "$RUN"
  for ((i = 0; i < n; i++)); do # check every port first: fail before starting anything
    is_ours "$i" && continue
    for p in $((API_BASE + i)) $((SWARM_BASE + i)) $([ "$WS_BASE" != 0 ] && echo $((WS_BASE + i))); do
      port_busy "$p" && die "port $p for node$i is in use: stop what holds it or set CL_IPFS_API_BASE/CL_IPFS_SWARM_BASE"
    done
  done
  for ((i = 0; i < n; i++)); do
    if is_ours "$i"; then continue; fi
    prepare "$i"
    launch "$i"
  done
  for ((i = 0; i < n; i++)); do wait_api "$i"; done
  echo "ipfs-nodes: $n node(s) up in $((SECONDS - t0)) s (run dir $RUN)" >&2
  if [ "$MESH" = 1 ] && [ "$n" -gt 1 ]; then
    for ((i = 0; i < n; i++)); do
      ids+=("$(peer_id "$i")")
      [ -n "${ids[$i]}" ] || die "node$i answered /id without an ID"
    done
    for ((i = 1; i < n; i++)); do
      for ((j = 0; j < i; j++)); do
        out=$(rpc "$i" "swarm/connect?arg=/ip4/127.0.0.1/tcp/$((SWARM_BASE + j))/p2p/${ids[$j]}") || true
        [[ "$out" == *success* ]] || die "node$i could not connect to node$j: $out"
      done
    done
  fi
  do_status
}

do_restart() {
  local i=$1
  [ -f "$(repo_of "$i")/config" ] || die "node$i has no repo in $RUN: use 'start N' first"
  stop_node "$i" TERM
  launch "$i"
  wait_api "$i"
  echo "ipfs-nodes: node$i restarted (pid $(pid_of "$i"))" >&2
}

do_status() {
  local i any=0
  for i in $(node_indexes); do
    any=1
    if is_ours "$i"; then
      echo "node$i pid=$(pid_of "$i") api=$(api_url "$i") id=$(peer_id "$i" 2>/dev/null || true)" \
        "peers=$(rpc "$i" swarm/peers 2>/dev/null | grep -o '"Peer"' | wc -l)"
    else
      echo "node$i down api=$(api_url "$i")"
    fi
  done
  [ $any = 1 ] || echo "no nodes in $RUN"
}

do_stop() { # SIGTERM to all first, so that they shut down in parallel
  local i pids=()
  for i in $(node_indexes); do pids[i]=$(signal_node "$i" TERM); done
  for i in $(node_indexes); do reap_node "$i" "${pids[i]:-}" TERM; done
}

case "${1:-}" in
  install) do_install ;;
  start) do_start "${2:-}" ;;
  stop) do_stop ;;
  kill) is_index "${2:-}" && stop_node "$2" KILL ;;
  restart) is_index "${2:-}" && do_restart "$2" ;;
  status) do_status ;;
  api) is_index "${2:-}" && api_url "$2" ;;
  clean) do_stop; rm -rf "$RUN"; echo "ipfs-nodes: removed $RUN" >&2 ;;
  -h | --help | help) help_text ;;
  *) usage ;;
esac
