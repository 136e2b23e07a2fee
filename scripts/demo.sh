#!/usr/bin/env bash
# demo.sh - a local cl cluster of 3 peers, each beside its own js-ipfs daemon, on loopback.
#
#   scripts/demo.sh start    start 3 IPFS daemons and 3 cl-raftd peers, add a file with
#                            replication 2, and show it pinned on two IPFS nodes
#   scripts/demo.sh stop     stop everything the demo started, by PID
#   scripts/demo.sh status   the cluster's view of every pin
#
# `make demo` builds what it needs first (make deps, make deps-ipfs, the binaries), then runs
# `start`; `make demo-stop` runs `stop`.
#
# Environment (defaults in brackets):
#   CL_DEMO_DIR        where everything lives: homes, logs, PID files   [/tmp/cl-demo-$UID]
#   CL_DEMO_BIN        the directory holding cl-raftd and the tools     [<repo>/build/cmd/...]
#   CL_DEMO_PEER_BASE  first cl-raftd peer port                          [19901]
#   CL_DEMO_IPFS_API   first IPFS API port                               [15201]
#   CL_DEMO_IPFS_SWARM first IPFS swarm port                             [14201]
# Exit status: 0 done, 1 something failed (the message says what and where its log is).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEMO=$(realpath -m "${CL_DEMO_DIR:-/tmp/cl-demo-$(id -u)}")
BUILD=${BUILD:-$ROOT/build}
PEER_BASE=${CL_DEMO_PEER_BASE:-19901}
export CL_IPFS_RUN=$DEMO/ipfs
export CL_IPFS_API_BASE=${CL_DEMO_IPFS_API:-15201}
export CL_IPFS_SWARM_BASE=${CL_DEMO_IPFS_SWARM:-14201}
export CL_IPFS_MESH=0 # the cl peers connect their IPFS nodes themselves
N=3

die() { echo "demo: $*" >&2; exit 1; }
say() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

bin() { # the path of a binary: CL_DEMO_BIN, else the build tree
  if [ -n "${CL_DEMO_BIN:-}" ]; then echo "$CL_DEMO_BIN/$1"; else echo "$BUILD/cmd/$1/$1"; fi
}
home_of() { echo "$DEMO/peer$1"; }
sock_of() { echo "$DEMO/peer$1/raftd.sock"; }

# One request on a peer's socket, its reply lines on stdout (JSON lines, PROTOCOL.md). Uses
# python3's socket module: the tools (cl-pin, cl-status) are used instead when they are built.
call() { # call PEER METHOD JSON_PARAMS
  python3 - "$(sock_of "$1")" "$2" "$3" <<'EOF'
import json, socket, sys
path, method, params = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(120)
s.connect(path)
s.sendall((json.dumps({"id": 1, "method": method, "params": params}) + "\n").encode())
buf, rc, done = b"", 1, False
while not done:
    chunk = s.recv(65536)
    if not chunk:
        break
    buf += chunk
    while b"\n" in buf and not done:
        line, buf = buf.split(b"\n", 1)
        msg = json.loads(line)
        if "error" in msg:  # the final line: an error
            print("demo: %s: %s" % (method, msg["error"].get("message")), file=sys.stderr)
            done = True
        elif "result" in msg:  # an item of a listing ("more"), or the one reply
            print(json.dumps(msg["result"], separators=(",", ":")))
            rc, done = 0, not msg.get("more", False)
        elif msg.get("end"):  # the end of a listing
            rc, done = 0, True
sys.exit(rc)
EOF
}

tool_path() { # the directories of the tools, for PATH
  local t out=
  for t in cl-pin cl-status cl-sync cl-peers cl-raftd; do out=$out${out:+:}$(dirname "$(bin $t)"); done
  echo "$out"
}

tools_work() { # the tools' front (cl-pin add --file, cl-status) is there when --help knows it
  "$(bin cl-pin)" add --help 2>/dev/null | grep -q -- '--file' && "$(bin cl-status)" --help >/dev/null 2>&1
}

wait_for() { # wait_for SECONDS WHAT COMMAND...
  local limit=$1 what=$2 t0=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    [ $((SECONDS - t0)) -lt "$limit" ] || die "gave up after ${limit} s waiting for $what"
    sleep 0.5
  done
}

peer_pid_ok() { # the PID file names a live cl-raftd of this demo
  local f=$DEMO/peer$1.pid pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -d "/proc/$pid" ] && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qx "$(home_of "$1")"
}

