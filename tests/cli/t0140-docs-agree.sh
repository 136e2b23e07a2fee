#!/bin/bash
# Help, man pages and completions do not drift apart: for each of the five binaries, every long
# option its --help (and each subcommand's --help) lists appears in the OPTIONS section of its man
# page and in its section of the bash, zsh and fish completion files; and every long option those
# name exists in --help.
set -eu
# Read before lib.sh clears every CL_* variable.
SRC=${CL_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$(dirname "$0")/lib.sh"

long_opts() { grep -oE -- '(^|[^a-z0-9-])--[a-z][a-z0-9-]*' | sed 's/^[^-]*//' | sort -u; }

# help_opts TOOL: long options of TOOL --help and of each subcommand's --help.
help_opts() {
  local tool=$1 sub
  {
    "$BIN/$tool" --help
    for sub in $(subcommands "$tool"); do "$BIN/$tool" "$sub" --help; done
  } | long_opts
}
# subcommands TOOL: the names under SUBCOMMANDS: in --help.
subcommands() {
  "$BIN/$1" --help | sed -n '/^Subcommands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'
}
# man_opts TOOL: long options in the OPTIONS section of the man page (roff \- unescaped).
man_opts() {
  local page
  page=$(ls "$SRC/man/$1".[18])
  sed -n '/^\.SH OPTIONS/,/^\.SH [^O]/p' "$page" | sed 's/\\-/-/g' | long_opts
}
# section FILE TOOL: the tool's section of a completion file (between "# begin TOOL" and
# "# end TOOL"); with_common adds the shared part before the first section.
section() { sed -n "/^# begin $2\$/,/^# end $2\$/p" "$1"; }
common_part() { sed -n '1,/^# begin /p' "$1"; }
fish_opts() { sed -e 's/ -l \([a-z0-9-]*\)/ --\1/g' | long_opts; }

check_subset() { # check_subset WHAT A B: every line of file A is in file B
  local missing
  missing=$(comm -23 "$2" "$3" | grep -vxE -- '--help|--version' || true)
  [ -z "$missing" ] || fail "$1: $(echo $missing)"
}

for tool in cl-pin cl-status cl-peers cl-sync cl-raftd; do
  step "$tool: --help, man page and completions name the same long options"
  help_opts "$tool" >"$TMP/help"
  [ -s "$TMP/help" ] || fail "no options in $tool --help"
  man_opts "$tool" >"$TMP/man"
  check_subset "in $tool --help but not in its man page" "$TMP/help" "$TMP/man"
  check_subset "in $tool's man page OPTIONS but not in --help" "$TMP/man" "$TMP/help"
  for shell in bash zsh fish; do
    case $shell in
      bash) file="$SRC/completions/cl.bash" ;;
      zsh) file="$SRC/completions/_cl" ;;
      fish) file="$SRC/completions/cl.fish" ;;
    esac
    if [ "$shell" = fish ]; then
      { common_part "$file"; section "$file" "$tool"; } | fish_opts >"$TMP/all"
      section "$file" "$tool" | fish_opts >"$TMP/own"
    else
      { [ "$tool" = cl-raftd ] || common_part "$file"; section "$file" "$tool"; } | long_opts >"$TMP/all"
      section "$file" "$tool" | long_opts >"$TMP/own"
    fi
    [ -n "$(section "$file" "$tool")" ] || fail "no '# begin $tool' section in $file"
    check_subset "in $tool --help but not in its $shell completion" "$TMP/help" "$TMP/all"
    check_subset "in $tool's $shell completion but not in --help" "$TMP/own" "$TMP/help"
  done
  step "$tool: the subcommands of --help are the ones the completions offer"
  subcommands "$tool" | sort >"$TMP/subs"
  if [ -s "$TMP/subs" ]; then
    var=_${tool//-/_}_subs
    grep -oE "^$var=\"[^\"]*\"" "$SRC/completions/cl.bash" | sed 's/.*="\(.*\)"/\1/' | tr ' ' '\n' | sort >"$TMP/bsubs"
    cmp -s "$TMP/subs" "$TMP/bsubs" || fail "$tool subcommands: help has $(echo $(cat "$TMP/subs")), bash has $(echo $(cat "$TMP/bsubs"))"
    grep -E "^complete -c $tool -n __fish_use_subcommand -a" "$SRC/completions/cl.fish" | sed 's/.*-a "\(.*\)"/\1/' |
      tr ' ' '\n' | sort >"$TMP/fsubs"
    cmp -s "$TMP/subs" "$TMP/fsubs" || fail "$tool subcommands differ in cl.fish"
    while read -r sub; do
      section "$SRC/completions/_cl" "$tool" | grep -q "'$sub:" || fail "$tool $sub missing in _cl"
    done <"$TMP/subs"
  fi
done

step "every man page renders without warnings"
for page in "$SRC"/man/*.[18]; do
  LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >/dev/null 2>"$TMP/warn" || fail "man -l $page failed"
  [ ! -s "$TMP/warn" ] || { cat "$TMP/warn" >&2; fail "warnings rendering $page"; }
done
echo "ok"
