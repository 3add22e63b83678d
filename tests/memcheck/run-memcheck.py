#!/usr/bin/env python3
# run-memcheck.py
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""A broadcast under valgrind memcheck: `beacon-cli serve --source test` with two viewers
(`beacon-cli watch`, not under valgrind) that join, watch and leave one after the other and then
together, stopped cleanly with SIGTERM. Fails when a definitely lost block was allocated with a
Beacon function (a frame in src/) on its stack, or when memcheck found an invalid read, write or
free anywhere. Leaks that only GLib, GStreamer, OpenSSL and the other libraries make are listed
in beacon.supp next to this file, each with the reason it is not Beacon's.

Run it in a network namespace with only loopback (the test suite's environment); ICE gathers
only on 127.0.0.1.

  BEACON_CLI=_build/src/cli/beacon-cli tests/memcheck/run-memcheck.py [--keep DIR]

Prints TAP. MEMCHECK_TIME_SCALE (default 1) stretches its waits on a slow machine.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from beacon_tap import Tap  # noqa: E402

SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))
SUPPRESSIONS = os.path.join(HERE, 'beacon.supp')
SCALE = max(1.0, float(os.environ.get('MEMCHECK_TIME_SCALE', '1')))

# Under memcheck the server runs 20 to 50 times slower: it gets a small picture and few frames
# per second, and everything waits long. Its own producer connection's TLS handshake alone
# takes longer than the default 10 s the server gives a handshake.
SERVE_ARGS = ['serve', '--bind', '127.0.0.1', '--port', '0', '--source', 'test',
              '--width', '160', '--height', '120', '--fps', '10',
              '--ice-address', '127.0.0.1', '--handshake-timeout', '300',
              '--idle-timeout', '300', '--session-answer-timeout', '300',
              '--connect-timeout', '300']
VIEWER_FRAMES = 10
START_SECONDS = 180 * SCALE
VIEWER_SECONDS = 240 * SCALE
EXIT_SECONDS = 180 * SCALE

# Errors memcheck reports that are memory errors, not leaks: any of them fails the run.
MEMORY_ERRORS = ('InvalidRead', 'InvalidWrite', 'InvalidFree', 'MismatchedFree',
                 'InvalidMemPool', 'Overlap', 'UninitCondition', 'UninitValue')


def log_tail(path, lines=15):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return ''


def start_serve(cli, work):
    env = dict(os.environ, BEACON_DATA_DIR=os.path.join(work, 'serve'),
               G_SLICE='always-malloc', G_DEBUG='gc-friendly')
    # GStreamer's plugin scanner and the gst-plugin helpers are other programs: only
    # beacon-cli itself is checked.
    command = ['valgrind', '--tool=memcheck', '--leak-check=full',
               '--show-leak-kinds=definite', '--errors-for-leak-kinds=definite',
               '--num-callers=40', '--suppressions=' + SUPPRESSIONS,
               '--xml=yes', '--xml-file=' + os.path.join(work, 'memcheck.xml'),
               '--log-file=' + os.path.join(work, 'memcheck.log'), cli] + SERVE_ARGS
    out = open(os.path.join(work, 'serve.out'), 'wb')
    err = open(os.path.join(work, 'serve.log'), 'wb')
    return subprocess.Popen(command, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)


def wait_for_link(serve, work):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and serve.poll() is None:
        try:
            with open(os.path.join(work, 'serve.out'), errors='replace') as f:
                for line in f:
                    if line.startswith('watch: '):
                        return line[len('watch: '):].strip()
        except OSError:
            pass
        time.sleep(0.5)
    return None


def start_viewer(cli, work, name, link):
    env = dict(os.environ, BEACON_DATA_DIR=os.path.join(work, name))
    log = open(os.path.join(work, name + '.log'), 'wb')
    # A server under valgrind can be silent on the signaling channel for longer than a
    # viewer's liveness check allows (4 s) and then slow to accept the reconnection: the
    # viewer keeps trying for as long as it would wait for frames.
    return subprocess.Popen([cli, 'watch', link, '--ice-address', '127.0.0.1',
                             '--reconnect-timeout', str(int(VIEWER_SECONDS)),
                             '--connect-timeout', str(int(VIEWER_SECONDS)),
                             '--frames', str(VIEWER_FRAMES),
                             '--timeout', str(int(VIEWER_SECONDS))],
                            env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL)


