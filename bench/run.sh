#!/bin/sh
# make bench: measures bioex beside peers in the same run and prints ratios.
#   1. bulk import of 100k generated records (bioex import), records per second;
#   2. GET /api/v1/records/{id} over HTTP with wrk, beside nginx serving a static file of
#      the same size (goal: bioex at least half of nginx's requests per second);
#   3. POST /api/v1/records (create, each one durable before it is answered);
#   4. harvest: a second node harvests every record through the changes feed
#      (bench/harvest.sh), records per second and peak memory of both processes;
#   5. OAI-PMH: a full ListRecords pass following resumption tokens (bench/oai.sh), records
#      per second (goal 20k) and the server's peak memory;
#   6. the web pages, bench/pages.sh: home and search pages in en, zh and ar at 100k
#      records, their size and answer time (goals: 200 KB, 50 ms);
#   7. the search benchmark, bench/search/run.sh (bioex, SQLite FTS5 and Xapian on the same
#      records and queries); BENCH_SKIP_SEARCH=1 skips it, BENCH_SEARCH_SIZES sets its sizes.
# Everything runs on loopback, bounded in time. BENCH_RECORDS and BENCH_SECONDS adjust it.
set -eu
records=${BENCH_RECORDS:-100000}
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-32}
top=$(pwd)
work=$(mktemp -d /tmp/bioex-bench.XXXXXX)
server_pid=""
nginx_pid=""
stop_servers() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
	server_pid=""
	nginx_pid=""
}
cleanup() {
	stop_servers
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
. bench/lib.sh

echo "bench: generating $records records"
BENCH_RECORDS_FILE=$(bench_records "$records" "$work")
export BENCH_RECORDS_FILE
./bioex init --db "$work/bench.db" --node bench --log-level warn > /dev/null
start=$(date +%s.%N)
./bioex import --db "$work/bench.db" "$BENCH_RECORDS_FILE" > /dev/null
end=$(date +%s.%N)
import_rate=$(echo "$records / ($end - $start)" | bc -l)
printf 'bench-admin-password\n' | ./bioex user add bench --role admin --db "$work/bench.db" > /dev/null

bench_serve ./bioex "$work/bench.db" "$work/serve.out"
base="http://127.0.0.1:$port"

# A record of typical size, and a static file of exactly that size for nginx.
sample_id="bench:r0"
curl -s "$base/api/v1/records/$sample_id" > "$work/record.json"
mkdir -p "$work/www"
cp "$work/record.json" "$work/www/record.json"
size=$(wc -c < "$work/record.json")
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
error_log $work/nginx-error.log;
pid $work/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:0;
		root $work/www;
	}
}
NGINX
# nginx needs a fixed port: pick a free one.
nginx_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/listen 127.0.0.1:0/listen 127.0.0.1:$nginx_port/" "$work/nginx.conf"
/usr/sbin/nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
sleep 0.5

# wrk scripts: random record ids; a create with a bearer token.
cat > "$work/get.lua" <<LUA
math.randomseed(42)
request = function()
	return wrk.format("GET", "/api/v1/records/bench:r" .. math.random(0, $records - 1))
end
LUA
token=$(curl -s -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d '{"username":"bench","password":"bench-admin-password"}' | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"type":"document","title":{"zh":"生物多样性公约国家报告","ar":"التقرير الوطني","en":"National report"},"countries":["CN"],"conventions":["cbd"],"targets":["gbf:3"],"date":"2024-05-01"}'
LUA

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$1"; }
latency() { sed -n 's/^ *99% *\([0-9.]*[a-z]*\).*/\1/p' "$1"; }
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$nginx_port/record.json" > "$work/nginx.txt"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/get.lua" "$base" > "$work/get.txt"
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/post.lua" "$base/api/v1/records" > "$work/post.txt"

nginx_rps=$(rps "$work/nginx.txt")
get_rps=$(rps "$work/get.txt")
post_rps=$(rps "$work/post.txt")
echo
echo "bioex bench: $records records, ${seconds}s per HTTP run, $connections connections, $(nproc) cores"
row "measure" "value" "ratio"
row "import (records/s)" "$(printf %.0f "$import_rate")" "$(printf %.2f "$(echo "$import_rate / 20000" | bc -l)") of goal 20k"
row "nginx static file of $size bytes (req/s)" "$(printf %.0f "$nginx_rps")" "1.00"
row "bioex GET record by id (req/s)" "$(printf %.0f "$get_rps")" "$(printf %.2f "$(echo "$get_rps / $nginx_rps" | bc -l)") of nginx"
row "bioex POST create, durable (req/s)" "$(printf %.0f "$post_rps")" "$(printf %.2f "$(echo "$post_rps / $nginx_rps" | bc -l)") of nginx"
row "p99 latency nginx / GET / POST" "$(latency "$work/nginx.txt") / $(latency "$work/get.txt") / $(latency "$work/post.txt")" ""
grep -h "Non-2xx" "$work/get.txt" "$work/post.txt" || true

stop_servers
echo
BENCH_RECORDS=$records sh bench/harvest.sh ./bioex
echo
BENCH_RECORDS=$records sh bench/oai.sh ./bioex
rm -rf "$work"   # the pages and search benches make records of their own
echo
sh bench/pages.sh

if [ "${BENCH_SKIP_SEARCH:-0}" != 1 ]; then
	echo
	sh bench/search/run.sh
fi
