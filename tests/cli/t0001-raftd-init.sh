#!/bin/bash
# cl-raftd init: creates CL_HOME with identity.key, config.json and secret; prints the secret on
# stdout; refuses to overwrite without --force; validates --secret without echoing it.
set -eu
. "$(dirname "$0")/lib.sh"
raftd="$BIN/cl-raftd"

step "init prints the new cluster secret, and only it, on stdout"
home="$TMP/peer1"
expect_exit 0 "$raftd" init --home "$home"
expect_lines 1 "$TMP/out"
expect_match '^[0-9a-f]{64}$' "$TMP/out"
secret=$(cat "$TMP/out")
expect_match "initialized $home, peer id 12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$" "$TMP/err"

step "the home is 0700 and the secret files are 0600"
expect_mode 700 "$home"
expect_mode 600 "$home/identity.key"
expect_mode 600 "$home/secret"
[ -f "$home/config.json" ] || fail "no config.json"
[ "$(cat "$home/secret")" = "$secret" ] || fail "secret file does not hold the printed secret"

step "a script can capture the secret and the peer id"
captured=$("$raftd" init --home "$TMP/peer2" 2>/dev/null)
[ ${#captured} -eq 64 ] || fail "captured '$captured'"
peer=$("$raftd" id --home "$TMP/peer2")
case $peer in 12D3KooW*) ;; *) fail "cl-raftd id printed '$peer'" ;; esac

step "a second init exits 2, names the path, and changes nothing"
key_before=$(cat "$home/identity.key")
expect_exit 2 "$raftd" init --home "$home"
expect_lines 1 "$TMP/err"
expect_match "$home is already initialized" "$TMP/err"
expect_match "--force" "$TMP/err"
[ ! -s "$TMP/out" ] || fail "stdout not empty on refusal"
[ "$(cat "$home/identity.key")" = "$key_before" ] || fail "identity.key changed"
[ "$(cat "$home/secret")" = "$secret" ] || fail "secret changed"

step "a home with only a config.json is refused too"
mkdir -p "$TMP/partial"
echo '{}' >"$TMP/partial/config.json"
expect_exit 2 "$raftd" init --home "$TMP/partial"
expect_match "already initialized \(config.json\)" "$TMP/err"

step "--force replaces the identity and the secret"
expect_exit 0 "$raftd" init --home "$home" --force
expect_match '^[0-9a-f]{64}$' "$TMP/out"
[ "$(cat "$TMP/out")" != "$secret" ] || fail "--force kept the old secret"
[ "$(cat "$home/identity.key")" != "$key_before" ] || fail "--force kept the old identity"
expect_mode 600 "$home/identity.key"
expect_mode 600 "$home/secret"

step "--secret with a bad value exits 2 and does not print it"
bad="0123456789abcdefXYZ"
expect_exit 2 "$raftd" init --home "$TMP/peer3" --secret "$bad"
expect_match "invalid --secret: expected 64 hex digits, got 19 characters" "$TMP/err"
expect_no_match "$bad" "$TMP/err"
expect_no_match "$bad" "$TMP/out"
[ ! -e "$TMP/peer3" ] || fail "a home was created for a bad secret"
bad64="$(printf '%063d' 0)g"
expect_exit 2 "$raftd" init --home "$TMP/peer3" --secret "$bad64"
expect_match "non-hex character at offset 63" "$TMP/err"
expect_no_match "$bad64" "$TMP/err"

step "--secret GOOD writes that secret (upper case accepted, stored lower case)"
good=$(printf '%s' "$secret" | tr a-f A-F)
expect_exit 0 "$raftd" init --home "$TMP/peer4" --secret "$good"
[ "$(cat "$TMP/out")" = "$secret" ] || fail "printed '$(cat "$TMP/out")'"
[ "$(cat "$TMP/peer4/secret")" = "$secret" ] || fail "secret file holds '$(cat "$TMP/peer4/secret")'"

step "--secret - reads the secret from stdin"
printf '%s\n' "$secret" | "$raftd" init --home "$TMP/peer5" --secret - >"$TMP/out" 2>"$TMP/err" || fail "exit $?"
[ "$(cat "$TMP/peer5/secret")" = "$secret" ] || fail "stdin secret not written"

step "CL_HOME is used when --home is absent, and ~/.cl when neither is set"
CL_HOME="$TMP/from-env" "$raftd" init >/dev/null 2>&1 || fail "init with CL_HOME"
[ -f "$TMP/from-env/identity.key" ] || fail "CL_HOME not used"
expect_exit 0 "$raftd" init
[ -f "$HOME/.cl/identity.key" ] || fail "~/.cl not used"
expect_mode 700 "$HOME/.cl"

step "the written config.json loads, and environment overrides apply"
expect_exit 0 env CL_HOME="$home" CL_LOG_LEVEL=debug "$raftd" config
expect_match '"log_level": "debug"' "$TMP/out"
expect_exit 2 env CL_HOME="$home" CL_ELECTION_TIMEOUT=5x "$raftd" config
expect_match "environment variable CL_ELECTION_TIMEOUT: invalid duration '5x'" "$TMP/err"

step "help and version"
expect_exit 0 "$raftd" --help
expect_match "init" "$TMP/out"
expect_exit 0 "$raftd" init --help
expect_match "--force" "$TMP/out"
expect_exit 0 "$raftd" --version
expect_match '^[0-9]+\.[0-9]+\.[0-9]+' "$TMP/out"
expect_exit 2 "$raftd" init --no-such-flag
expect_exit 2 "$raftd"

echo "ok: t0001-raftd-init"
