#!/usr/bin/env python3
# bandwidth.py
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bandwidth adaptation with one encoder, with real processes: `beacon-cli serve --source test`
at 1280x720, 30 fps and two `beacon-cli watch` in this test's own network namespace. The
limited viewer receives on its own loopback address (127.0.0.2), where nftables drops the UDP
above 100 kbytes/s (800 kbit/s); the other viewer's path is not limited.

Over MEASURE_SECONDS, after both show a picture:
  * the limited viewer decodes at least 15 fps and never freezes longer than 2 s;
  * the unlimited one decodes at least 28 fps, and its bitrate stays well above the limited
    one's (the encoder does not follow the narrow viewer).

The test picture is a moving colour gamut (BEACON_TEST_PATTERN), which costs the encoder what
it is given, unlike the default ball. Prints TAP, with the figures (each viewer's fps, longest
freeze and bitrate; the encoder's rates and the estimates each second) as comments.

On a machine too slow to encode 1280x720 at 30 fps, the two fps checks are skipped (TAP
SKIP, with the encoder's fps); two relative ones always hold: the limited viewer decodes
80 % of the base layer's frames (half of those encoded), the other 90 % of all. BEACON_BANDWIDTH_SIZE=WxH changes the picture size, to look at
the adaptation where the CPU does not keep up.

  BEACON_CLI=_build/src/cli/beacon-cli tests/impairment/bandwidth.py
"""

import json
import os
import subprocess
import sys
import tempfile
import time

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import loss  # noqa: E402  (the namespace, the processes and the reports)

MEASURE_SECONDS = 30
LIMIT_KBYTES = 100
LIMITED_ADDRESS = '127.0.0.2'
MIN_LIMITED_FPS = 15
MAX_FREEZE_MS = 2000
MIN_UNLIMITED_FPS = 28
# The fps bounds assume the broadcaster encodes about 30 fps.
MIN_ENCODED_FPS = 29
RELATIVE_LIMITED = 0.8
RELATIVE_UNLIMITED = 0.9
# The unlimited viewer's bitrate must stay at least this many times the limited one's.
MIN_BITRATE_RATIO = 1.5
PATTERN = 'pattern=gamut horizontal-speed=2'


def set_limit(signaling_port=None):
    """Limits the UDP to LIMITED_ADDRESS (None removes the rules); other TCP than the
    signaling is dropped so that ICE cannot move the media to ICE-TCP."""
    subprocess.run(['nft', 'delete', 'table', 'inet', 'beacon_bandwidth'],
                   stderr=subprocess.DEVNULL)
    if signaling_port is None:
        return
    loss.nft('add', 'table', 'inet', 'beacon_bandwidth')
    loss.nft('add', 'chain', 'inet', 'beacon_bandwidth', 'input',
             '{ type filter hook input priority 0; }')
    for direction in ('dport', 'sport'):
        loss.nft('add', 'rule', 'inet', 'beacon_bandwidth', 'input', 'tcp', direction,
                 str(signaling_port), 'accept')
    loss.nft('add', 'rule', 'inet', 'beacon_bandwidth', 'input', 'meta', 'l4proto', 'tcp',
             'drop')
    loss.nft('add', 'rule', 'inet', 'beacon_bandwidth', 'input', 'ip', 'daddr',
             LIMITED_ADDRESS, 'meta', 'l4proto', 'udp', 'limit', 'rate', 'over',
             f'{LIMIT_KBYTES}', 'kbytes/second', 'drop')


class Run(loss.Run):
    def watch_from(self, name, url, address):
        report = os.path.join(self.work, name + '.json')
        process = self.start(name, ['watch', url, '--ice-address', address,
                                    '--report', report])
        return process, report


def stats_of(report):
    data, mtime = loss.read_report(report)
    return (data or {}).get('stats', {}), mtime


def measure(run, seconds):
    set_limit(None)
    width, height = (int(x) for x in os.environ.get('BEACON_BANDWIDTH_SIZE', '1280x720').split('x'))
    server, url, server_report = run.serve('serve', width, height)
    set_limit(loss.port_of(url))
    viewers = {'limited': run.watch_from('watch-limited', url, LIMITED_ADDRESS),
               'unlimited': run.watch_from('watch-unlimited', url, '127.0.0.1')}
    figures = {'timeline': []}
    try:
        for name, (process, report) in viewers.items():
            figures[name] = {'first_frame_ms': loss.wait_for_first_frame(process, report)}
        if None in [figures[name]['first_frame_ms'] for name in viewers]:
            return figures
        start = {name: loss.sample(report, ['frames_decoded', 'bytes_received'])
                 for name, (_, report) in viewers.items()}
        e0 = loss.sample(server_report, ['frames_encoded'])
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            time.sleep(1)
            stats, _ = stats_of(server_report)
            bandwidth = stats.get('bandwidth', {})
            figures['timeline'].append({
                't': round(time.monotonic() - t0),
                'encoder_kbps': bandwidth.get('encoder_kbps'),
                'base_kbps': bandwidth.get('base_layer_kbps'),
                'viewers': [(v.get('estimate_kbps'), v.get('layers'), v.get('sent_video_kbps'),
                             round(v.get('loss_percent', 0)))
                            for v in bandwidth.get('viewers', [])]})
        e1 = loss.sample(server_report, ['frames_encoded'])
        figures['encoded_fps'] = round((e1[1][0] - e0[1][0]) / max(0.001, e1[0] - e0[0]), 1)
        for name, (process, report) in viewers.items():
            t1, v1 = loss.sample(report, ['frames_decoded', 'bytes_received'])
            t, v = start[name]
            dt = max(0.001, t1 - t)
            figures[name]['fps'] = round((v1[0] - v[0]) / dt, 1)
            figures[name]['kbps'] = round((v1[1] - v[1]) * 8 / dt / 1000)
            figures[name]['udp'] = loss.media_over_udp(report)
    finally:
        for process, _ in viewers.values():
            run.stop(process)
        set_limit(None)
        run.stop(server)
    for name, (_, report) in viewers.items():
        figures[name]['longest_freeze_ms'] = stats_of(report)[0].get('longest_freeze_ms')
    return figures


def main():
    status, cli = loss.prerequisites()
    if status is not None:
        return status
    os.environ['BEACON_TEST_PATTERN'] = PATTERN

    work = tempfile.mkdtemp(prefix='beacon-bandwidth-')
    run = Run(cli, work)
    tap = loss.Tap()
    try:
        print('1..8', flush=True)
        f = measure(run, MEASURE_SECONDS)
        for point in f['timeline']:
            print(f'# {json.dumps(point)}', flush=True)
        limited, unlimited = f.get('limited', {}), f.get('unlimited', {})
        encoded_fps = f.get('encoded_fps') or 0
        # A machine that cannot encode 1280x720 in real time (a loaded CI runner) leaves
        # the viewers fewer frames than the fps bounds assume: those two are then skipped,
        # saying so, and the others still hold.
        slow = '' if encoded_fps >= MIN_ENCODED_FPS else \
            f' # SKIP the broadcaster encoded only {encoded_fps} fps on this machine'
        tap.check(limited.get('first_frame_ms') is not None and
                  unlimited.get('first_frame_ms') is not None, 'both viewers show a picture',
                  {'encoded_fps': encoded_fps, 'limited': limited, 'unlimited': unlimited})
        tap.check(limited.get('udp') is True and unlimited.get('udp') is True,
                  'the media goes over UDP, where the limit is')
        tap.check(slow != '' or (limited.get('fps') or 0) >= MIN_LIMITED_FPS,
                  f'the limited viewer decodes at least {MIN_LIMITED_FPS} fps{slow}')
        tap.check(limited.get('longest_freeze_ms') is not None and
                  limited['longest_freeze_ms'] <= MAX_FREEZE_MS,
                  f'the limited viewer never freezes longer than {MAX_FREEZE_MS} ms')
        tap.check(slow != '' or (unlimited.get('fps') or 0) >= MIN_UNLIMITED_FPS,
                  f'the unlimited viewer decodes at least {MIN_UNLIMITED_FPS} fps{slow}')
        # On any machine: the limited viewer decodes most of the base layer's frames (every
        # other one), the other nearly every frame the broadcaster encoded.
        tap.check((limited.get('fps') or 0) >= RELATIVE_LIMITED * encoded_fps / 2,
                  f'the limited viewer decodes at least {RELATIVE_LIMITED:.0%} of the base '
                  'layer\'s frames')
        tap.check((unlimited.get('fps') or 0) >= RELATIVE_UNLIMITED * encoded_fps,
                  f'the unlimited viewer decodes at least {RELATIVE_UNLIMITED:.0%} of the frames '
                  'encoded')
        tap.check((unlimited.get('kbps') or 0) >=
                  MIN_BITRATE_RATIO * max(1, limited.get('kbps') or 0),
                  'the unlimited viewer\'s bitrate does not fall to the limited one\'s')
        return 1 if tap.failed else 0
    finally:
        run.finish('BEACON_BANDWIDTH_KEEP')
        set_limit(None)


if __name__ == '__main__':
    sys.exit(main())
