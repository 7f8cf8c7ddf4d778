#!/bin/sh
# Harvest benchmark: a source node holds BENCH_RECORDS generated records (default 100k);
# a second node harvests them all through the source's changes feed (bioex harvest, pages
# of BENCH_PAGE_SIZE changes). Prints records per second (goal: at least 10,000) and the
# peak memory (VmHWM) of the source's server and of the harvesting process.
# Usage: sh bench/harvest.sh [BIOEX]   (from the top of the tree; default ./bioex)
set -eu
bioex=${1:-./bioex}
records=${BENCH_RECORDS:-100000}
page_size=${BENCH_PAGE_SIZE:-1000}
work=$(mktemp -d /tmp/bioex-bench-harvest.XXXXXX)
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
. bench/lib.sh

# The highest VmHWM (kB) seen of process $1 while it runs, written to $2.
watch_memory() {
	peak=0
	while [ -r "/proc/$1/status" ]; do
		now=$(kib "$1" VmHWM || true)
		[ -n "$now" ] && [ "$now" -gt "$peak" ] && peak=$now && echo "$peak" > "$2"
		sleep 0.1
	done
}

echo "bench harvest: $records records"
records_file=$(bench_records "$records" "$work")
"$bioex" init --db "$work/source.db" --node bench --log-level warn > /dev/null
"$bioex" import --db "$work/source.db" "$records_file" > /dev/null
"$bioex" init --db "$work/target.db" --node central --log-level warn > /dev/null

bench_serve "$bioex" "$work/source.db" "$work/serve.out"

start=$(date +%s.%N)
"$bioex" harvest "http://127.0.0.1:$port" --peer bench --page-size "$page_size" --db "$work/target.db" \
	--log-level warn > "$work/harvest.out" &
harvest_pid=$!
watch_memory "$harvest_pid" "$work/harvest.hwm" &
watcher_pid=$!
wait "$harvest_pid"
end=$(date +%s.%N)
wait "$watcher_pid" || true
source_hwm=$(kib "$server_pid" VmHWM)
harvest_hwm=$(cat "$work/harvest.hwm" 2>/dev/null || echo 0)
added=$(sed -n 's/.*: \([0-9]*\) added.*/\1/p' "$work/harvest.out")
[ "$added" = "$records" ] || { echo "bench harvest: harvested ${added:-?} of $records records" >&2; exit 1; }
rate=$(echo "$records / ($end - $start)" | bc -l)
row "harvest via changes feed (records/s)" "$(printf %.0f "$rate")" \
	"$(printf %.2f "$(echo "$rate / 10000" | bc -l)") of goal 10k"
row "peak memory, source server (MB)" "$((source_hwm / 1024))" ""
row "peak memory, harvester (MB)" "$((harvest_hwm / 1024))" ""
