#!/bin/sh
# OAI-PMH benchmark: a full ListRecords pass over generated records, following resumption
# tokens on one kept-alive connection (bench/oai_client.py), in oai_dc (the goal: at least
# 20,000 records per second) and in bioex; and the server's peak memory (VmHWM).
# Usage: sh bench/oai.sh [BINARY]   (default ./bioex), from the top of the tree; bench/run.sh
# runs it. BENCH_RECORDS sets the number of records (default 100000).
set -eu
records=${BENCH_RECORDS:-100000}
bioex=${1:-./bioex}
work=$(mktemp -d /tmp/bioex-bench-oai.XXXXXX)
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
. bench/lib.sh

echo "bench oai: importing $records records"
"$bioex" init --db "$work/oai.db" --node bench --log-level warn > /dev/null
"$bioex" import --db "$work/oai.db" "$(bench_records "$records" "$work")" --log-level warn > /dev/null

bench_serve "$bioex" "$work/oai.db" "$work/serve.out"
rss_before=$(kib "$server_pid" VmRSS)

# Each pass prints "RECORDS SECONDS PAGES BYTES".
set -- $(/usr/bin/python3 bench/oai_client.py "http://127.0.0.1:$port" oai_dc)
dc_records=$1 dc_seconds=$2 dc_pages=$3 dc_bytes=$4
set -- $(/usr/bin/python3 bench/oai_client.py "http://127.0.0.1:$port" bioex)
bx_records=$1 bx_seconds=$2
[ "$dc_records" -eq "$records" ] && [ "$bx_records" -eq "$records" ] ||
	{ echo "bench oai: harvested $dc_records and $bx_records records, expected $records" >&2; exit 1; }
peak=$(kib "$server_pid" VmHWM)

dc_rate=$(echo "$dc_records / $dc_seconds" | bc -l)
bx_rate=$(echo "$bx_records / $bx_seconds" | bc -l)
echo "bench oai: $dc_pages pages, $((dc_bytes / 1000000)) MB of oai_dc XML"
row "OAI-PMH ListRecords oai_dc (records/s)" "$(printf %.0f "$dc_rate")" "$(printf %.2f "$(echo "$dc_rate / 20000" | bc -l)") of goal 20k"
row "OAI-PMH ListRecords bioex (records/s)" "$(printf %.0f "$bx_rate")" ""
row "OAI-PMH server peak RSS (MB)" "$((peak / 1024))" "$((rss_before / 1024)) MB before"
