#!/usr/bin/env python3
# storm.py
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""An abuse storm against `beacon-cli serve`, with one honest viewer watching through it.

About 200 concurrent WSS and HTTPS clients, each from its own loopback address (127.0.0.2 …),
come and go for STORM_SECONDS: malformed JSON, oversized frames, a 50 MiB message in
fragments, permessage-deflate frames, protocol messages out of order, sessions never
answered, silent TLS connections, slow-loris headers and 150 MiB POST bodies. The storm
clients run in a child process at a lower priority: in real life they are on other machines,
and here they must not take the CPU the server and the honest viewer are measured on.

Prints TAP. With --bench it prints a table of figures instead and asserts nothing; --json FILE
writes the figures in both modes.

  BEACON_CLI=_build/src/cli/beacon-cli tests/abuse/storm.py [--bench] [--json FILE]
"""

import asyncio
import base64
import collections
import json
import logging
import os
import random
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from beacon_tap import Tap  # noqa: E402

STORM_SECONDS = 35
# Every attempt of a storm client ends within this, so the storm ends by STORM_SECONDS + it.
ATTEMPT_LIMIT = 20
# The server's limits these clients run into (the defaults of `beacon-cli serve`).
HANDSHAKE_TIMEOUT = 10
SESSION_ANSWER_TIMEOUT = 15
MAX_MESSAGE = 256 * 1024
MAX_SESSIONS_PER_CONNECTION = 4

# Bounds, chosen from runs on 2 shared cores (December 2026).
#   The honest viewer decodes 30 fps; the issue asks for at least 25 during the storm. Before
#   the storm it got 16 to 30 fps there, depending on the other load of the machine, so
#   BEACON_STORM_MIN_FPS lowers the bound on a machine that cannot decode 30 fps when idle.
MIN_FPS = float(os.environ.get('BEACON_STORM_MIN_FPS', '25'))
#   Peak RSS over the baseline (after a warm-up viewer; 48 MiB). The server takes on at most
#   16 sessions waiting for their viewer (--max-pending-sessions): each is a webrtcbin and a
#   branch of the broadcast, about 9 MiB; the rest of the storm takes about 35 MiB. Measured
#   with that cap: +156 to +185 MiB (glibc keeps most of it after the storm; MALLOC_ARENA_MAX=2
#   changes nothing). Before the cap, 64 connections x 4 sessions took +195 to +205 MiB in
#   35 s and would have grown with a longer storm.
MAX_RSS_GROWTH_KIB = 250 * 1024
#   After the storm and the viewers, fds and threads settle back to the baseline plus this.
FD_TOLERANCE = 4
THREAD_TOLERANCE = 2
SETTLE_SECONDS = 30

# How many storm clients of each kind run at once.
KINDS = {
    'malformed': 25,
    'oversized': 20,
    'fragmented': 15,
    'deflate': 20,
    'out-of-order': 30,
    'never-answer': 15,
    'tls-silent': 25,
    'slow-loris': 25,
    'big-post': 25,
}

ALL_KINDS = dict(KINDS)
# BEACON_STORM_KINDS=never-answer,slow-loris runs only those kinds, to tell their costs apart.
if os.environ.get('BEACON_STORM_KINDS'):
    KINDS = {k: v for k, v in KINDS.items() if k in os.environ['BEACON_STORM_KINDS'].split(',')}


# The storm clients: a child process that prints its counts as JSON.

class Refused(Exception):
    pass


class Storm:
    def __init__(self, host, port, deadline):
        self.host = host
        self.port = port
        self.deadline = deadline
        self.counts = collections.Counter()
        self.notes = collections.defaultdict(list)
        self.producer_id = None
        self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE

    def note(self, kind, value):
        self.notes[kind].append(value)

    async def open_tls(self, local):
        """A TLS connection from @local; Refused when the server shuts it before the
        handshake (its connection limits) or the connection cannot be made."""
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.bind((local, 0))
        try:
            await asyncio.wait_for(loop.sock_connect(sock, (self.host, self.port)), 10)
        except (OSError, asyncio.TimeoutError):
            sock.close()
            self.counts['connect failed'] += 1
            raise Refused()
        try:
            reader, writer = await asyncio.open_connection(
                sock=sock, ssl=self.tls, server_hostname='', ssl_handshake_timeout=15,
                limit=1 << 20)
        except (OSError, ssl.SSLError, asyncio.TimeoutError, EOFError):
            sock.close()
            self.counts['refused'] += 1
            raise Refused()
        self.counts['accepted'] += 1
        return reader, writer

    async def open_ws(self, local):
        reader, writer = await self.open_tls(local)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write((f'GET / HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n'
                      'Upgrade: websocket\r\nConnection: Upgrade\r\n'
                      f'Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n').encode())
        await writer.drain()
        head = await reader.readuntil(b'\r\n\r\n')
        if not head.startswith(b'HTTP/1.1 101'):
            raise ConnectionError('no upgrade: ' + head.split(b'\r\n')[0].decode(errors='replace'))
        ws = WebSocket(reader, writer)
        welcome = await ws.recv_json()
        if welcome.get('type') != 'welcome':
            raise ConnectionError(f'no welcome: {welcome}')
        return ws

    async def client(self, kind, n):
        local = '127.0.0.%d' % (2 + n % 249)
        run = getattr(self, 'run_' + kind.replace('-', '_'))
        while time.monotonic() < self.deadline:
            try:
                await asyncio.wait_for(run(local), ATTEMPT_LIMIT)
                self.counts[kind + ' done'] += 1
            except Refused:
                await asyncio.sleep(random.uniform(0.1, 0.5))
            except asyncio.TimeoutError:
                self.counts[kind + ' outlasted the attempt limit'] += 1
            except (OSError, EOFError, ConnectionError, asyncio.IncompleteReadError,
                    ssl.SSLError, ValueError) as e:
                self.counts[f'{kind} {type(e).__name__}'] += 1
            await asyncio.sleep(random.uniform(0.0, 0.3))

    # Each run_* is one attempt: connect, misbehave, see what the server does.

    async def run_malformed(self, local):
        ws = await self.open_ws(local)
        try:
            for text in ['{', '{"type":', '[]', '"list"', '{"type":42}', '{"type":"nope"}',
                         '{"type":"startSession","peerId":{}}', '\x00' * 100]:
                await ws.send(0x1, text.encode())
                reply = await ws.recv_json()
                if reply.get('type') != 'error':
                    raise ValueError(f'no error for malformed {text!r}: {reply}')
            self.counts['malformed: error replies'] += 1
            # Not valid UTF-8 in a text frame: the connection must be closed.
            await ws.send(0x1, b'{"type":"list"\xff}')
            self.note('malformed-utf8-close', await ws.wait_close())
        finally:
            ws.abort()

    async def one_frame(self, local, note, payload, rsv1=False):
        """Sends one text frame the server must close the connection for."""
        ws = await self.open_ws(local)
        try:
            await ws.send(0x1, payload, rsv1=rsv1)
            self.note(note, await ws.wait_close())
        except ConnectionError:
            self.note(note, 'reset')
        finally:
            ws.abort()

    async def run_oversized(self, local):
        size = MAX_MESSAGE + 44 * 1024
        await self.one_frame(local, 'oversized-close',
                             b'{"type":"list","x":"' + b'a' * (size - 22) + b'"}')

    async def run_fragmented(self, local):
        ws = await self.open_ws(local)
        sent = 0
        fragment = b'x' * (64 * 1024)
        closed = asyncio.ensure_future(ws.wait_close())
        try:
            total = 50 * 1024 * 1024
            while sent < total and not closed.done():
                opcode = 0x1 if sent == 0 else 0x0
                sent += len(fragment)
                await ws.send(opcode, fragment, fin=sent >= total)
                # Let the reader see the server's close: drain () does not wait on a
                # connection that is gone.
                await asyncio.sleep(0)
            code = await asyncio.wait_for(closed, 10)
        except (ConnectionError, OSError):
            code = 'reset'
        finally:
            closed.cancel()
            ws.abort()
        self.note('fragmented-sent-kib', sent // 1024)
        self.note('fragmented-close', code)

    async def run_deflate(self, local):
        # A raw-deflate '{"type":"list"}' with RSV1 set: no extension was agreed.
        await self.one_frame(local, 'deflate-close',
                             bytes.fromhex('ab562aa92c4855b252cac92c2e51aa0500'), rsv1=True)

    async def run_out_of_order(self, local):
        ws = await self.open_ws(local)
        try:
            errors = 0
            for message in [
                {'type': 'setPeerStatus', 'roles': ['producer'], 'meta': {'name': 'evil'}},
                {'type': 'startSession', 'peerId': 'no-such-peer'},
                {'type': 'peer', 'sessionId': 'no-such-session',
                 'sdp': {'type': 'answer', 'sdp': 'v=0\r\n'}},
                {'type': 'peer', 'sessionId': 'no-such-session',
                 'ice': {'candidate': 'candidate:1 1 UDP 1 127.0.0.1 9 typ host',
                         'sdpMLineIndex': 0}},
                {'type': 'endSession', 'sessionId': 'no-such-session'},
                {'type': 'setPeerStatus', 'roles': ['listener'], 'meta': {}},
                {'type': 'list'},
            ]:
                await ws.send_json(message)
            # The list reply must name only the real broadcaster: the producer was refused.
            while True:
                reply = await ws.recv_json()
                if reply.get('type') == 'error':
                    errors += 1
                elif reply.get('type') == 'list':
                    ids = [p.get('id') for p in reply.get('producers', [])]
                    if ws.peer_id in ids:
                        self.counts['out-of-order: became a producer'] += 1
                    break
            self.note('out-of-order-errors', errors)
        finally:
            await ws.close()

    async def run_never_answer(self, local):
        ws = await self.open_ws(local)
        try:
            await ws.send_json({'type': 'list'})
            reply = await ws.recv_json()
            producers = reply.get('producers', []) if reply.get('type') == 'list' else []
            if not producers:
                self.counts['never-answer: no producer listed'] += 1
                return
            producer = producers[0]['id']
            for _ in range(MAX_SESSIONS_PER_CONNECTION + 1):
                await ws.send_json({'type': 'startSession', 'peerId': producer})
            started, ended, errors = set(), set(), 0
            t0 = time.monotonic()
            # Never answer: the server ends the sessions after the answer timeout. Every request
            # gets a reply, a session or a refusal (too many on this connection, or too many
            # waiting on the whole server).
            while len(started) + errors < MAX_SESSIONS_PER_CONNECTION + 1 or ended < started:
                reply = await ws.recv_json()
                kind = reply.get('type')
                if kind == 'sessionStarted':
                    started.add(reply['sessionId'])
                elif kind == 'endSession':
                    ended.add(reply['sessionId'])
                elif kind == 'error':
                    errors += 1
            self.note('never-answer-sessions', len(started))
            self.note('never-answer-refused', errors)
            self.note('never-answer-ended-s', round(time.monotonic() - t0, 1))
        finally:
            await ws.close()

    async def run_tls_silent(self, local):
        reader, writer = await self.open_tls(local)
        t0 = time.monotonic()
        try:
            await reader.read(1)
            self.note('tls-silent-closed-s', round(time.monotonic() - t0, 1))
        finally:
            writer.transport.abort()

    async def run_slow_loris(self, local):
        reader, writer = await self.open_tls(local)
        t0 = time.monotonic()
        head = (f'POST /whep HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n'
                'Content-Type: application/sdp\r\nX-Slow: ' + 'z' * 200).encode()
        closed = asyncio.ensure_future(reader.read(1))
        try:
            for i in range(len(head)):
                if closed.done():
                    break
                writer.write(head[i:i + 1])
                await writer.drain()
                await asyncio.wait([closed], timeout=1.0)
            await closed
            self.note('slow-loris-closed-s', round(time.monotonic() - t0, 1))
        except (ConnectionError, OSError, ssl.SSLError):
            self.note('slow-loris-closed-s', round(time.monotonic() - t0, 1))
        finally:
            closed.cancel()
            writer.transport.abort()

    async def run_big_post(self, local):
        reader, writer = await self.open_tls(local)
        total = 150 * 1024 * 1024
        writer.write((f'POST /whep HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n'
                      f'Content-Type: application/sdp\r\nContent-Length: {total}\r\n\r\n').encode())
        response = asyncio.ensure_future(reader.readuntil(b'\r\n\r\n'))
        sent = 0
        chunk = b'v' * (64 * 1024)
        status = 'none'
        t0 = time.monotonic()
        try:
            while sent < total and not response.done() and not writer.transport.is_closing():
                writer.write(chunk)
                sent += len(chunk)
                await writer.drain()
                await asyncio.sleep(0)
            head = await asyncio.wait_for(response, 10)
            status = head.split(b' ')[1].decode()
        except (ConnectionError, OSError, ssl.SSLError, asyncio.IncompleteReadError):
            status = 'reset'
        finally:
            response.cancel()
            writer.transport.abort()
        self.note('big-post-status', status)
        self.note('big-post-answered-s', round(time.monotonic() - t0, 1))
        self.note('big-post-sent-kib', sent // 1024)

    async def run(self):
        tasks = []
        n = 0
        for kind, count in KINDS.items():
            for _ in range(count):
                tasks.append(asyncio.ensure_future(self.client(kind, n)))
                n += 1
        # Every attempt ends within ATTEMPT_LIMIT; this only guards against a client bug.
        done, pending = await asyncio.wait(tasks, timeout=self.deadline - time.monotonic()
                                           + ATTEMPT_LIMIT + 5)
        for task in pending:
            task.cancel()
        self.counts['clients still running at the end'] += len(pending)


class WebSocket:
    def __init__(self, reader, writer):
        self.reader = reader
        self.writer = writer
        self.peer_id = None

    async def send(self, opcode, payload, fin=True, rsv1=False):
        # asyncio drops writes to a connection the server has closed without raising.
        if self.writer.transport.is_closing():
            raise ConnectionResetError('the server closed the connection')
        b0 = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode
        n = len(payload)
        if n < 126:
            head = struct.pack('!BB', b0, 0x80 | n)
        elif n < 65536:
            head = struct.pack('!BBH', b0, 0x80 | 126, n)
        else:
            head = struct.pack('!BBQ', b0, 0x80 | 127, n)
        key = os.urandom(4)
        # A client masks every frame (RFC 6455 5.3): XOR with the key, repeated.
        masked = (int.from_bytes(payload, 'big') ^
                  int.from_bytes((key * (n // 4 + 1))[:n], 'big')).to_bytes(n, 'big')
        self.writer.write(head + key + masked)
        await self.writer.drain()

    async def send_json(self, message):
        await self.send(0x1, json.dumps(message).encode())

    async def recv(self):
        """The next data frame as (opcode, payload); a close frame as (8, code)."""
        while True:
            b0, b1 = await self.reader.readexactly(2)
            n = b1 & 0x7f
            if n == 126:
                n = struct.unpack('!H', await self.reader.readexactly(2))[0]
            elif n == 127:
                n = struct.unpack('!Q', await self.reader.readexactly(8))[0]
            payload = await self.reader.readexactly(n)
            opcode = b0 & 0x0f
            if opcode == 0x8:
                return 0x8, struct.unpack('!H', payload[:2])[0] if len(payload) >= 2 else 1005
            if opcode in (0x1, 0x2):
                return opcode, payload
            # Pings go unanswered: no storm client lives as long as the keepalive interval.

    async def recv_json(self):
        opcode, payload = await self.recv()
        if opcode == 0x8:
            raise ConnectionError(f'closed with {payload}')
        message = json.loads(payload)
        if message.get('type') == 'welcome':
            self.peer_id = message.get('peerId')
        return message

    async def wait_close(self):
        """The server's close code, 'eof' when it closed without one."""
        try:
            while True:
                opcode, payload = await self.recv()
                if opcode == 0x8:
                    return payload
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, OSError):
            return 'eof'

    async def close(self):
        # No drain: this runs in finally blocks, also after a cancellation, where a server that
        # stopped reading must not hold the client.
        key = os.urandom(4)
        code = struct.pack('!H', 1000)
        self.writer.write(struct.pack('!BB', 0x88, 0x80 | 2) + key +
                          bytes(c ^ key[i] for i, c in enumerate(code)))
        self.abort()

    def abort(self):
        self.writer.transport.abort()


