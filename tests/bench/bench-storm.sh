#!/bin/sh
# bench-storm.sh — figures of the direct server under the abuse storm of tests/abuse/storm.py,
# printed, never asserted: peak RSS, fds and threads, the honest viewer's frame rate during
# the storm, and the connections the server accepted and refused.
#
#   tests/bench/bench-storm.sh [BUILD_DIR] [JSON_FILE]
#
# Runs in a private network namespace (as root) so that nothing leaves the machine.

set -eu
build=${1:-_build}
json=${2:-storm-bench.json}
here=$(cd "$(dirname "$0")" && pwd)

if [ "${BEACON_BENCH_IN_NAMESPACE:-}" != 1 ] && [ "$(id -u)" -eq 0 ]; then
  BEACON_BENCH_IN_NAMESPACE=1 exec unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

BEACON_CLI=$(cd "$build" && pwd)/src/cli/beacon-cli \
  exec python3 "$here/../abuse/storm.py" --bench --json "$json"
