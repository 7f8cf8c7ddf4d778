#!/bin/sh
# Runs every test suite and ends with one line "N passed, N failed".
# BUILD names the build directory with the unit test binaries (make test sets it).
set -u
BUILD=${BUILD:-build/default}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== unit tests (cmocka)"
for test in "$BUILD"/tests/test_*; do
	[ -x "$test" ] || continue
	CMOCKA_MESSAGE_OUTPUT=TAP "$test" > "$log" 2>&1
	status=$?
	ok=$(grep -c '^ok ' "$log")
	not_ok=$(grep -c '^not ok ' "$log")
	if [ "$status" -ne 0 ] && [ "$not_ok" -eq 0 ]; then
		not_ok=1   # crashed before reporting
	fi
	grep -E '^not ok|^# |ERROR|Assert|Sanitizer' "$log" | head -40
	echo "$(basename "$test"): $ok passed, $not_ok failed"
	passed=$((passed + ok))
	failed=$((failed + not_ok))
done

# A black-box suite: runs the command, adds its closing "N passed, N failed" line to the
# totals (a suite that ends without one and fails counts as one failure).
suite() {
	timeout 1800 "$@" > "$log" 2>&1
	status=$?
	cat "$log"
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -1)
	if [ -n "$summary" ]; then
		passed=$((passed + $(echo "$summary" | cut -d' ' -f1)))
		failed=$((failed + $(echo "$summary" | cut -d' ' -f3)))
	elif [ "$status" -ne 0 ]; then
		failed=$((failed + 1))
	fi
}

echo "== API tests (black box, real server on loopback)"
suite /usr/bin/python3 tests/api/run.py ./bioex

echo "== web tests (headless Chromium and HTTP, real server on loopback)"
suite /usr/bin/python3 tests/web/run.py ./bioex

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
