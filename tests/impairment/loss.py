#!/usr/bin/env python3
# loss.py
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Loss recovery on a lossy network, with real processes: `beacon-cli serve --source test` and
`beacon-cli watch` in this test's own network namespace, nftables dropping UDP on loopback.

  * 5 % random loss of every UDP packet, both ways (all of them cross lo's input hook; TCP
    other than the signaling is blocked so that ICE cannot dodge the loss over ICE-TCP), for
    LOSS_SECONDS at 1280x720, 30 fps: the viewer decodes at least 90 % of the frames the
    broadcaster encodes, no freeze lasts longer than 1 s, and both reports count NACKs and
    retransmissions.
  * A key frame storm: viewers that ask for a key frame every 50 ms (`watch
    --request-key-frames 50`, sent as real PLIs) do not make the shared encoder force more
    than one key frame per 500 ms.

Prints TAP. With --bench LOSS... it prints the figures at those loss percentages instead and
asserts nothing (tests/bench/bench-loss.sh).

  BEACON_CLI=_build/src/cli/beacon-cli tests/impairment/loss.py [--bench 0 2 5 10]
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

LOSS_SECONDS = 30
STORM_SECONDS = 10
STORM_VIEWERS = 3
# The broadcaster forces at most one key frame per this (KEY_FRAME_MIN_INTERVAL_MS).
KEY_FRAME_MIN_INTERVAL = 0.5
# Its periodic key frames (KEY_FRAME_INTERVAL_SECONDS).
KEY_FRAME_INTERVAL = 2.0
MIN_DECODED_RATIO = 0.90
MAX_FREEZE_MS = 1000
# Every wait is bounded: joining takes a few seconds on a loaded machine, never this long.
JOIN_TIMEOUT = 45


def in_own_namespace():
    """Re-runs this script in a new network namespace with lo up, once."""
    if os.environ.get('BEACON_LOSS_IN_NAMESPACE') == '1':
        return None
    env = dict(os.environ, BEACON_LOSS_IN_NAMESPACE='1')
    command = ['unshare', '-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"',
               sys.executable] + sys.argv
    return subprocess.run(command, env=env).returncode


def nft(*args):
    subprocess.run(['nft'] + list(args), check=True)


def set_loss(percent, signaling_port=None):
    """Drops @percent % of all UDP on lo (None removes the rules). With @signaling_port, all
    other TCP is dropped too: ICE would otherwise move the media to an ICE-TCP pair, where
    the loss does not reach it (TCP retransmits on its own). The signaling stays untouched."""
    subprocess.run(['nft', 'delete', 'table', 'inet', 'beacon_loss'],
                   stderr=subprocess.DEVNULL)
    if percent is None:
        return
    nft('add', 'table', 'inet', 'beacon_loss')
    nft('add', 'chain', 'inet', 'beacon_loss', 'input',
        '{ type filter hook input priority 0; }')
    if signaling_port is not None:
        for direction in ('dport', 'sport'):
            nft('add', 'rule', 'inet', 'beacon_loss', 'input', 'tcp', direction,
                str(signaling_port), 'accept')
        nft('add', 'rule', 'inet', 'beacon_loss', 'input', 'meta', 'l4proto', 'tcp', 'drop')
    if percent > 0:
        nft('add', 'rule', 'inet', 'beacon_loss', 'input', 'meta', 'l4proto', 'udp',
            'numgen', 'random', 'mod', '100', '<', str(percent), 'drop')


def port_of(url):
    """The port of a wss://host:port/… link."""
    return int(url.split('://', 1)[1].split('/', 1)[0].rsplit(':', 1)[1])


def media_over_udp(report):
    """Whether the report's selected candidate pair carries the media over UDP."""
    data, _ = read_report(report)
    candidate = ((data or {}).get('ice') or {}).get('local_candidate') or ''
    return ' udp ' in f' {candidate.lower()} ' 


def read_report(path):
    """The report and when it was written, or (None, None) while it is being replaced."""
    try:
        mtime = os.stat(path).st_mtime
        with open(path) as f:
            return json.load(f), mtime
    except (OSError, ValueError):
        return None, None