def storm_worker(host, port, seconds):
    os.nice(10)
    # Writes to connections the server has closed are expected here, by the thousand.
    logging.getLogger('asyncio').setLevel(logging.CRITICAL)
    storm = Storm(host, port, time.monotonic() + seconds)
    asyncio.run(storm.run())
    json.dump({'counts': storm.counts, 'notes': storm.notes}, sys.stdout)


# The test: the server, the viewers, the measurements.

def proc_stats(pid):
    """fds, threads, VmRSS and VmHWM (KiB) of @pid, or None once it is gone."""
    try:
        fds = len(os.listdir(f'/proc/{pid}/fd'))
        threads = len(os.listdir(f'/proc/{pid}/task'))
        status = {}
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                key, _, value = line.partition(':')
                status[key] = value.split()
        return {'fds': fds, 'threads': threads, 'rss_kib': int(status['VmRSS'][0]),
                'hwm_kib': int(status['VmHWM'][0])}
    except (OSError, KeyError, IndexError, ValueError):
        return None


def read_frames(path):
    try:
        with open(path) as f:
            return json.load(f).get('frames_decoded') or 0
    except (OSError, ValueError):
        return 0


class Run:
    def __init__(self, cli, work):
        self.cli = cli
        self.work = work
        self.children = []
        self.serve = None
        self.link = None

    def spawn(self, name, args, **kwargs):
        env = dict(os.environ, BEACON_DATA_DIR=os.path.join(self.work, name))
        log = open(os.path.join(self.work, name + '.log'), 'wb')
        child = subprocess.Popen([self.cli] + args, env=env, stdout=kwargs.pop('stdout', log),
                                 stderr=log, stdin=subprocess.DEVNULL, **kwargs)
        self.children.append(child)
        return child

    def log_tail(self, name, lines=8):
        try:
            with open(os.path.join(self.work, name + '.log'), errors='replace') as f:
                return ''.join(f.readlines()[-lines:])
        except OSError:
            return ''

    def start_serve(self):
        self.serve = self.spawn('serve', [
            'serve', '--bind', '127.0.0.1', '--port', '0', '--source', 'test',
            '--width', '320', '--height', '240', '--fps', '30', '--ice-address', '127.0.0.1'],
            stdout=subprocess.PIPE)
        deadline = time.monotonic() + 30
        os.set_blocking(self.serve.stdout.fileno(), False)
        buffer = b''
        while time.monotonic() < deadline and self.serve.poll() is None:
            buffer += self.serve.stdout.read() or b''
            for line in buffer.decode(errors='replace').splitlines():
                if line.startswith('watch: '):
                    self.link = line[len('watch: '):].strip()
                    return True
            time.sleep(0.1)
        return False

    def watch(self, name, frames, timeout, report=None):
        args = ['watch', self.link, '--ice-address', '127.0.0.1', '--frames', str(frames),
                '--timeout', str(timeout)]
        if report:
            args += ['--report', report]
        return self.spawn(name, args)

    def stop(self, child, grace=5):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(grace)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def stop_all(self):
        for child in reversed(self.children):
            self.stop(child)