start_peer() { # start_peer I [JOIN_PORT]
  local i=$1 args
  args=(run --home "$(home_of "$i")" --listen "127.0.0.1:$((PEER_BASE + i))"
    --ipfs-api "http://127.0.0.1:$((CL_IPFS_API_BASE + i))")
  [ $# -gt 1 ] && args+=(--join "127.0.0.1:$2")
  CL_HOME= CL_PIN_TIMEOUT=${CL_PIN_TIMEOUT:-1m} CL_METRICS_INTERVAL=2s \
    setsid "$(bin cl-raftd)" "${args[@]}" >"$DEMO/peer$i.log" 2>&1 </dev/null &
  echo $! >"$DEMO/peer$i.pid"
}

do_start() {
  local i secret file cid out t0=$SECONDS
  [ -x "$(bin cl-raftd)" ] || die "$(bin cl-raftd) is not built: run 'make demo' (or make)"
  command -v python3 >/dev/null || tools_work || die "needs python3 (or the built cl-pin/cl-status tools)"
  for i in 0 1 2; do peer_pid_ok "$i" && die "a demo is already running in $DEMO: run 'make demo-stop' first"; done
  rm -rf "$DEMO"
  mkdir -p "$DEMO"

  say "starting $N js-ipfs daemons (API ports $CL_IPFS_API_BASE-$((CL_IPFS_API_BASE + N - 1)), not connected to each other)"
  "$ROOT/scripts/ipfs-nodes.sh" start $N

  say "starting $N cl-raftd peers (ports $PEER_BASE-$((PEER_BASE + N - 1))) under $DEMO"
  secret=$(CL_HOME= "$(bin cl-raftd)" init --home "$(home_of 0)" 2>/dev/null)
  for i in 1 2; do echo "$secret" | CL_HOME= "$(bin cl-raftd)" init --home "$(home_of "$i")" --secret - >/dev/null 2>&1; done
  start_peer 0
  wait_for 30 "peer 0's socket" test -S "$(sock_of 0)"
  start_peer 1 "$PEER_BASE"
  start_peer 2 "$PEER_BASE"
  wait_for 60 "3 voters" bash -c "'$0' _voters | grep -qx 3"
  echo "3 peers, leader elected; each connects its IPFS node to the others' (addresses from peer metadata)" >&2

  say "adding a file on peer 0 with replication 2"
  file=$DEMO/hello.txt
  { echo "hello from the cl demo, $(date -u +%FT%TZ)"; head -c 200000 /dev/urandom | base64; } >"$file"
  if tools_work; then
    echo "\$ CL_SOCKET=$(sock_of 0) cl-pin add --file $file --rmin 2 --rmax 2" >&2
    out=$(CL_SOCKET=$(sock_of 0) "$(bin cl-pin)" add --file "$file" --rmin 2 --rmax 2 --json)
  else
    echo "(cl-pin add --file is not built yet: using the socket method 'add' directly)" >&2
    out=$(call 0 add "{\"path\":\"$file\",\"replication_factor_min\":2,\"replication_factor_max\":2}")
  fi
  echo "$out"
  cid=$(echo "$out" | sed -n 's/.*"cid":"\([^"]*\)".*/\1/p' | head -1)
  [ -n "$cid" ] || die "add did not answer a CID: $out"
  echo "$cid" >"$DEMO/cid"

  say "waiting until it is pinned on 2 peers"
  wait_for 120 "$cid to be pinned on 2 peers" bash -c "'$0' _pinned '$cid' | grep -qx 2"
  if tools_work; then
    echo "\$ CL_SOCKET=$(sock_of 1) cl-status $cid" >&2
    CL_SOCKET=$(sock_of 1) "$(bin cl-status)" "$cid" || true
  else
    call 1 status.ls "{\"cids\":[\"$cid\"]}"
  fi

  say "asking the IPFS nodes themselves (pin/ls)"
  for i in 0 1 2; do
    if curl -s -X POST "http://127.0.0.1:$((CL_IPFS_API_BASE + i))/api/v0/pin/ls?type=recursive&stream=true" | grep -q "\"$cid\""; then
      echo "IPFS node $i: pinned" >&2
    else
      echo "IPFS node $i: not pinned (not allocated here)" >&2
    fi
  done

  cat >&2 <<EOF

The demo cluster is running ($((SECONDS - t0)) s). Everything is under $DEMO:
  peer<i>/ (CL_HOME), peer<i>.log, peer<i>.pid, ipfs/node<i>.log

Use it (any peer's socket; the tools read CL_SOCKET):
  export CL_SOCKET=$(sock_of 0) PATH=$(tool_path):\$PATH
  cl-pin ls                      # the pinset
  cl-status                      # every pin on every allocated peer
  cl-pin add --file FILE --rmin 2 --rmax 2
  cl-sync                        # compare this peer's IPFS pins with the pinset now
  cl-peers ls                    # the peers, their IPFS addresses and metrics
IPFS APIs: http://127.0.0.1:$CL_IPFS_API_BASE .. $((CL_IPFS_API_BASE + N - 1)) (curl -X POST .../api/v0/pin/ls)
Stop everything: make demo-stop   (or scripts/demo.sh stop)
EOF
}

do_stop() {
  local i pid t
  for i in 0 1 2; do
    peer_pid_ok "$i" || continue
    pid=$(cat "$DEMO/peer$i.pid")
    kill -TERM "$pid" 2>/dev/null || true
  done
  for i in 0 1 2; do
    for ((t = 0; t < 100; t++)); do peer_pid_ok "$i" || break; sleep 0.1; done
    if peer_pid_ok "$i"; then kill -KILL "$(cat "$DEMO/peer$i.pid")" 2>/dev/null || true; fi
    rm -f "$DEMO/peer$i.pid"
  done
  [ -d "$CL_IPFS_RUN" ] && "$ROOT/scripts/ipfs-nodes.sh" stop
  echo "demo: stopped (files kept in $DEMO; rm -rf it to clean up)" >&2
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  status) call 0 status.ls '{}' ;;
  _voters) call 0 health '{}' | sed -n 's/.*"voters":\([0-9]*\).*/\1/p' ;;
  _pinned) call 0 status.ls "{\"cids\":[\"$2\"]}" | grep -o '"status":"pinned"' | wc -l ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
