#!/bin/bash
# make install PREFIX=... (cmake --install): the five binaries, the five man pages in man1/man8,
# and the completions under the names bash-completion, zsh and fish look for.
set -eu
# Read before lib.sh clears every CL_* variable.
BUILD=${CL_BUILD_DIR:?set CL_BUILD_DIR to the build directory}
. "$(dirname "$0")/lib.sh"
prefix="$TMP/prefix"

step "install into a fresh prefix"
expect_exit 0 cmake --install "$BUILD" --prefix "$prefix"

step "binaries, man pages and completions are where the tools that load them look"
for tool in cl-pin cl-status cl-peers cl-sync cl-raftd; do
  [ -x "$prefix/bin/$tool" ] || fail "no bin/$tool"
  [ -f "$prefix/share/bash-completion/completions/$tool" ] || fail "no bash completion for $tool"
  [ -f "$prefix/share/fish/vendor_completions.d/$tool.fish" ] || fail "no fish completion for $tool"
done
for page in man1/cl-pin.1 man1/cl-status.1 man1/cl-peers.1 man1/cl-sync.1 man8/cl-raftd.8; do
  [ -f "$prefix/share/man/$page" ] || fail "no share/man/$page"
done
[ -f "$prefix/share/zsh/site-functions/_cl" ] || fail "no zsh completion"
head -1 "$prefix/share/zsh/site-functions/_cl" | grep -q '^#compdef cl-pin cl-status cl-peers cl-sync cl-raftd$' ||
  fail "_cl does not declare the five commands"

step "man finds the installed pages by name; the installed binary runs"
MANPATH="$prefix/share/man" man -w cl-pin >"$TMP/out" 2>"$TMP/err" || fail "man -w cl-pin: $(cat "$TMP/err")"
expect_match "^$prefix/share/man/man1/cl-pin.1" "$TMP/out"
MANPATH="$prefix/share/man" man -w 8 cl-raftd >"$TMP/out" 2>/dev/null || fail "man -w 8 cl-raftd"
expect_exit 0 "$prefix/bin/cl-pin" --version

step "the installed bash completion completes cl-pin's subcommands"
(
  . "$prefix/share/bash-completion/completions/cl-pin"
  COMP_WORDS=(cl-pin "")
  COMP_CWORD=1
  _cl_complete
  [ "$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' ')" = "add get ls rm update " ] ||
    fail "installed completion offers '${COMPREPLY[*]}'"
)
echo "ok"
