#!/bin/bash
# cl-pin add, get, ls, update, rm against a real one-peer cluster: options, JSON lines, input
# forms (CID, /ipfs/CID, JSON line), idempotent add, bad items named with the rest processed,
# exit statuses 0, 1 and 2.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster.sh"
start_cluster 1 24110
export CL_SOCKET
CL_SOCKET=$(peer_socket 0)
pin="$BIN/cl-pin"
gen_cids 6 >"$TMP/cids"
c1=$(sed -n 1p "$TMP/cids"); c2=$(sed -n 2p "$TMP/cids"); c3=$(sed -n 3p "$TMP/cids")
c4=$(sed -n 4p "$TMP/cids"); c5=$(sed -n 5p "$TMP/cids"); c6=$(sed -n 6p "$TMP/cids")

step "add with every option prints the stored pin as one JSON line"
expect_exit 0 "$pin" add "$c1" --name backup-1 --rmin 1 --rmax 2 --mode direct --meta team=ops \
  --meta tier=gold --expire-in 24h
expect_lines 1 "$TMP/out"
expect_match "^\\{.*\"cid\":\"$c1\"" "$TMP/out"
expect_match '"name":"backup-1"' "$TMP/out"
expect_match '"mode":"direct"' "$TMP/out"
expect_match '"replication_factor_min":1' "$TMP/out"
expect_match '"replication_factor_max":2' "$TMP/out"
expect_match '"metadata":\{"team":"ops","tier":"gold"\}' "$TMP/out"
expect_match '"expire_at":"20[0-9]{2}-' "$TMP/out"
expect_match '"allocations":\["12D3KooW' "$TMP/out"

step "adding the same pin again is not an error"
expect_exit 0 "$pin" add "$c1" --name backup-1 --rmin 1 --rmax 2 --mode direct --meta team=ops \
  --meta tier=gold --expire-in 24h
expect_lines 1 "$TMP/out"

step "-r N sets both factors; --allocations is kept as user_allocations"
peer=$("$BIN/cl-raftd" id --home "$(peer_home 0)")
expect_exit 0 "$pin" add -r 1 --allocations "$peer" "$c2"
expect_match "\"replication_factor_max\":1,\"replication_factor_min\":1" "$TMP/out"
expect_match "\"user_allocations\":\\[\"$peer\"\\]" "$TMP/out"

step "stdin takes a CID, an /ipfs/ path and a JSON line; blank and # lines are skipped"
printf '%s\n\n# a comment\n/ipfs/%s\n{"cid":"%s","name":"ignored"}\n' "$c3" "$c4" "$c5" >"$TMP/in"
expect_exit 0 sh -c "\"$pin\" add --name from-stdin <\"$TMP/in\""
expect_lines 3 "$TMP/out"
expect_match "\"cid\":\"$c4\".*\"name\":\"from-stdin\"" "$TMP/out"

step "get prints one pin; an unknown CID fails with exit 1 naming it"
expect_exit 0 "$pin" get "$c1"
expect_lines 1 "$TMP/out"
expect_exit 1 "$pin" get "$c6"
expect_lines 1 "$TMP/err"
expect_match "^cl-pin get: argument 1: .*" "$TMP/err"

step "bad items are named with their line number and text; the others are still pinned"
printf '%s\nQmfoo\n%s\n/ipfs/%s/sub/dir\n' "$c6" "$c6" "$c1" >"$TMP/in"
expect_exit 1 sh -c "\"$pin\" add <\"$TMP/in\""
expect_match "^cl-pin add: line 2: .*'Qmfoo'" "$TMP/err"
expect_match "^cl-pin add: line 4: invalid cid '/ipfs/$c1/sub/dir'" "$TMP/err"
expect_match "^cl-pin add: 2 of 4 cids failed$" "$TMP/err"
expect_lines 2 "$TMP/out"
expect_exit 0 "$pin" get "$c6"

