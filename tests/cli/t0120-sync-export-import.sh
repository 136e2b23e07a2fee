#!/bin/bash
# cl-sync export | import: a round trip into an empty cluster gives an identical pinset; import
# checks every line before changing anything and names the bad ones; --replace swaps the whole
# pinset; 12,000 pins go in several batches.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster.sh"
sync="$BIN/cl-sync"
pin="$BIN/cl-pin"

# The pinset without what the leader decides anew (allocations, timestamp): sorted JSON lines.
normalize() {
  sed -e 's/"allocations":\[[^]]*\],\{0,1\}//' -e 's/"timestamp":"[^"]*",\{0,1\}//' -e 's/,}/}/' "$1"
}

step "a 3-peer source cluster with 12,000 varied pins"
start_cluster 3 24130
src=$(peer_socket 1)
gen_cids 12000 >"$TMP/cids"
head -11000 "$TMP/cids" | "$pin" add --socket "$src" -q --name bulk >/dev/null 2>"$TMP/err" ||
  fail "bulk add: $(cat "$TMP/err")"
sed -n 11001,11500p "$TMP/cids" | "$pin" add --socket "$src" -q --name meta --meta k=v --meta tier=2 \
  --mode direct --rmin 1 --rmax 2 >/dev/null || fail "meta add"
sed -n 11501,12000p "$TMP/cids" | "$pin" add --socket "$src" -q --name exp --expire-in 240h --rmin 1 \
  --rmax 3 >/dev/null || fail "exp add"

step "export from a follower while the cluster runs: one JSON line per pin"
expect_exit 0 "$sync" export --socket "$src"
cp "$TMP/out" "$TMP/export.jsonl"
expect_lines 12000 "$TMP/export.jsonl"
"$pin" ls --socket "$src" >"$TMP/src.ls" || fail "ls"

step "stop it; start an empty one-peer cluster on other ports"
stop_peers
rm -rf "$(peer_home 0)" "$(peer_home 1)" "$(peer_home 2)"
SECRET=""
start_cluster 1 24140
export CL_SOCKET
CL_SOCKET=$(peer_socket 0)
expect_exit 0 "$pin" ls
expect_lines 0 "$TMP/out"

step "import the export: in batches of at most 2,000; identical pinset"
expect_exit 0 sh -c "\"$sync\" import <\"$TMP/export.jsonl\""
expect_match '^\{"added":12000,"complete":true,"errors":0,"unchanged":0\}$' "$TMP/out"
"$pin" ls >"$TMP/dst.ls" || fail "ls"
normalize "$TMP/src.ls" >"$TMP/a"
normalize "$TMP/dst.ls" >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" || { diff "$TMP/a" "$TMP/b" | head >&2; fail "pinsets differ"; }

step "importing again changes nothing"
expect_exit 0 "$sync" import "$TMP/export.jsonl"
expect_match '"added":0,.*"unchanged":12000' "$TMP/out"

step "bad lines: each named with its number, nothing imported, exit 1"
gen_cids 3 50000 >"$TMP/more"
{
  echo "{\"cid\":\"$(sed -n 1p "$TMP/more")\"}"
  echo "not json"
  echo "{\"cid\":\"$(sed -n 2p "$TMP/more")\",\"replication_factor_min\":5000}"
  echo "{\"name\":\"no cid\"}"
  echo "{\"cid\":\"$(sed -n 3p "$TMP/more")\"}"
} >"$TMP/bad.jsonl"
expect_exit 1 "$sync" import "$TMP/bad.jsonl"
expect_match "^cl-sync import: $TMP/bad.jsonl line 2: expected a json object" "$TMP/err"
expect_match "^cl-sync import: $TMP/bad.jsonl line 3: invalid replication_factor_min '5000'" "$TMP/err"
expect_match "^cl-sync import: $TMP/bad.jsonl line 4: missing \"cid\" string field" "$TMP/err"
expect_match "3 bad lines; nothing was imported" "$TMP/err"
expect_exit 1 "$pin" get "$(sed -n 1p "$TMP/more")"

step "--dry-run checks and changes nothing"
head -1 "$TMP/bad.jsonl" >"$TMP/one.jsonl"
expect_exit 0 "$sync" import --dry-run "$TMP/one.jsonl"
expect_match "1 pins checked; nothing imported" "$TMP/err"
expect_exit 1 "$pin" get "$(sed -n 1p "$TMP/more")"

step "--replace makes the pinset exactly the file's pins"
head -100 "$TMP/export.jsonl" >"$TMP/small.jsonl"
cat "$TMP/one.jsonl" >>"$TMP/small.jsonl"
expect_exit 0 "$sync" import --replace "$TMP/small.jsonl"
expect_match '^\{"pins":101,"replaced":true\}$' "$TMP/out"
"$pin" ls >"$TMP/after" || fail "ls"
expect_lines 101 "$TMP/after"
expect_exit 0 "$pin" get "$(sed -n 1p "$TMP/more")"

step "--replace with a bad line changes nothing"
expect_exit 1 "$sync" import --replace "$TMP/bad.jsonl"
"$pin" ls >"$TMP/after2" || fail "ls"
cmp -s "$TMP/after" "$TMP/after2" || fail "pinset changed"

step "--replace of the full export gives back the identical pinset"
expect_exit 0 sh -c "\"$sync\" export | \"$sync\" import --replace - >/dev/null"
expect_exit 0 "$sync" import --replace "$TMP/export.jsonl"
"$pin" ls >"$TMP/dst2.ls" || fail "ls"
normalize "$TMP/dst2.ls" >"$TMP/c"
cmp -s "$TMP/a" "$TMP/c" || fail "pinset after --replace differs"

step "a missing file is named (exit 1); a bad flag is a usage error (exit 2)"
expect_exit 1 "$sync" import "$TMP/missing.jsonl"
expect_match "cannot open '$TMP/missing.jsonl'" "$TMP/err"
expect_exit 2 "$sync" import --frob
echo "ok"
