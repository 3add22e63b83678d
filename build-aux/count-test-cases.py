#!/usr/bin/env python3
# count-test-cases.py — sum the test cases of a meson test run: every TAP "ok"/"not ok" line of
# a TAP test, and one case for each test that does not speak TAP. Prints "N passed, N failed"
# as the last line and exits non-zero when anything failed or nothing ran.

import json
import re
import sys

TAP_LINE = re.compile(r'^(ok|not ok)\b(.*)$')
TAP_PLAN = re.compile(r'^\d+\.\.\d+', re.MULTILINE)


def main(path):
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
    summary = f'{passed} passed, {failed} failed'
    if skipped:
        summary += f', {skipped} skipped'
    print(summary)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
