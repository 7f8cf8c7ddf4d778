#!/bin/sh
# Runs each fuzz target named on the command line for $FUZZ_SECONDS seconds, on a copy of
# its seed corpus (tests/fuzz/corpus/<target>/) that grows in $BUILD/corpus/<target>/.
# A dictionary tests/fuzz/<name>.dict is used when there is one (fuzz_import shares
# record.dict). Prints one line per target with its executions; exits 1 when any target failed.
# Crash reproducers land in $BUILD/crashes/, logs in $BUILD/logs/, scratch databases in
# $BUILD/tmp/ (removed when a target ends normally).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${BUILD:=$top/build/fuzz}" "${FUZZ_SECONDS:=20}"
mkdir -p "$BUILD/crashes" "$BUILD/logs" "$BUILD/tmp"
failed=0
for target in "$@"; do
	corpus="$BUILD/corpus/$target"
	seeds="$here/corpus/$target"
	log="$BUILD/logs/$target.log"
	mkdir -p "$corpus"
	[ -d "$seeds" ] || seeds=$corpus
	dict=$here/${target#fuzz_}.dict
	[ "$target" = fuzz_import ] && dict=$here/record.dict
	[ -f "$dict" ] && dict_option=-dict=$dict || dict_option=-verbosity=1
	TMPDIR="$BUILD/tmp" BIOEX_ROOT="$top" "$BUILD/$target" -max_total_time="$FUZZ_SECONDS" -timeout=25 \
		-rss_limit_mb=4096 -print_final_stats=1 "$dict_option" \
		-artifact_prefix="$BUILD/crashes/$target-" "$corpus" "$seeds" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$status" -eq 0 ]; then
		printf '%-14s ok     %s executions in %ss\n' "$target" "${runs:-?}" "$FUZZ_SECONDS"
	else
		failed=1
		artifact=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
		printf '%-14s FAILED %s executions (exit %s); reproducer %s; log %s\n' "$target" \
			"${runs:-?}" "$status" "${artifact:-none}" "$log"
		grep -m 3 -E 'ERROR: |runtime error|fuzz check failed' "$log" | sed 's/^/    /'
	fi
done
exit $failed
