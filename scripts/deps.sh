#!/usr/bin/env bash
# deps.sh [--check]: install the Debian packages cl needs to build and test (idempotent).
# With --check, only report what is missing (exit 1 if anything is).
# Uses apt-get, through sudo when not root. Nothing is downloaded from anywhere else.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config ccache git
  libcli11-dev libboost-dev libboost-system-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev
  libspdlog-dev catch2 nlohmann-json3-dev libssl-dev libprotobuf-dev protobuf-compiler
  clang-format cppcheck
  ipfs-cid       # independent CID implementation, cross-checked by tests/unit/cid
  curl jq iproute2 procps psmisc util-linux   # used by the shell and integration tests
  python3        # scripts/demo.sh talks to the socket with it when the tools are not built
  nodejs npm     # js-ipfs daemons for the integration tests (tests/ipfs)
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  if [ "$status" != installed ]; then
    # a package may be satisfied by another install (e.g. nodejs from elsewhere)
    case "$p" in
      nodejs) command -v node >/dev/null && continue ;;
      npm) command -v npm >/dev/null && continue ;;
    esac
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = --check ] || echo "deps: all ${#PACKAGES[@]} packages installed"
  exit 0
fi
if [ "${1:-}" = --check ]; then
  echo "deps: missing: ${missing[*]} (run: make deps)" >&2
  exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
