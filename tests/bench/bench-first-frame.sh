#!/bin/sh
# bench-first-frame.sh — how long a viewer joining a running broadcast waits for its first
# picture, printed, never asserted: a `serve --source test` at 1280x720, 30 fps, for VP8 and
# H.264, joined by 10 viewers one after the other and then by 5 at once. For each: the median
# and p95 of first-frame-ms (the viewer's session start → first decoded frame), and the
# median of each phase of the viewer's report timeline (the time since the phase before), so
# that a slow start says where its time went. Viewers are returning ones: their identity
# already exists (one join before the measured ones makes it) and is copied for each.
#
#   tests/bench/bench-first-frame.sh [BUILD_DIR] [JSON_FILE] [CODEC...]
#
# Runs in a private network namespace (as root) so that nothing leaves the machine.

set -eu
build=${1:-_build}
json=${2:-first-frame-bench.json}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- vp8 h264
cli=$(cd "$build" && pwd)/src/cli/beacon-cli
case $json in /*) ;; *) json=$(pwd)/$json ;; esac

if [ "${BEACON_BENCH_IN_NAMESPACE:-}" != 1 ] && [ "$(id -u)" -eq 0 ]; then
  BEACON_BENCH_IN_NAMESPACE=1 exec unshare -n sh -c 'ip link set lo up && exec "$0" "$@"' "$0" "$build" "$json" "$@"
fi

sequential=${BEACON_BENCH_SEQUENTIAL:-10}
simultaneous=${BEACON_BENCH_SIMULTANEOUS:-5}
work=$(mktemp -d)
pids=""
trap 'kill $pids 2>/dev/null || true; rm -rf "$work"' EXIT

# watch NAME: one viewer, its report in $work/$codec/NAME.json.
watch () {
  rm -rf "$work/$codec/$1.data"
  cp -r "$work/$codec/template" "$work/$codec/$1.data"
  BEACON_DATA_DIR=$work/$codec/$1.data timeout -k 5 40 "$cli" watch "$url" --ice-address 127.0.0.1 \
    --frames 1 --timeout 30 --report "$work/$codec/$1.json" >"$work/$codec/$1.out" 2>&1 || true
}

for codec in "$@"; do
  mkdir -p "$work/$codec"
  BEACON_DATA_DIR=$work/$codec/server "$cli" serve --bind 127.0.0.1 --port 0 --source test \
    --codec "$codec" --width 1280 --height 720 --fps 30 --ice-address 127.0.0.1 \
    >"$work/$codec/serve.out" 2>"$work/$codec/serve.err" &
  server=$!
  pids="$pids $server"
  for _ in $(seq 100); do grep -q '^watch: ' "$work/$codec/serve.out" 2>/dev/null && break; sleep 0.1; done
  url=$(sed -n 's/^watch: //p' "$work/$codec/serve.out")
  [ -n "$url" ] || { echo "the $codec server did not start:"; cat "$work/$codec/serve.err"; exit 1; }
  sleep 2

  # The returning viewers' identity and pin, made by a join that is not measured.
  BEACON_DATA_DIR=$work/$codec/template timeout -k 5 40 "$cli" watch "$url" --ice-address 127.0.0.1 \
    --frames 1 --timeout 30 >"$work/$codec/template.out" 2>&1 || true

  for i in $(seq "$sequential"); do
    watch "sequential-$i"
    sleep 0.5
  done
  sleep 1
  viewers=""
  for i in $(seq "$simultaneous"); do
    watch "simultaneous-$i" &
    viewers="$viewers $!"
  done
  # Only the viewers: a bare wait would wait for the server too.
  [ -z "$viewers" ] || wait $viewers
  kill "$server"
  wait "$server" 2>/dev/null || true
done

python3 - "$work" "$json" "$@" <<'PYTHON'
import json, os, statistics, sys

work, json_path, codecs = sys.argv[1], sys.argv[2], sys.argv[3:]
# The watching side's timeline, in the order its phases come.
PHASES = ["signaling_connected_ms", "offer_ms", "answer_ms", "ice_connected_ms",
          "dtls_connected_ms", "verified_ms", "first_rtp_ms", "first_key_frame_ms",
          "first_frame_ms"]

def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

def collect(codec, mode):
    joins, phases = [], {phase: [] for phase in PHASES}
    names = sorted(n for n in os.listdir(os.path.join(work, codec))
                   if n.startswith(mode + "-") and n.endswith(".json"))
    for name in names:
        try:
            report = json.load(open(os.path.join(work, codec, name)))
        except (OSError, ValueError):
            continue
        if report.get("first_frame_ms") is None:
            continue
        joins.append(report["first_frame_ms"])
        timeline = report.get("timeline") or {}
        before = 0
        for phase in PHASES:
            at = timeline.get(phase)
            if at is None:
                break
            phases[phase].append(at - before)
            before = at
    result = {"attempts": len(names), "first_frame_ms": joins}
    if joins:
        result["median_ms"] = statistics.median(joins)
        result["p95_ms"] = percentile(joins, 0.95)
    result["phase_median_ms"] = {p: statistics.median(v) for p, v in phases.items() if v}
    return result

results = {"size": "1280x720", "fps": 30}
print("first frame of a viewer joining a running broadcast, 1280x720 at 30 fps "
      "(ms since the viewer's session start)")
print("%-6s %-13s %7s %7s %7s" % ("codec", "joins", "got", "median", "p95"))
for codec in codecs:
    results[codec] = {mode: collect(codec, mode) for mode in ("sequential", "simultaneous")}
    for mode, result in results[codec].items():
        print("%-6s %-13s %3d/%-3d %7s %7s" % (codec, mode, len(result["first_frame_ms"]),
                                              result["attempts"], result.get("median_ms", "-"),
                                              result.get("p95_ms", "-")))
print()
print("median of each phase of the viewer's timeline (ms since the phase before)")
print("%-24s" % "phase" + "".join("%14s" % ("%s %s" % (c, m[:6])) for c in codecs
                                    for m in ("sequential", "simultaneous")))
for phase in PHASES:
    row = "%-24s" % phase[:-3]
    for codec in codecs:
        for mode in ("sequential", "simultaneous"):
            row += "%14s" % results[codec][mode]["phase_median_ms"].get(phase, "-")
    print(row)
with open(json_path, "w") as f:
    json.dump(results, f, indent=2)
print("\nJSON: %s" % json_path)
PYTHON