def wait(process, seconds):
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def frame_text(frame):
    function = frame.findtext('fn') or frame.findtext('ip') or '?'
    where = frame.findtext('file')
    if where:
        return f'{function} ({where}:{frame.findtext("line")})'
    return f'{function} ({os.path.basename(frame.findtext("obj") or "?")})'


def is_beacon_frame(frame):
    # The build names sources relative to the build directory (_build/../src/core/…).
    directory = os.path.normpath(frame.findtext('dir') or '/')
    return (directory + os.sep).startswith(os.path.join(SOURCE_ROOT, 'src') + os.sep)


def read_errors(path):
    """The errors of memcheck's XML report, as (kind, what, frames)."""
    errors = []
    tree = ElementTree.parse(path)
    for error in tree.getroot().iter('error'):
        kind = error.findtext('kind') or ''
        what = error.findtext('xwhat/text') or error.findtext('what') or ''
        stack = error.find('stack')
        frames = list(stack.iter('frame')) if stack is not None else []
        errors.append((kind, what, frames))
    return errors


def main():
    keep = sys.argv[sys.argv.index('--keep') + 1] if '--keep' in sys.argv else None
    cli = os.environ.get('BEACON_CLI')
    if not cli or not os.access(cli, os.X_OK):
        print('1..0 # SKIP BEACON_CLI is not set to the beacon-cli binary')
        return 0
    if shutil.which('valgrind') is None:
        # build-aux/setup installs valgrind; a machine without it cannot run this check.
        print('1..0 # SKIP valgrind is not installed')
        return 0

    work = keep or tempfile.mkdtemp(prefix='beacon-memcheck-')
    os.makedirs(work, exist_ok=True)
    tap = Tap()

    def check(passed, name, *diagnostics):
        """tap.ok, with the log tails only for a step that failed."""
        return tap.ok(passed, name, *(() if passed else diagnostics))

    print('1..6', flush=True)
    serve = start_serve(cli, work)
    viewers = []
    try:
        link = wait_for_link(serve, work)
        if not check(link is not None, 'the server starts under memcheck and prints its link',
                      log_tail(os.path.join(work, 'serve.log'))):
            return 1

        # One viewer joins and leaves, then two watch at once and leave: the paths a viewer's
        # peer, branch and signalling session take when they are made and torn down.
        first = start_viewer(cli, work, 'viewer-1', link)
        viewers.append(first)
        check(wait(first, VIEWER_SECONDS) == 0, 'a first viewer watches and leaves',
               log_tail(os.path.join(work, 'viewer-1.log')))
        pair = [start_viewer(cli, work, f'viewer-{i}', link) for i in (2, 3)]
        viewers += pair
        codes = [wait(viewer, VIEWER_SECONDS) for viewer in pair]
        check(codes == [0, 0], 'two viewers watch together and leave',
               f'exit codes {codes}', log_tail(os.path.join(work, 'viewer-2.log')),
               log_tail(os.path.join(work, 'viewer-3.log')))

        serve.send_signal(signal.SIGTERM)
        code = wait(serve, EXIT_SECONDS)
        check(code == 0, 'the server stops cleanly on SIGTERM',
               f'exit code {code}', log_tail(os.path.join(work, 'serve.log')),
               log_tail(os.path.join(work, 'memcheck.log')))

        try:
            errors = read_errors(os.path.join(work, 'memcheck.xml'))
        except (OSError, ElementTree.ParseError) as error:
            check(False, 'memcheck wrote its report', str(error))
            check(False, 'no definite leak in Beacon')
            return 1
        leaks = [e for e in errors if e[0] == 'Leak_DefinitelyLost']
        memory = [e for e in errors if e[0] in MEMORY_ERRORS]
        check(not memory, 'no invalid read, write or free',
               *[f'{kind}: {what}\n  ' + '\n  '.join(frame_text(f) for f in frames)
                 for kind, what, frames in memory])
        ours = [e for e in leaks if any(is_beacon_frame(f) for f in e[2])]
        for kind, what, frames in leaks:
            if (kind, what, frames) not in ours:
                tap.diag('definitely lost in a library only (add it to beacon.supp): ' + what)
                tap.diag('  ' + '\n  '.join(frame_text(f) for f in frames[:12]))
        check(not ours, 'no definite leak has a Beacon frame on its stack',
               *[f'{what}\n  ' + '\n  '.join(frame_text(f) for f in frames)
                 for _, what, frames in ours])
    finally:
        for viewer in viewers:
            if viewer.poll() is None:
                viewer.kill()
                viewer.wait()
        if serve.poll() is None:
            serve.kill()
            serve.wait()
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