def settle(pid, seconds=3):
    """Stats of @pid once it has been quiet for a moment: the lowest of a few samples."""
    samples = []
    for _ in range(seconds * 2):
        stats = proc_stats(pid)
        if stats:
            samples.append(stats)
        time.sleep(0.5)
    return min(samples, key=lambda s: (s['fds'], s['threads'])) if samples else None


def main():
    bench = '--bench' in sys.argv
    json_path = sys.argv[sys.argv.index('--json') + 1] if '--json' in sys.argv else None
    if '--storm-worker' in sys.argv:
        i = sys.argv.index('--storm-worker')
        storm_worker(sys.argv[i + 1], int(sys.argv[i + 2]), float(sys.argv[i + 3]))
        return 0

    cli = os.environ.get('BEACON_CLI')
    if not cli or not os.access(cli, os.X_OK):
        print('1..0 # SKIP BEACON_CLI is not set to the beacon-cli binary')
        return 0

    # meson's timeout sends SIGTERM: leave through the finally below, which stops the children.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    tap = Tap()
    figures = {}
    if not bench:
        print('1..9', flush=True)
    # BEACON_STORM_KEEP=1 keeps the logs of the server and the viewers.
    work = tempfile.mkdtemp(prefix='beacon-storm-')
    run = Run(cli, work)
    try:
        figures = storm_test(run, tap, bench)
    finally:
        run.stop_all()
        if os.environ.get('BEACON_STORM_KEEP') == '1':
            tap.diag(f'logs kept in {work}')
        else:
            shutil.rmtree(work, ignore_errors=True)
    if json_path:
        with open(json_path, 'w') as f:
            json.dump(figures, f, indent=2)
    if bench:
        print_table(figures)
        return 0
    return 1 if tap.failed or tap.n != 9 else 0


