#!/bin/sh
# tests/fuzz/run-fuzzers.sh — run every libFuzzer target for a while, and its old crashes.
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tests/fuzz/run-fuzzers.sh BUILD_DIR SECONDS
#
# BUILD_DIR is a clang build with -Dfuzzing=true (CC=clang meson setup BUILD_DIR -Dfuzzing=true
# -Dtests=false). For each target fuzz-NAME: every input in regressions/NAME/ runs once, then
# the fuzzer runs SECONDS on a copy of corpus/NAME/ (the copy grows; the seeds in the tree do
# not churn), with dict/NAME.dict when there is one. A crash, a sanitizer report, a leak or a
# timeout fails the script; the input that caused it is kept in BUILD_DIR/fuzz-crashes/NAME/
# and its path printed: copy it into regressions/NAME/ once the bug is fixed.

set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi

build_dir=$(cd "$1" && pwd)
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/beacon-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

status=0
# One TAP line per target, for build-aux/count-test-cases.py.
results="$build_dir/fuzz-results.tap"
: >"$results"
case_number=0

result () {
  case_number=$((case_number + 1))
  echo "$1 $case_number - $2" >>"$results"
}

report_crash () {
  name=$1
  log=$2
  echo "FAIL: fuzz-$name" >&2
  tail -n 40 "$log" >&2
  # libFuzzer names the input it saved: "Test unit written to PATH".
  sed -n 's/.*Test unit written to \(.*\)$/crashing input: \1/p' "$log" >&2
  status=1
}

for corpus in "$here"/corpus/*/; do
  name=$(basename "$corpus")
  exe="$build_dir/tests/fuzz/fuzz-$name"
  dict="$here/dict/$name.dict"
  crashes="$build_dir/fuzz-crashes/$name"
  log="$work/$name.log"

  if [ ! -x "$exe" ]; then
    echo "FAIL: $exe is missing: build $build_dir with -Dfuzzing=true first" >&2
    result "not ok" "fuzz-$name (not built)"
    status=1
    continue
  fi
  set --
  if [ -f "$dict" ]; then
    set -- "-dict=$dict"
  fi
  mkdir -p "$crashes"

  # Inputs that crashed a target once: each runs once and must pass now.
  if [ -d "$here/regressions/$name" ] && [ -n "$(ls -A "$here/regressions/$name")" ]; then
    if "$exe" -runs=0 "$here/regressions/$name"/* >"$log" 2>&1; then
      echo "ok: fuzz-$name regressions ($(ls "$here/regressions/$name" | wc -l) inputs)"
    else
      echo "FAIL: fuzz-$name crashes on a regression input:" >&2
      grep -E '^Running: |ERROR|==[0-9]+==|FATAL|CRITICAL' "$log" | tail -n 20 >&2
      result "not ok" "fuzz-$name regressions"
      status=1
      continue
    fi
  fi

  cp -R "$corpus" "$work/corpus-$name"
  if "$exe" "$@" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$work/corpus-$name" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "ok: fuzz-$name ${seconds}s, ${runs:-?} runs"
    result "ok" "fuzz-$name ${seconds}s, ${runs:-?} runs"
  else
    report_crash "$name" "$log"
    result "not ok" "fuzz-$name"
  fi
done

exit $status