class Run:
    def __init__(self, cli, work):
        self.cli = cli
        self.work = work
        self.processes = []

    def start(self, name, args):
        env = dict(os.environ, BEACON_DATA_DIR=os.path.join(self.work, name))
        out = open(os.path.join(self.work, name + '.out'), 'w')
        err = open(os.path.join(self.work, name + '.err'), 'w')
        process = subprocess.Popen([self.cli] + args, stdout=out, stderr=err, env=env)
        self.processes.append(process)
        return process

    def serve(self, name, width, height):
        report = os.path.join(self.work, name + '.json')
        process = self.start(name, ['serve', '--bind', '127.0.0.1', '--port', '0',
                                    '--source', 'test', '--width', str(width),
                                    '--height', str(height), '--fps', '30',
                                    '--ice-address', '127.0.0.1', '--report', report])
        out = os.path.join(self.work, name + '.out')
        deadline = time.monotonic() + JOIN_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            with open(out) as f:
                for line in f:
                    if line.startswith('watch: '):
                        return process, line.split(' ', 1)[1].strip(), report
            time.sleep(0.1)
        raise RuntimeError('the broadcaster did not start: ' +
                           open(os.path.join(self.work, name + '.err')).read()[-2000:])

    def watch(self, name, url, extra=()):
        report = os.path.join(self.work, name + '.json')
        process = self.start(name, ['watch', url, '--ice-address', '127.0.0.1',
                                    '--report', report] + list(extra))
        return process, report

    def stop(self, process):
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self):
        for process in self.processes:
            self.stop(process)


def wait_for_first_frame(process, report):
    deadline = time.monotonic() + JOIN_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        data, _ = read_report(report)
        if data and data.get('first_frame_ms') is not None and \
           data.get('stats', {}).get('frames_decoded', 0) > 0:
            return data['first_frame_ms']
        time.sleep(0.2)
    return None


