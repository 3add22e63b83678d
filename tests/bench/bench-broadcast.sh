#!/bin/sh
# bench-broadcast.sh — figures for the direct server, printed, never asserted:
#   * first-frame-ms of viewers joining a running broadcast (connect start → first decoded frame)
#   * the broadcaster's CPU use with 0, 1, 3 and 5 viewers: encoding happens once, so each
#     extra viewer should add only SRTP and sending.
#
#   tests/bench/bench-broadcast.sh [BUILD_DIR] [CODEC] [WIDTHxHEIGHT]
#
# Runs in a private network namespace (as root) so that nothing leaves the machine.

set -eu
build=${1:-_build}
codec=${2:-vp8}
size=${3:-640x360}
cli=$(cd "$build" && pwd)/src/cli/beacon-cli

if [ "${BEACON_BENCH_IN_NAMESPACE:-}" != 1 ] && [ "$(id -u)" -eq 0 ]; then
  BEACON_BENCH_IN_NAMESPACE=1 exec unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

work=$(mktemp -d)
pids=""
trap 'kill $pids 2>/dev/null || true; rm -rf "$work"' EXIT

BEACON_DATA_DIR=$work/server "$cli" serve --bind 127.0.0.1 --port 0 --source test --codec "$codec" \
  --width "${size%x*}" --height "${size#*x}" --ice-address 127.0.0.1 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
pids="$server"
for _ in $(seq 100); do grep -q '^watch: ' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^watch: //p' "$work/serve.out")
[ -n "$url" ] || { echo "the server did not start:"; cat "$work/serve.err"; exit 1; }

cpu_ticks () { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
measure () {  # CPU % of the broadcaster over 5 s
  before=$(cpu_ticks); sleep 5; after=$(cpu_ticks)
  echo $(( (after - before) * 100 / $(getconf CLK_TCK) / 5 ))
}

echo "codec $codec, $size, 30 fps"
echo "viewers 0: broadcaster CPU $(measure)%"
viewers=0
for target in 1 3 5; do
  while [ $viewers -lt $target ]; do
    viewers=$((viewers + 1))
    BEACON_DATA_DIR=$work/viewer$viewers "$cli" watch "$url" --ice-address 127.0.0.1 --timeout 120 \
      >"$work/viewer$viewers.out" 2>&1 &
    pids="$pids $!"
  done
  sleep 3
  echo "viewers $target: broadcaster CPU $(measure)%"
done
for i in $(seq $viewers); do
  echo "viewer $i $(grep first-frame-ms "$work/viewer$i.out" || echo 'first-frame-ms: none')"
done
