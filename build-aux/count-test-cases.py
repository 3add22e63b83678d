#!/usr/bin/env python3
# count-test-cases.py — sum the test cases of meson test runs (testlog.json files: every TAP
# "ok"/"not ok" line of a TAP test, and one case for each test that does not speak TAP) and of
# plain .tap files (the fuzz targets). Prints "N passed, N failed" as the last line and exits
# non-zero when anything failed, a file is missing, or nothing ran.

import json
import re
import sys

TAP_LINE = re.compile(r'^(ok|not ok)\b(.*)$')
TAP_PLAN = re.compile(r'^\d+\.\.\d+', re.MULTILINE)


def count_tap_file(path):
    """A plain TAP file (the fuzz targets' results): its ok / not ok lines."""
    passed = failed = 0
    with open(path, encoding='utf-8') as tap:
        for line in tap:
            match = TAP_LINE.match(line.strip())
            if match:
                if match.group(1) == 'ok':
                    passed += 1
                else:
                    failed += 1
    return passed, failed


def main(paths):
    passed = failed = skipped = 0
    for path in paths:
        try:
            if path.endswith('.tap'):
                tap_passed, tap_failed = count_tap_file(path)
                passed += tap_passed
                failed += tap_failed
            else:
                skipped += count_meson_log(path, counts := [0, 0])
                passed += counts[0]
                failed += counts[1]
        except OSError as error:
            # A part of the run that left no results failed before it could run anything.
            print(f'{path}: {error.strerror}', file=sys.stderr)
            failed += 1
    summary = f'{passed} passed, {failed} failed'
    if skipped:
        summary += f', {skipped} skipped'
    print(summary)
    return 0 if failed == 0 and passed > 0 else 1


def count_meson_log(path, counts):
    """Adds a meson testlog.json's passed and failed cases to counts; returns the skipped."""
    passed = failed = skipped = 0
    with open(path, encoding='utf-8') as log:
        for line in log:
            if not line.strip():
                continue
            test = json.loads(line)
            result = test.get('result', '')
            stdout = test.get('stdout') or ''
            # meson's log does not name the protocol; a TAP test is one that printed a plan.
            if TAP_PLAN.search(stdout):
                cases = 0
                for output_line in stdout.splitlines():
                    match = TAP_LINE.match(output_line.strip())
                    if not match:
                        continue
                    cases += 1
                    # A case left out with -s is run as a test of its own (tests/meson.build
                    # does that under ASan): it is counted there, not twice.
                    if 'SKIP BY REQUEST (-S OPTION)' in match.group(2).upper():
                        continue
                    if '# SKIP' in match.group(2).upper():
                        skipped += 1
                    elif match.group(1) == 'ok':
                        passed += 1
                    else:
                        failed += 1
                # A TAP test that crashed or timed out counts as one more failure, so that a
                # crash between cases is never hidden.
                if result not in ('OK', 'EXPECTEDFAIL') or cases == 0:
                    failed += 1
            elif result in ('OK', 'EXPECTEDFAIL'):
                passed += 1
            elif result == 'SKIP':
                skipped += 1
            else:
                failed += 1
    counts[0] += passed
    counts[1] += failed
    return skipped


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
