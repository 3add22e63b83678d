#!/bin/sh
# bench-loss.sh — loss recovery figures, printed, never asserted: one viewer of a 1280x720,
# 30 fps `serve --source test` with 0, 2, 5 and 10 % of all UDP packets dropped on loopback
# (nftables, both ways), each for BEACON_BENCH_SECONDS (default 20):
#   * first-frame-ms (connect start → first decoded frame, with the loss already on)
#   * decoded % of the frames the broadcaster encoded, and the encoder's frame rate
#   * the longest freeze (gap between decoded frames) and the NACKs, RTX packets and PLIs
#     the viewer sent or received (from both `--report` files)
# The same impairment can be put in front of a browser to compare.
#
#   tests/bench/bench-loss.sh [BUILD_DIR] [LOSS_PERCENT...]
#
# Runs in a private network namespace (as root, needs nft) so that nothing leaves the machine.

set -eu
build=${1:-_build}
[ $# -gt 0 ] && shift
cli=$(cd "$build" && pwd)/src/cli/beacon-cli
here=$(cd "$(dirname "$0")" && pwd)

[ $# -gt 0 ] || set -- 0 2 5 10
BEACON_CLI=$cli exec python3 "$here/../impairment/loss.py" --bench "$@"