def storm_test(run, tap, bench):
    figures = {}
    if not tap.ok(run.start_serve(), 'the server starts and prints its link',
                  run.log_tail('serve')):
        return figures
    pid = run.serve.pid
    host_port = run.link.split('/')[2]
    host, port = host_port.rsplit(':', 1)

    warm = run.watch('warm-up', 30, 60)
    warm_rc = warm.wait()
    time.sleep(2)
    baseline = settle(pid)
    figures['baseline'] = baseline
    tap.ok(warm_rc == 0 and baseline is not None, 'a warm-up viewer watches; baseline measured',
           f'warm-up viewer exit {warm_rc}', f'baseline {baseline}', run.log_tail('warm-up'))

    report = os.path.join(run.work, 'honest.json')
    honest = run.watch('honest', 100000, 120, report)
    t0 = time.monotonic()
    while time.monotonic() - t0 < 40 and read_frames(report) < 30 and honest.poll() is None:
        time.sleep(0.25)
    # The frame rate before the storm, for comparison.
    f0, c0 = read_frames(report), time.monotonic()
    time.sleep(5)
    f1, c1 = read_frames(report), time.monotonic()
    calm_fps = (f1 - f0) / (c1 - c0)
    figures['calm_fps'] = round(calm_fps, 1)
    tap.ok(f1 > 30, 'the honest viewer decodes before the storm',
           f'{calm_fps:.1f} fps before the storm', run.log_tail('honest'))

    # Peak RSS from here on: the storm's, not the warm-up's.
    try:
        with open(f'/proc/{pid}/clear_refs', 'w') as f:
            f.write('5')
    except OSError:
        pass

    worker = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), '--storm-worker', host, port,
         str(STORM_SECONDS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.children.append(worker)
    samples = []
    storm_start = time.monotonic()
    while worker.poll() is None and time.monotonic() - storm_start < STORM_SECONDS + 40:
        stats = proc_stats(pid)
        if stats is None:
            break
        stats['t'] = time.monotonic() - storm_start
        stats['frames'] = read_frames(report)
        samples.append(stats)
        time.sleep(0.5)
    storm_seconds = time.monotonic() - storm_start
    run.stop(worker, grace=1)
    figures['samples'] = samples
    out, err = worker.communicate()
    try:
        storm = json.loads(out)
    except ValueError:
        storm = {'counts': {}, 'notes': {}}
        tap.diag('the storm clients failed: ' + err.decode(errors='replace')[-2000:])
    after_storm = proc_stats(pid)

    # The honest viewer's frame rate during the storm, over the whole of it and its worst 10 s.
    fps = 0.0
    worst = None
    if len(samples) >= 2:
        a, b = samples[0], samples[-1]
        fps = (b['frames'] - a['frames']) / (b['t'] - a['t'])
        for s in samples:
            later = [x for x in samples if x['t'] >= s['t'] + 10]
            if later:
                w = (later[0]['frames'] - s['frames']) / (later[0]['t'] - s['t'])
                worst = w if worst is None else min(worst, w)
    peak = {
        'rss_kib': max([s['rss_kib'] for s in samples] + [(after_storm or {}).get('hwm_kib', 0)]),
        'fds': max([s['fds'] for s in samples] or [0]),
        'threads': max([s['threads'] for s in samples] or [0]),
    }
    counts = storm['counts']
    figures.update({
        'storm_seconds': round(storm_seconds, 1),
        'storm_fps': round(fps, 1),
        'storm_worst_10s_fps': round(worst, 1) if worst is not None else None,
        'peak': peak,
        'connections': {'accepted': counts.get('accepted', 0),
                        'refused': counts.get('refused', 0),
                        'connect_failed': counts.get('connect failed', 0)},
        'storm_counts': counts,
        'storm_notes': summarize_notes(storm['notes']),
    })
    tap.diag(f'storm: {storm_seconds:.0f} s, {sum(KINDS.values())} clients, '
             f'connections {figures["connections"]}')
    for key, value in sorted(counts.items()):
        tap.diag(f'  {key}: {value}')
    for key, value in figures['storm_notes'].items():
        tap.diag(f'  {key}: {value}')

    tap.ok(fps >= MIN_FPS and honest.poll() is None,
           f'the honest viewer keeps at least {MIN_FPS:g} fps during the storm',
           f'{fps:.1f} fps during the storm (worst 10 s: {worst}), {calm_fps:.1f} before',
           f'viewer exit status {honest.poll()}')
    growth = peak['rss_kib'] - baseline['rss_kib'] if baseline else 0
    tap.ok(growth < MAX_RSS_GROWTH_KIB,
           f'peak RSS stays under baseline + {MAX_RSS_GROWTH_KIB // 1024} MiB',
           f'baseline {baseline and baseline["rss_kib"] // 1024} MiB, '
           f'peak {peak["rss_kib"] // 1024} MiB (+{growth // 1024} MiB)',
           f'peak fds {peak["fds"]}, threads {peak["threads"]}')
    tap.ok(storm_behaved(storm, tap), 'every kind of storm client is stopped by the server')

    tap.ok(run.serve.poll() is None, 'the server is alive after the storm',
           f'server exit status {run.serve.poll()}', run.log_tail('serve'))
    after = run.watch('after', 30, 30)
    after_rc = after.wait()
    tap.ok(after_rc == 0, 'a new viewer watches after the storm',
           f'exit status {after_rc}', run.log_tail('after'))

    run.stop(honest)
    t0 = time.monotonic()
    settled = None
    while time.monotonic() - t0 < SETTLE_SECONDS:
        settled = proc_stats(pid)
        if settled is None or (settled['fds'] <= baseline['fds'] + FD_TOLERANCE and
                               settled['threads'] <= baseline['threads'] + THREAD_TOLERANCE):
            break
        time.sleep(1)
    figures['settled'] = settled
    figures['settle_seconds'] = round(time.monotonic() - t0, 1)
    tap.ok(settled is not None and settled['fds'] <= baseline['fds'] + FD_TOLERANCE and
           settled['threads'] <= baseline['threads'] + THREAD_TOLERANCE,
           f'fds and threads return to the baseline (+{FD_TOLERANCE} fds, '
           f'+{THREAD_TOLERANCE} threads) within {SETTLE_SECONDS} s',
           f'baseline {baseline}', f'after {figures["settle_seconds"]} s: {settled}')
    return figures


def summarize_notes(notes):
    out = {}
    for key, values in sorted(notes.items()):
        numbers = [v for v in values if isinstance(v, (int, float))]
        if numbers and len(numbers) == len(values) and not key.endswith('close'):
            out[key] = f'n={len(values)} min={min(numbers)} max={max(numbers)}'
        else:
            out[key] = dict(collections.Counter(str(v) for v in values))
    return out


def storm_behaved(storm, tap):
    """Each kind ran at least once, and the server answered it as its limits say."""
    notes, counts = storm['notes'], storm['counts']
    problems = []

    def expect(key, good, what):
        if key.split('-')[0] not in ' '.join(KINDS):
            return
        values = notes.get(key, [])
        bad = [v for v in values if not good(v)]
        if not values:
            problems.append(f'{key}: no attempt got through to the server')
        elif bad:
            problems.append(f'{key}: {len(bad)} of {len(values)} not {what}: {bad[:5]}')

    closed = lambda v: v != 'none'
    expect('malformed-utf8-close', lambda v: v in (1007, 'eof'), 'closed with 1007')
    expect('oversized-close', lambda v: v in (1009, 'eof', 'reset'), 'closed with 1009')
    expect('fragmented-sent-kib', lambda v: v < 16 * 1024, 'stopped before 16 MiB')
    expect('fragmented-close', lambda v: v in (1009, 'eof', 'reset'), 'closed with 1009')
    expect('deflate-close', lambda v: v in (1002, 'eof', 'reset'), 'closed with 1002')
    expect('out-of-order-errors', lambda v: v >= 5, 'answered with 5 errors')
    expect('never-answer-sessions', lambda v: v <= MAX_SESSIONS_PER_CONNECTION,
           f'held to {MAX_SESSIONS_PER_CONNECTION} sessions')
    expect('never-answer-ended-s', lambda v: v <= SESSION_ANSWER_TIMEOUT + 5,
           'ended by the answer timeout')
    expect('tls-silent-closed-s', lambda v: v <= HANDSHAKE_TIMEOUT + 5,
           'closed by the handshake timeout')
    expect('slow-loris-closed-s', lambda v: v <= HANDSHAKE_TIMEOUT + 5,
           'closed by the handshake timeout')
    expect('big-post-status', lambda v: v in ('413', 'reset'), 'refused with 413')
    # The server drains a refused body for 2 s before it closes (REFUSAL_LINGER_MS).
    expect('big-post-answered-s', lambda v: v <= 5, 'answered within 5 s')
    if counts.get('out-of-order: became a producer'):
        problems.append('a storm client was listed as a producer')
    for key, value in counts.items():
        if 'outlasted' in key:
            problems.append(f'{key}: {value}')
    if len(KINDS) == len(ALL_KINDS) and counts.get('refused', 0) == 0:
        problems.append('no connection was refused: the connection cap was not reached')
    for p in problems:
        tap.diag(p)
    return not problems


def print_table(figures):
    baseline = figures.get('baseline') or {}
    peak = figures.get('peak') or {}
    connections = figures.get('connections') or {}
    settled = figures.get('settled') or {}
    rows = [
        ('RSS (MiB)', baseline.get('rss_kib', 0) // 1024, peak.get('rss_kib', 0) // 1024,
         settled.get('rss_kib', 0) // 1024),
        ('fds', baseline.get('fds'), peak.get('fds'), settled.get('fds')),
        ('threads', baseline.get('threads'), peak.get('threads'), settled.get('threads')),
    ]
    print(f'{"":12} {"baseline":>9} {"peak":>9} {"after":>9}')
    for name, *values in rows:
        print(f'{name:12} ' + ' '.join(f'{str(v):>9}' for v in values))
    print(f'honest viewer fps: {figures.get("calm_fps")} before, {figures.get("storm_fps")} '
          f'during the storm (worst 10 s: {figures.get("storm_worst_10s_fps")})')
    print(f'connections: {connections.get("accepted")} accepted, {connections.get("refused")} '
          f'refused, {connections.get("connect_failed")} failed to connect, '
          f'in {figures.get("storm_seconds")} s')


if __name__ == '__main__':
    sys.exit(main())
