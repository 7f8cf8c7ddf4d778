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

# The highest VmHWM (kB) seen of process $1 while it runs, written to $2.
watch_memory() {
	peak=0
	while [ -r "/proc/$1/status" ]; do
		now=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null || true)
		[ -n "$now" ] && [ "$now" -gt "$peak" ] && peak=$now && echo "$peak" > "$2"
		sleep 0.1
	done
}

echo "bench harvest: generating $records records"
/usr/bin/python3 bench/generate.py "$records" 1 bench > "$work/records.ndjson"
"$bioex" init --db "$work/source.db" --node bench --log-level warn > /dev/null
"$bioex" import --db "$work/source.db" "$work/records.ndjson" > /dev/null
"$bioex" init --db "$work/target.db" --node central --log-level warn > /dev/null

"$bioex" serve --db "$work/source.db" --listen 127.0.0.1:0 --log-level warn > "$work/serve.out" &
server_pid=$!
for _ in $(seq 1 3000); do grep -q listening "$work/serve.out" && break; sleep 0.2; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/serve.out")

start=$(date +%s.%N)
"$bioex" harvest "http://127.0.0.1:$port" --peer bench --page-size "$page_size" --db "$work/target.db" \
	--log-level warn > "$work/harvest.out" &
harvest_pid=$!
watch_memory "$harvest_pid" "$work/harvest.hwm" &
watcher_pid=$!
wait "$harvest_pid"
end=$(date +%s.%N)
wait "$watcher_pid" || true
source_hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
harvest_hwm=$(cat "$work/harvest.hwm" 2>/dev/null || echo 0)
added=$(sed -n 's/.*: \([0-9]*\) added.*/\1/p' "$work/harvest.out")
[ "$added" = "$records" ] || { echo "bench harvest: harvested ${added:-?} of $records records" >&2; exit 1; }
rate=$(echo "$records / ($end - $start)" | bc -l)
printf '%-44s %14s %-12s\n' "harvest via changes feed (records/s)" "$(printf %.0f "$rate")" \
	"$(printf %.2f "$(echo "$rate / 10000" | bc -l)") of goal 10k"
printf '%-44s %14s\n' "peak memory, source server (MB)" "$(echo "$source_hwm / 1024" | bc)"
printf '%-44s %14s\n' "peak memory, harvester (MB)" "$(echo "$harvest_hwm / 1024" | bc)"
