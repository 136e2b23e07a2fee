#!/bin/bash
# bench/run.sh (`make bench`): cl-raftd against etcd 3.4 on this machine, in one run. See
# bench/README.md. Starts 3 cl-raftd peers and 3 etcd members on loopback under a temporary
# directory, measures, prints one table, and stops everything it started, by PID (trap).
#
# Knobs (environment): BUILD (build dir, default build), BENCH_DURATION (seconds per throughput
# run, 10), BENCH_REPS (repetitions per throughput row, 3), BENCH_KILLS (leader kills per
# failover row, 10), BENCH_PARTS (what to run, default "raft cl_tp cl_fo cl_size etcd_tp etcd_fo
# etcd_size"), BENCH_FILL (pins for the size/RSS rows, 100000), BENCH_BIG (pins for the
# 1M rows, 1000000; 0 skips them), BENCH_ETCD (1; 0 skips etcd), BENCH_KEEP (1 keeps the work dir).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
DURATION=${BENCH_DURATION:-10}
REPS=${BENCH_REPS:-3}
KILLS=${BENCH_KILLS:-10}
FILL=${BENCH_FILL:-100000}
BIG=${BENCH_BIG:-1000000}
WITH_ETCD=${BENCH_ETCD:-1}
PARTS=" ${BENCH_PARTS:-raft cl_tp cl_fo cl_size etcd_tp etcd_fo etcd_size} "
part() { [[ $PARTS == *" $1 "* ]]; }
RAFTD=$BUILD/cmd/cl-raftd/cl-raftd
LOADGEN=$BUILD/bench/loadgen/bench_loadgen
RAFT_CORE=$BUILD/bench/raft_core/raft_core

CL_PORT0=19910                   # cl peers: 19910..19912
ETCD_CPORT=(23791 23792 23793)   # etcd clients
ETCD_PPORT=(23801 23802 23803)   # etcd peers

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }

for f in "$RAFTD" "$LOADGEN" "$RAFT_CORE"; do
  [ -x "$f" ] || die "missing $f; build first: cmake --build $BUILD --target cl-raftd bench_loadgen raft_core"
done
if [ "$WITH_ETCD" = 1 ] && ! command -v etcd >/dev/null; then
  log "installing etcd-server (Debian) with apt-get"
  SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends etcd-server >&2
fi

