# Helpers for tests/cli/t*.sh. Source it after `set -eu`:
#   . "$(dirname "$0")/lib.sh"
# It sets BIN (the directory of the built tools: $1, else $CL_BIN_DIR), makes TMP (a fresh
# directory removed on exit) and isolates the environment (HOME=$TMP/home, no CL_* variables).
# A failed check prints what was expected, what happened, and exits 1.

BIN=${1:-${CL_BIN_DIR:-}}
if [ -z "$BIN" ] || [ ! -d "$BIN" ]; then
  echo "usage: $0 BIN_DIR (or set CL_BIN_DIR to the directory of the built tools)" >&2
  exit 2
fi
BIN=$(cd "$BIN" && pwd)
# Kept from the environment before it is cleared: the IPFS fixture's API base port, if any.
IPFS_API_BASE=${CL_IPFS_API_BASE:-}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cl-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
for v in $(env | sed -n 's/^\(CL_[A-Z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export HOME="$TMP/home"
mkdir -p "$HOME"

# The test's steps are numbered in its output so that a failure says which one.
STEP=0
step() {
  STEP=$((STEP + 1))
  echo "# $STEP. $*"
}

fail() {
  echo "FAIL (step $STEP): $*" >&2
  exit 1
}

# expect_exit CODE CMD...: run CMD with stdout to $TMP/out and stderr to $TMP/err, stdin from
# /dev/null (a tool never waits on the test runner's stdin); fail unless it exits with CODE.
expect_exit() {
  local want=$1
  shift
  local got=0
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || got=$?
  if [ "$got" != "$want" ]; then
    echo "--- stdout" >&2; cat "$TMP/out" >&2
    echo "--- stderr" >&2; cat "$TMP/err" >&2
    fail "expected exit $want, got $got: $*"
  fi
}

# expect_mode MODE PATH: the permission bits of PATH are MODE (octal, e.g. 600).
expect_mode() {
  local got
  got=$(stat -c %a "$2")
  [ "$got" = "$1" ] || fail "expected mode $1 on $2, got $got"
}

# expect_match REGEX FILE: some line of FILE matches the extended REGEX.
expect_match() {
  grep -Eq -- "$1" "$2" || { cat "$2" >&2; fail "expected a line matching '$1' in $2"; }
}

# expect_no_match TEXT FILE: FILE does not contain TEXT (fixed string).
expect_no_match() {
  if grep -Fq -- "$1" "$2"; then cat "$2" >&2; fail "did not expect '$1' in $2"; fi
}

# expect_lines N FILE: FILE has exactly N lines.
expect_lines() {
  local got
  got=$(wc -l <"$2")
  [ "$got" -eq "$1" ] || { cat "$2" >&2; fail "expected $1 lines in $2, got $got"; }
}
