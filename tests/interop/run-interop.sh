#!/bin/sh
# run-interop.sh: the browser interop tests (meson test --suite interop), or their npm install.
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   tests/interop/run-interop.sh --install-only
#       Installs the npm dependencies (package-lock.json) into tests/interop/node_modules, unless
#       they are there already. Needs the npm registry: run it before any network-less test run.
#   tests/interop/run-interop.sh
#       Runs interop.test.mjs with Node's test runner and prints TAP on stdout. Needs
#       BEACON_CLI (meson test sets it), /usr/bin/chromium and the npm dependencies; tries to
#       install them (bounded) if they are missing, and fails with a clear message if that fails.
#
# Whatever way it ends, beacon-cli and Chromium processes started by the tests are killed.

set -u

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
stamp="$here/node_modules/.beacon-interop-lock"

say() {
  # stdout carries TAP only.
  echo "run-interop.sh: $*" >&2
}

deps_current() {
  [ -f "$here/node_modules/gstwebrtc-api/package.json" ] &&
    [ -f "$here/node_modules/playwright-core/package.json" ] &&
    [ -f "$stamp" ] && cmp -s "$here/package-lock.json" "$stamp"
}

# install_deps SECONDS [NPM OPTIONS…]
install_deps() {
  limit=$1
  shift
  if ! command -v npm >/dev/null 2>&1; then
    say "npm is missing (apt-get install npm)"
    return 1
  fi
  say "installing the npm dependencies into $here/node_modules"
  # No install scripts: neither package needs one, and playwright-core must not fetch browsers.
  if ! timeout "$limit" npm ci --prefix "$here" --no-audit --no-fund --ignore-scripts \
       --loglevel=warn "$@" >&2; then
    say "npm ci failed"
    return 1
  fi
  cp "$here/package-lock.json" "$stamp"
}

if [ "${1:-}" = "--install-only" ]; then
  if deps_current; then
    say "npm dependencies are up to date"
    exit 0
  fi
  install_deps 600 || exit 1
  exit 0
elif [ $# -gt 0 ]; then
  say "usage: run-interop.sh [--install-only]"
  exit 2
fi

if ! command -v node >/dev/null 2>&1; then
  echo "Bail out! node is missing (apt-get install nodejs)"
  exit 1
fi
if ! deps_current; then
  # Normally done beforehand with --install-only; without a registry this fails fast.
  if ! install_deps 120 --fetch-retries=1 --fetch-retry-mintimeout=2000 \
       --fetch-retry-maxtimeout=5000 --fetch-timeout=20000; then
    echo "Bail out! npm dependencies missing in tests/interop/node_modules and npm ci failed:" \
         "run tests/interop/run-interop.sh --install-only while the npm registry is reachable"
    exit 1
  fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/beacon-interop-run.XXXXXX") || exit 1
pidfile="$work/pids"
: > "$pidfile"
node_pid=

cleanup() {
  status=$?
  trap - EXIT INT TERM HUP
  # Fast first: meson sends SIGTERM to the test's process group and SIGKILL 0.5 s later, and
  # Chromium runs in a process group of its own, out of its reach.
  if [ -s "$pidfile" ]; then
    while read -r kind pid label; do
      case "$kind" in
        group) kill -KILL -- "-$pid" 2>/dev/null ;;
        pid) kill -KILL "$pid" 2>/dev/null ;;
      esac
    done < "$pidfile"
  fi
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null
    i=0
    while [ $i -lt 3 ] && kill -0 "$node_pid" 2>/dev/null; do
      sleep 0.1
      i=$((i + 1))
    done
    kill -KILL "$node_pid" 2>/dev/null
  fi
  # Killed processes may still be writing in Chromium's profile for a moment.
  rm -rf "$work" 2>/dev/null || { sleep 0.3; rm -rf "$work"; }
  exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# TMPDIR: the tests' temporary files (certificates, data dirs, Chromium's profile) go in $work.
BEACON_INTEROP_PIDFILE="$pidfile" TMPDIR="$work" \
  node --test-reporter=tap "$here/interop.test.mjs" &
node_pid=$!
wait "$node_pid"
status=$?
node_pid=
exit "$status"
