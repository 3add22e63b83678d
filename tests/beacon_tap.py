# beacon_tap.py
#
# Copyright 2026 The Beacon developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""TAP output for the Python tests (tests/abuse/storm.py, tests/memcheck/run-memcheck.py)."""


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, passed, name, *diagnostics):
        self.n += 1
        self.failed += 0 if passed else 1
        print(f'{"ok" if passed else "not ok"} {self.n} - {name}', flush=True)
        for line in diagnostics:
            self.diag(line)
        return passed

    def diag(self, text):
        for line in str(text).splitlines():
            print('# ' + line, flush=True)
