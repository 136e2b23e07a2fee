#!/bin/bash
# bash completion (completions/cl.bash): what <TAB> offers, the way bash asks (COMP_WORDS,
# COMP_CWORD, then COMPREPLY).
set -eu
# Read before lib.sh clears every CL_* variable.
SRC=${CL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$(dirname "$0")/lib.sh"
. "$SRC/completions/cl.bash"

# offers "WORDS..." : complete the last word of WORDS (may be empty) and print the candidates.
offers() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _cl_complete
  printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}
expect_offer() { # expect_offer WANT WORDS...
  local want=$1 got
  shift
  got=$(offers "$@")
  [ "$got" = "$want" ] || fail "'$*<TAB>' offers '$got', expected '$want'"
}

step "cl-pin <TAB> offers the subcommands"
expect_offer "add get ls rm update" cl-pin ""
expect_offer "add" cl-pin a
step "subcommands of the other tools"
expect_offer "health id ls rm" cl-peers ""
expect_offer "export import now recover" cl-sync ""
expect_offer "config id init run" cl-raftd ""
step "options after a subcommand, and values of options"
expect_offer "--wait --wait-timeout" cl-pin add --wa
expect_offer "--keep-old" cl-pin update --k
expect_offer "direct recursive" cl-pin add --mode ""
expect_offer "--replace" cl-sync import --rep
expect_offer "pin_error pin_queued pinned pinning" cl-status --filter pin
expect_offer "--local" cl-status --lo
step "a value option's argument is not taken for a subcommand"
expect_offer "add get ls rm update" cl-pin --socket /tmp/s ""
expect_offer "--name" cl-pin --timeout 5s add --nam
expect_offer "--join" cl-raftd run --jo
echo "ok"