WORK=$(mktemp -d /tmp/cl-bench.XXXXXX)
declare -a CL_PID=("" "" "") ETCD_PID=("" "" "")
cleanup() {
  for p in "${CL_PID[@]}" "${ETCD_PID[@]}"; do
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
  done
  [ "${BENCH_KEEP:-0}" = 1 ] && log "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- results -------------------------------------------------------------------------------
declare -A R=()   # R[key]=value, printed in the table at the end
# median and spread of numbers on stdin: "median (min-max)"
med() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "-"; exit} m=a[int((NR+1)/2)]; if (NR%2==0) m=(a[NR/2]+a[NR/2+1])/2; printf "%g (%g-%g)\n", m, a[1], a[NR]}'; }
first() { awk '{print $1}'; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p"; }   # value of key=value in a RESULT line

# ---- cl-raftd --------------------------------------------------------------------------------
cl_sock() { echo "$WORK/cl$1/raftd.sock"; }
cl_socks() { echo "$(cl_sock 0),$(cl_sock 1),$(cl_sock 2)"; }
CL_ENV=()
cl_start() {  # cl_start I [JOIN_I]
  local i=$1 join=()
  [ $# -gt 1 ] && join=(--join "127.0.0.1:$((CL_PORT0 + $2))")
  env "${CL_ENV[@]}" CL_LOG_LEVEL=warn "$RAFTD" run --home "$WORK/cl$i" \
    --listen "127.0.0.1:$((CL_PORT0 + i))" "${join[@]}" >>"$WORK/cl$i.log" 2>&1 &
  CL_PID[$i]=$!
  disown "$!"  # no "Killed" chatter from bash; stopped by PID in cl_stop / cleanup
  for _ in $(seq 100); do [ -S "$(cl_sock "$i")" ] && return 0; sleep 0.1; done
  die "cl peer $i did not open its socket; see $WORK/cl$i.log"
}
# gone PID: wait (bounded) until a killed process has exited and released its ports
gone() { for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done; }
cl_stop() { for i in 0 1 2; do [ -n "${CL_PID[$i]:-}" ] && { kill -9 "${CL_PID[$i]}" 2>/dev/null; gone "${CL_PID[$i]}"; }; CL_PID[$i]=; done; true; }
cl_fresh() {  # a new 3-peer cluster; CL_ENV holds its timing
  cl_stop
  rm -rf "$WORK"/cl?
  local secret
  secret=$("$RAFTD" init --home "$WORK/cl0" 2>/dev/null)
  for i in 1 2; do echo "$secret" | "$RAFTD" init --home "$WORK/cl$i" --secret - >/dev/null 2>&1; done
  cl_start 0
  "$LOADGEN" ready --endpoints "$(cl_sock 0)" --voters 1 --timeout-ms 30000
  cl_start 1 0
  "$LOADGEN" ready --endpoints "$(cl_sock 0),$(cl_sock 1)" --voters 2 --timeout-ms 30000
  cl_start 2 0
  "$LOADGEN" ready --endpoints "$(cl_socks)" --voters 3 --timeout-ms 60000
}
cl_restart_all() { cl_stop; for i in 0 1 2; do cl_start "$i"; done; "$LOADGEN" ready --endpoints "$(cl_socks)" --timeout-ms 60000; }
cl_leader_sock() { local l; l=$("$LOADGEN" leader --endpoints "$(cl_socks)" | awk '{print $2}'); cl_sock "$l"; }

# ---- etcd ------------------------------------------------------------------------------------
etcd_url() { echo "http://127.0.0.1:${ETCD_CPORT[$1]}"; }
etcd_urls() { echo "$(etcd_url 0),$(etcd_url 1),$(etcd_url 2)"; }
ETCD_EXTRA=()
etcd_start() {
  local i=$1 cluster="m0=http://127.0.0.1:${ETCD_PPORT[0]},m1=http://127.0.0.1:${ETCD_PPORT[1]},m2=http://127.0.0.1:${ETCD_PPORT[2]}"
  etcd --name "m$i" --data-dir "$WORK/etcd$i" \
    --listen-client-urls "$(etcd_url "$i")" --advertise-client-urls "$(etcd_url "$i")" \
    --listen-peer-urls "http://127.0.0.1:${ETCD_PPORT[$i]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PPORT[$i]}" \
    --initial-cluster "$cluster" --initial-cluster-token clbench --initial-cluster-state new \
    --logger zap --log-level warn "${ETCD_EXTRA[@]}" >>"$WORK/etcd$i.log" 2>&1 &
  ETCD_PID[$i]=$!
  disown "$!"
}
etcd_stop() { for i in 0 1 2; do [ -n "${ETCD_PID[$i]:-}" ] && { kill -9 "${ETCD_PID[$i]}" 2>/dev/null; gone "${ETCD_PID[$i]}"; }; ETCD_PID[$i]=; done; true; }
etcd_fresh() {
  etcd_stop
  rm -rf "$WORK"/etcd?
  for i in 0 1 2; do etcd_start "$i"; done
  "$LOADGEN" ready --kind etcd --endpoints "$(etcd_urls)" --timeout-ms 60000
}
etcd_leader_url() { local l; l=$("$LOADGEN" leader --kind etcd --endpoints "$(etcd_urls)" | awk '{print $2}'); etcd_url "$l"; }

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# ---- measurements ----------------------------------------------------------------------------
# throughput KIND NAME ENDPOINT_FN: pins/s, p50, p99 at 1, 16, 64 clients, REPS runs each
throughput() {
  local kind=$1 name=$2 leader_fn=$3 c r out
  for c in 1 16 64; do
    : >"$WORK/tp"
    for r in $(seq "$REPS"); do
      out=$("$LOADGEN" load --kind "$kind" --endpoints "$($leader_fn)" --clients "$c" --duration "$DURATION") || true
      log "$name c=$c run $r: $out"
      echo "$out" >>"$WORK/tp"
    done
    R[$name.tp$c]=$(field ops_s <"$WORK/tp" | med)
    R[$name.p50_$c]=$(field p50_ms <"$WORK/tp" | med)
    R[$name.p99_$c]=$(field p99_ms <"$WORK/tp" | med)
  done
}

# failover KIND NAME: KILLS trials of kill -9 of the leader, then restart it and wait until ready
failover() {
  local kind=$1 name=$2 k out l
  : >"$WORK/fo"
  for k in $(seq "$KILLS"); do
    sleep 1
    if [ "$kind" = cl ]; then
      out=$("$LOADGEN" failover --endpoints "$(cl_socks)" --pids "${CL_PID[0]},${CL_PID[1]},${CL_PID[2]}") || { log "$name kill $k failed"; continue; }
    else
      out=$("$LOADGEN" failover --kind etcd --endpoints "$(etcd_urls)" --pids "${ETCD_PID[0]},${ETCD_PID[1]},${ETCD_PID[2]}") || { log "$name kill $k failed"; continue; }
    fi
    log "$name kill $k: $out"
    echo "$out" >>"$WORK/fo"
    l=$(field leader <<<"$out")
    if [ "$kind" = cl ]; then
      gone "${CL_PID[$l]}"
      cl_start "$l"
      "$LOADGEN" ready --endpoints "$(cl_socks)" --timeout-ms 60000
    else
      gone "${ETCD_PID[$l]}"
      # a restarted member keeps its data dir; --initial-cluster-state is ignored then
      etcd_start "$l"
      "$LOADGEN" ready --kind etcd --endpoints "$(etcd_urls)" --timeout-ms 60000
    fi
  done
  R[$name]=$(field ms <"$WORK/fo" | med)
}

du_bytes() { du -sb "$@" 2>/dev/null | awk '{s+=$1} END {print s+0}'; }

# ---- the run ---------------------------------------------------------------------------------
START=$(date +%s)
log "work dir $WORK; duration ${DURATION}s x $REPS reps; $KILLS kills; fill $FILL; big $BIG"

: >"$WORK/raft_core.txt"
if part raft; then
  log "raft core (in memory)"
  "$RAFT_CORE" >"$WORK/raft_core.txt" 2>&1 || true
  cat "$WORK/raft_core.txt" >&2
fi

LAN_HB=25ms LAN_ET=250ms   # the LAN settings compared (as etcd's tuned reference run): heartbeat 25 ms, election 250 ms

# cl: throughput and failover with the default timing (profile lan: heartbeat 100ms, election 1s)
CL_ENV=()
if part cl_tp || part cl_fo; then
  cl_fresh
  part cl_tp && throughput cl cl cl_leader_sock
fi
if part cl_fo; then
  failover cl cl.fo_default
  log "cl: failover with heartbeat $LAN_HB, election $LAN_ET"
  CL_ENV=(CL_HEARTBEAT_INTERVAL=$LAN_HB CL_ELECTION_TIMEOUT=$LAN_ET)
  cl_restart_all
  failover cl cl.fo_lan
fi

# cl: size and memory after FILL pins through pin.add (one entry each), then after BIG
CL_ENV=()
if part cl_size; then
cl_fresh
out=$("$LOADGEN" fill --endpoints "$(cl_leader_sock)" --clients 16 --window 32 --count "$FILL" --timeout-ms 60000) || true
log "cl fill $FILL: $out"
R[cl.fill_rate]=$(field ops_s <<<"$out")
cl_size() {  # cl_size N: disk bytes per pin (state.db + its WAL, median of the peers) and RSS
  local n=$1 i
  "$LOADGEN" ready --endpoints "$(cl_socks)" --timeout-ms 60000
  sleep 3  # let followers apply and the last snapshot finish
  R[cl.rss_$n]=$(for i in 0 1 2; do echo $(($(rss_kb "${CL_PID[$i]}") / 1024)); done | med)
  # The WAL (checkpointed every 4,000 pages) holds recent pages not yet in state.db, so the file
  # alone undercounts: its size while running is reported apart, like etcd's preallocated WAL.
  # Then each peer in turn stops cleanly (SIGTERM: SQLite checkpoints the WAL into state.db on
  # close) and restarts; state.db (+ any WAL left) is then the pinset and the log since the last
  # snapshot, after compaction.
  R[cl.wal_mb_$n]=$(for i in 0 1 2; do echo $(($(du_bytes "$WORK/cl$i"/state/state.db-wal) >> 20)); done | med)
  for i in 0 1 2; do
    kill -TERM "${CL_PID[$i]}"; gone "${CL_PID[$i]}"
    echo $(($(du_bytes "$WORK/cl$i"/state/state.db "$WORK/cl$i"/state/state.db-wal) / n)) >>"$WORK/sz.$n"
    cl_start "$i"
    "$LOADGEN" ready --endpoints "$(cl_socks)" --timeout-ms 60000
  done
  R[cl.bytes_$n]=$(med <"$WORK/sz.$n")
  log "cl at $n pins: bytes/pin ${R[cl.bytes_$n]}, RSS MB ${R[cl.rss_$n]}"
}
cl_ls() {  # cl_ls N: pin.ls through the socket of a follower (linearizable start)
  local out l
  l=$("$LOADGEN" leader --endpoints "$(cl_socks)" | awk '{print $2}')
  out=$("$LOADGEN" ls --endpoints "$(cl_sock $(((l + 1) % 3)))" --timeout-ms 60000) || true
  log "cl pin.ls: $out"
  R[cl.ls_first_$1]=$(field first_ms <<<"$out")
  R[cl.ls_total_$1]=$(awk '{printf "%.2f", $1/1000}' <<<"$(field total_ms <<<"$out")")
}
cl_size "$FILL"
cl_ls "$FILL"
if [ "$BIG" -gt "$FILL" ]; then
  out=$("$LOADGEN" import --endpoints "$(cl_leader_sock)" --count $((BIG - FILL)) --timeout-ms 120000) || true
  log "cl import $((BIG - FILL)): $out"
  R[cl.import_s]=$(field secs <<<"$out")
  R[cl.import_retries]=$(field retries <<<"$out")
  R[cl.import_n]=$((BIG - FILL))
  cl_size "$BIG"
  cl_ls "$BIG"
fi
fi
cl_stop

if [ "$WITH_ETCD" = 1 ]; then
  ETCD_EXTRA=()
  if part etcd_tp || part etcd_fo; then
    etcd_fresh
    part etcd_tp && throughput etcd etcd etcd_leader_url
  fi
  if part etcd_fo; then
    failover etcd etcd.fo_default
    log "etcd: failover with heartbeat $LAN_HB, election $LAN_ET"
    etcd_stop
    ETCD_EXTRA=(--heartbeat-interval=${LAN_HB%ms} --election-timeout=${LAN_ET%ms})
    for i in 0 1 2; do etcd_start "$i"; done
    "$LOADGEN" ready --kind etcd --endpoints "$(etcd_urls)" --timeout-ms 60000
    failover etcd etcd.fo_lan
  fi
  ETCD_EXTRA=()
fi
if [ "$WITH_ETCD" = 1 ] && part etcd_size; then
  etcd_fresh
  out=$("$LOADGEN" load --kind etcd --endpoints "$(etcd_leader_url)" --clients 64 --count "$FILL" --timeout-ms 60000) || true
  log "etcd fill $FILL: $out"
  R[etcd.fill_rate]=$(field ops_s <<<"$out")
  sleep 2
  R[etcd.rss_$FILL]=$(for i in 0 1 2; do echo $(($(rss_kb "${ETCD_PID[$i]}") / 1024)); done | med)
  # compact to the current revision and defragment every member, then bbolt's size per key
  rev=$(curl -s -X POST "$(etcd_url 0)/v3/kv/range" -d '{"key":"eA=="}' | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p')
  curl -s -X POST "$(etcd_url 0)/v3/kv/compaction" -d "{\"revision\":\"$rev\",\"physical\":true}" >/dev/null
  for i in 0 1 2; do curl -s -m 60 -X POST "$(etcd_url "$i")/v3/maintenance/defragment" -d '{}' >/dev/null; done
  R[etcd.bytes_$FILL]=$(for i in 0 1 2; do
    curl -s -X POST "$(etcd_url "$i")/v3/maintenance/status" -d '{}' | sed -n 's/.*"dbSize":"\([0-9]*\)".*/\1/p' | awk -v n="$FILL" '{print int($1/n)}'
  done | med)
  R[etcd.wal_mb_$FILL]=$(for i in 0 1 2; do echo $(($(du_bytes "$WORK/etcd$i/member/wal") >> 20)); done | med)
  log "etcd at $FILL keys: db bytes/key ${R[etcd.bytes_$FILL]}, wal MB (allocated) ${R[etcd.wal_mb_$FILL]}, RSS MB ${R[etcd.rss_$FILL]}"
  etcd_stop
fi

# ---- the table -------------------------------------------------------------------------------
num() { awk '{print $1}' <<<"${1:--}"; }
ratio() {  # ratio CL ETCD: cl / etcd of the medians
  local a b; a=$(num "$1"); b=$(num "$2")
  awk -v a="$a" -v b="$b" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a/b; else print "-" }'
}
row() { printf '| %s | %s | %s | %s | %s |\n' "$1" "${2:--}" "${3:--}" "$(ratio "${2:-}" "${3:-}")" "$4"; }
RC1=$(sed -n 's/.*one entry per proposal: *\([0-9]*\) entries.*/\1/p' "$WORK/raft_core.txt")
RCB=$(sed -n 's/.*batched (\([0-9]*\) in flight): *\([0-9]*\) entries.*/\2 (\1 in flight)/p' "$WORK/raft_core.txt")
echo
echo "cl-raftd vs etcd $(etcd --version 2>/dev/null | awk 'NR==1 {print $3}'), 3 members each on loopback, $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Each cell: median (min-max) of $REPS runs of ${DURATION}s (throughput) or of $KILLS kills (failover). ratio = cl/etcd."
echo
echo '| metric | cl | etcd | ratio | target |'
echo '| --- | --- | --- | --- | --- |'
for c in 1 16 64; do
  t='-'; p50t='-'; p99t='-'
  [ $c = 1 ] && t='≥ 1,200' p50t='≤ 0.8' p99t='≤ 3'
  [ $c = 64 ] && t='≥ 5,000' p99t='≤ 40'
  row "pins/s, $c client(s)" "${R[cl.tp$c]:-}" "${R[etcd.tp$c]:-}" "$t"
  row "p50 ms, $c client(s)" "${R[cl.p50_$c]:-}" "${R[etcd.p50_$c]:-}" "$p50t"
  row "p99 ms, $c client(s)" "${R[cl.p99_$c]:-}" "${R[etcd.p99_$c]:-}" "$p99t"
done
row "failover ms, default timing (100ms/1s)" "${R[cl.fo_default]:-}" "${R[etcd.fo_default]:-}" "-"
row "failover ms, LAN timing ($LAN_HB/$LAN_ET)" "${R[cl.fo_lan]:-}" "${R[etcd.fo_lan]:-}" "median ≤ 400, max ≤ 1000"
row "load rate for $FILL pins, pins/s (cl pipelined pin.add 16x32; etcd 64 clients)" "${R[cl.fill_rate]:-}" "${R[etcd.fill_rate]:-}" "-"
row "disk bytes/pin at $FILL (cl state.db after snapshots; etcd bbolt after compact+defrag)" "${R[cl.bytes_$FILL]:-}" "${R[etcd.bytes_$FILL]:-}" "≤ 350"
row "WAL at $FILL, MB (not in the row above; cl: SQLite WAL, etcd: WAL segments allocated)" "${R[cl.wal_mb_$FILL]:-}" "${R[etcd.wal_mb_$FILL]:-}" "-"
row "RSS MB per member at $FILL" "${R[cl.rss_$FILL]:-}" "${R[etcd.rss_$FILL]:-}" "≤ 60"
row "pin.ls over $FILL via socket: first item ms" "${R[cl.ls_first_$FILL]:-}" "-" "< 100"
row "pin.ls over $FILL via socket: total s" "${R[cl.ls_total_$FILL]:-}" "-" "< 10"
if [ "$BIG" -gt "$FILL" ]; then
  row "state.import of ${R[cl.import_n]:-?} pins via socket (10k/batch; ${R[cl.import_retries]:-?} batches retried), s" "${R[cl.import_s]:-}" "-" "< 300 (1M)"
  row "disk bytes/pin at $BIG (state.db)" "${R[cl.bytes_$BIG]:-}" "-" "-"
  row "RSS MB per member at $BIG" "${R[cl.rss_$BIG]:-}" "-" "-"
  row "pin.ls over $BIG via socket: first item ms" "${R[cl.ls_first_$BIG]:-}" "-" "< 100"
  row "pin.ls over $BIG via socket: total s" "${R[cl.ls_total_$BIG]:-}" "-" "< 10"
fi
row "raft core alone in memory, entries/s, one proposal at a time" "$RC1" "-" "-"
row "raft core alone in memory, entries/s, batched" "$RCB" "-" "-"
echo
log "done in $(( $(date +%s) - START )) s"
