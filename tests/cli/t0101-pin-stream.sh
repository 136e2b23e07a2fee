#!/bin/bash
# 100,000 CIDs piped into cl-pin add, 3 of the lines bad: the good ones are pinned, the 3 bad line
# numbers are named on stderr, exit 1, and cl-pin's peak RSS stays bounded (it streams with a
# window of requests in flight; it does not hold the input or the output).
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster.sh"
start_cluster 1 24120
export CL_SOCKET
CL_SOCKET=$(peer_socket 0)
count=100000
# The bound: the tool's own footprint (libraries, buffers, a window of 256 requests) is a few MB;
# holding 100,000 pins would take tens of MB.
rss_max_kb=${CL_TEST_PIN_RSS_MAX_KB:-20000}

step "build the input: $count lines, 3 of them bad (lines 10, 50001 and 99999)"
gen_cids $count >"$TMP/cids"
awk 'NR == 10 { print "not-a-cid"; next } NR == 50001 { print "{\"cid\": 42}"; next }
     NR == 99999 { print "/ipfs/QmTooShort"; next } { print }' "$TMP/cids" >"$TMP/in"
[ "$(wc -l <"$TMP/in")" -eq $count ] || fail "input has $(wc -l <"$TMP/in") lines"

step "pipe it through cl-pin add -q, measuring peak RSS"
set +e
/usr/bin/time -f '%M %e' -o "$TMP/rss" "$BIN/cl-pin" add --name stream -q --timeout 120s \
  <"$TMP/in" >"$TMP/out" 2>"$TMP/err"
rc=$?
set -e
[ "$rc" = 1 ] || { tail "$TMP/err" >&2; fail "expected exit 1, got $rc"; }
read -r rss_kb secs < <(tail -1 "$TMP/rss")
echo "measured: cl-pin add of $count cids: peak RSS ${rss_kb} kB (bound ${rss_max_kb} kB), ${secs} s (not asserted)"
[ "$rss_kb" -le "$rss_max_kb" ] || fail "peak RSS ${rss_kb} kB over ${rss_max_kb} kB"

step "stderr names exactly the 3 bad lines, with their text"
expect_lines 3 "$TMP/err"
expect_match "^cl-pin add: line 10: .*'not-a-cid'" "$TMP/err"
expect_match "^cl-pin add: line 50001: json line without a \"cid\" string" "$TMP/err"
expect_match "^cl-pin add: line 99999: .*QmTooShort" "$TMP/err"

step "stdout has one pin per good line, in input order"
expect_lines $((count - 3)) "$TMP/out"
sed 's/.*"cid":"\([^"]*\)".*/\1/' "$TMP/out" >"$TMP/out.cids"
sed -e 10d -e 50001d -e 99999d "$TMP/cids" >"$TMP/good.cids"
cmp -s "$TMP/out.cids" "$TMP/good.cids" || fail "the pins on stdout are not the good lines in input order"

step "the pinset holds the good ones"
"$BIN/cl-pin" ls --name stream >"$TMP/ls" 2>"$TMP/err" || fail "ls exit $?"
expect_lines $((count - 3)) "$TMP/ls"
echo "ok"