def sample(report, keys):
    """(time written, values at @keys) of a report that has them all."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        data, mtime = read_report(report)
        if data is not None:
            values = []
            for key in keys:
                value = data.get('stats', {})
                for part in key.split('.'):
                    value = value.get(part) if isinstance(value, dict) else None
                values.append(value)
            if None not in values:
                return mtime, values
        time.sleep(0.1)
    raise RuntimeError(f'{report} has no {keys}')


def measure_loss(run, percent, seconds):
    """Figures of one viewer watching a 1280x720 broadcast with @percent % UDP loss."""
    set_loss(None)
    server, url, server_report = run.serve(f'serve-{percent}', 1280, 720)
    set_loss(percent, port_of(url))
    viewer, viewer_report = run.watch(f'watch-{percent}', url)
    figures = {'loss_percent': percent}
    try:
        first_frame_ms = wait_for_first_frame(viewer, viewer_report)
        figures['first_frame_ms'] = first_frame_ms
        if first_frame_ms is None:
            return figures
        figures['udp'] = media_over_udp(viewer_report)
        # Rates from the reports' own write times: each is rewritten about once a second.
        d0 = sample(viewer_report, ['frames_decoded'])
        e0 = sample(server_report, ['frames_encoded'])
        time.sleep(seconds)
        d1 = sample(viewer_report, ['frames_decoded'])
        e1 = sample(server_report, ['frames_encoded'])
        decoded_rate = (d1[1][0] - d0[1][0]) / max(0.001, d1[0] - d0[0])
        encoded_rate = (e1[1][0] - e0[1][0]) / max(0.001, e1[0] - e0[0])
        figures['decoded_fps'] = round(decoded_rate, 1)
        figures['encoded_fps'] = round(encoded_rate, 1)
        figures['decoded_percent'] = round(100 * decoded_rate / max(0.001, encoded_rate), 1)
        # The last second's health, as the windows show it: printed, not asserted.
        health = (read_report(viewer_report)[0] or {}).get('stats', {}).get('health') or {}
        viewers = (read_report(server_report)[0] or {}).get('stats', {}).get('viewers') or [{}]
        for key in ('bitrate_kbps', 'fps', 'loss_percent', 'jitter_ms', 'nack'):
            figures['viewer_health_' + key] = health.get(key)
        for key in ('bitrate_kbps', 'loss_percent', 'rtt_ms', 'nack'):
            figures['server_health_' + key] = viewers[0].get(key)
    finally:
        run.stop(viewer)
        set_loss(None)
        run.stop(server)
    viewer_stats = (read_report(viewer_report)[0] or {}).get('stats', {})
    server_stats = (read_report(server_report)[0] or {}).get('stats', {})
    figures['longest_freeze_ms'] = viewer_stats.get('longest_freeze_ms')
    for key in ('nack_sent', 'retransmitted_received', 'packets_lost', 'pli_sent'):
        figures['viewer_' + key] = viewer_stats.get(key)
    for key in ('nack_received', 'retransmitted_sent', 'pli_received'):
        figures['server_' + key] = server_stats.get(key)
    return figures


def measure_storm(run, seconds):
    """Key frames a broadcaster forces while STORM_VIEWERS viewers each ask for one every
    50 ms. Their RTP sessions send PLIs no faster than RTCP timing allows (about 1 to 4 a
    second each), so more than one viewer makes sure the limit is reached."""
    server, url, server_report = run.serve('serve-storm', 320, 180)
    viewers = [run.watch(f'watch-storm-{i}', url, ['--request-key-frames', '50'])
               for i in range(STORM_VIEWERS)]
    viewer, viewer_report = viewers[0]
    figures = {}
    try:
        if None in [wait_for_first_frame(v, r) for v, r in viewers]:
            return figures
        keys = ['key_frames.requested', 'key_frames.forced', 'key_frames.encoded']
        t0, v0 = sample(server_report, keys)
        time.sleep(seconds)
        t1, v1 = sample(server_report, keys)
        figures['seconds'] = round(t1 - t0, 2)
        figures['requested'], figures['forced'], figures['encoded'] = \
            [b - a for a, b in zip(v0, v1)]
    finally:
        for v, _ in viewers:
            run.stop(v)
        run.stop(server)
    figures['viewers_pli_sent'] = [(read_report(r)[0] or {}).get('stats', {}).get('pli_sent')
                                   for _, r in viewers]
    return figures


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = False

    def check(self, passed, name, details=None):
        self.n += 1
        self.failed |= not passed
        print(f'{"ok" if passed else "not ok"} {self.n} - {name}', flush=True)
        if details is not None:
            print(f'# {json.dumps(details)}', flush=True)


def main():
    status = in_own_namespace()
    if status is not None:
        return status
    cli = os.environ.get('BEACON_CLI')
    if not cli:
        print('1..0 # SKIP BEACON_CLI is not set to the beacon-cli binary')
        return 0
    if shutil.which('nft') is None:
        if os.environ.get('BEACON_TEST_REQUIRE_SERVERS') == '1':
            print('1..1\nnot ok 1 - nft (nftables) is missing: build-aux/setup installs it')
            return 1
        print('1..0 # SKIP nft (nftables) is missing')
        return 0

    work = tempfile.mkdtemp(prefix='beacon-loss-')
    run = Run(cli, work)
    try:
        if '--bench' in sys.argv:
            percents = [int(a) for a in sys.argv[sys.argv.index('--bench') + 1:]] or [0, 2, 5, 10]
            seconds = int(os.environ.get('BEACON_BENCH_SECONDS', '20'))
            print('loss  first-frame-ms  decoded%  enc-fps  longest-freeze-ms  '
                  'nack-sent  rtx-received  pli-sent  udp')
            for percent in percents:
                f = measure_loss(run, percent, seconds)
                print(f"{percent:3d}%  {f.get('first_frame_ms')!s:>14}  "
                      f"{f.get('decoded_percent')!s:>8}  {f.get('encoded_fps')!s:>7}  "
                      f"{f.get('longest_freeze_ms')!s:>17}  {f.get('viewer_nack_sent')!s:>9}  "
                      f"{f.get('viewer_retransmitted_received')!s:>12}  "
                      f"{f.get('viewer_pli_sent')!s:>8}  {f.get('udp')!s:>3}", flush=True)
            return 0

        tap = Tap()
        print('1..7', flush=True)
        f = measure_loss(run, 5, LOSS_SECONDS)
        tap.check(f.get('first_frame_ms') is not None, 'the viewer shows a picture with 5 % loss',
                  f)
        tap.check(f.get('udp') is True, 'the media goes over UDP, where the loss is')
        tap.check((f.get('decoded_percent') or 0) >= 100 * MIN_DECODED_RATIO,
                  f'it decodes at least {100 * MIN_DECODED_RATIO:.0f} % of the frames encoded')
        tap.check(f.get('longest_freeze_ms') is not None and
                  f['longest_freeze_ms'] <= MAX_FREEZE_MS,
                  f'no freeze longer than {MAX_FREEZE_MS} ms')
        tap.check((f.get('viewer_nack_sent') or 0) > 0 and
                  (f.get('viewer_retransmitted_received') or 0) > 0 and
                  (f.get('server_nack_received') or 0) > 0 and
                  (f.get('server_retransmitted_sent') or 0) > 0,
                  'both reports count NACKs and retransmissions')

        s = measure_storm(run, STORM_SECONDS)
        seconds = s.get('seconds', 0)
        # The report is written about once a second: one forced key frame of slack each side.
        most_forced = seconds / KEY_FRAME_MIN_INTERVAL + 2
        tap.check(s.get('requested', 0) > most_forced,
                  'the storming viewer asks for more key frames than the limit', s)
        tap.check(s.get('forced', most_forced + 1) <= most_forced and
                  s.get('encoded', 0) <= most_forced + seconds / KEY_FRAME_INTERVAL + 2,
                  'the encoder forces at most one key frame per '
                  f'{KEY_FRAME_MIN_INTERVAL * 1000:.0f} ms')
        return 1 if tap.failed else 0
    finally:
        run.stop_all()
        set_loss(None)
        if os.environ.get('BEACON_LOSS_KEEP') != '1':
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f'# kept {work}', flush=True)


if __name__ == '__main__':
    sys.exit(main())
