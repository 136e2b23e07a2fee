#!/usr/bin/env bash
# netns-run.sh COMMAND...: run COMMAND in a private network namespace whose loopback is up, so
# that two checkouts can run their test suites at once on one machine without their fixed port
# blocks (tests/integration/README.md) meeting. Needs root (unshare -n). Unix sockets live in the
# filesystem and are not isolated; each checkout keeps its own under its build directory.
#   scripts/netns-run.sh make test
#   scripts/netns-run.sh ctest --test-dir build -R integration.pinning
set -euo pipefail
if [ $# -eq 0 ] || [ "$1" = --help ] || [ "$1" = -h ]; then
  sed -n '2,7s/^# \{0,1\}//p' "$0"
  exit $(( $# == 0 ? 2 : 0 ))
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "netns-run.sh: needs root for unshare -n (run as root, or run the command directly)" >&2
  exit 2
fi
exec unshare --net -- bash -c 'ip link set lo up && exec "$@"' netns-run "$@"