step "ls streams the pinset in JSON lines; filters narrow it"
expect_exit 0 "$pin" ls
expect_lines 6 "$TMP/out"
expect_exit 0 "$pin" ls --name backup-
expect_lines 1 "$TMP/out"
expect_match "\"cid\":\"$c1\"" "$TMP/out"
expect_exit 0 "$pin" ls --filter meta.team=ops
expect_lines 1 "$TMP/out"
expect_exit 0 "$pin" ls --meta team=ops --mode direct
expect_lines 1 "$TMP/out"
expect_exit 0 "$pin" ls --mode recursive --local
expect_lines 5 "$TMP/out"
expect_exit 0 "$pin" ls --peer "$peer"
expect_lines 6 "$TMP/out"

step "--text prints an aligned table with a header"
expect_exit 0 "$pin" ls --text --name backup-
expect_lines 2 "$TMP/out"
expect_match '^CID +NAME +MODE +REPLICATION +ALLOCATIONS' "$TMP/out"
expect_match "^$c1 +backup-1 +direct +1\\.\\.2 " "$TMP/out"

step "on a terminal the default is the table, in a pipe JSON lines"
script -qec "\"$pin\" ls --name backup-" /dev/null >"$TMP/tty" </dev/null || fail "cl-pin ls on a tty"
expect_match '^CID +NAME +MODE' "$TMP/tty"
"$pin" ls --name backup- | head -1 | grep -q '^{"allocations"' || fail "not JSON lines in a pipe"

step "update pins TO with FROM's options and unpins FROM"
gen_cids 1 100 >"$TMP/new"
c100=$(cat "$TMP/new")
expect_exit 0 "$pin" update "$c1" "$c100"
expect_match "\"cid\":\"$c100\".*\"name\":\"backup-1\"" "$TMP/out"
expect_exit 1 "$pin" get "$c1"
expect_exit 0 "$pin" update --keep-old "$c100" "$c1"
expect_exit 0 "$pin" get "$c100"

step "rm reads the output of ls; everything is gone"
"$pin" ls | "$pin" rm >"$TMP/out" 2>"$TMP/err" || fail "rm from ls exit $?"
expect_lines 7 "$TMP/out"
expect_match '"removed":true' "$TMP/out"
expect_exit 0 "$pin" ls
expect_lines 0 "$TMP/out"
expect_exit 1 "$pin" rm "$c1"
expect_match "^cl-pin rm: argument 1: " "$TMP/err"

step "-v says which socket it uses; -q leaves only the errors; --json forces JSON lines"
expect_exit 0 "$pin" ls -v
expect_match "^cl-pin ls: connecting to cl-raftd at '$CL_SOCKET'" "$TMP/err"
printf '%s\nQmfoo\n' "$c1" >"$TMP/in"
expect_exit 1 sh -c "\"$pin\" get -q <\"$TMP/in\""
expect_lines 2 "$TMP/err"
expect_no_match "failed" "$TMP/err"
expect_exit 2 "$pin" ls --json --text

step "usage errors exit 2 with one line naming the problem"
expect_exit 2 "$pin"
expect_exit 2 "$pin" frob
expect_exit 2 "$pin" add "$c1" --mode sideways
expect_exit 2 "$pin" add "$c1" --meta novalue
expect_match "invalid --meta 'novalue': expected KEY=VALUE" "$TMP/err"
expect_exit 2 "$pin" add "$c1" --rmin 3 --rmax 2
expect_exit 2 "$pin" add "$c1" --expire-in soon
expect_exit 2 "$pin" add "$c1" --timeout 0
expect_exit 2 "$pin" ls --filter colour=red
expect_match "unknown --filter field 'colour'" "$TMP/err"
expect_exit 2 "$pin" add --file "$TMP/does-not-exist"
expect_match "invalid --file '$TMP/does-not-exist': no such file or directory" "$TMP/err"
expect_exit 2 "$pin" add --file "$TMP/in" "$c1"
expect_exit 2 "$pin" update "$c1" Qmfoo
expect_match "^cl-pin update: TO: " "$TMP/err"
echo "ok"
