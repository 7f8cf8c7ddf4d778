# Helpers the bench scripts share (sourced from the top of the tree). bench_serve sets
# server_pid and port, which the scripts' cleanup stops.

# One line of the results table: measure, value, ratio.
row() { printf '%-44s %14s %-12s\n' "$1" "$2" "$3"; }

# bench_records N DIR: prints the name of a file of N records made by bench/generate.py.
# make bench makes them once and names the file in BENCH_RECORDS_FILE for its later steps.
bench_records() {
	if [ -n "${BENCH_RECORDS_FILE:-}" ] && [ -s "$BENCH_RECORDS_FILE" ]; then
		echo "$BENCH_RECORDS_FILE"
		return
	fi
	/usr/bin/python3 bench/generate.py "$1" 1 bench > "$2/records.ndjson"
	echo "$2/records.ndjson"
}

# search_records N: prints the name of the file of N records the search and pages benches
# share (bench/search/generate.py, kept in build/bench/), made when it is missing or older
# than the generator.
search_records() {
	data="build/bench/search-$1.ndjson"
	if [ ! -s "$data" ] || [ ! -s "$data.stats.json" ] || [ bench/search/generate.py -nt "$data" ]; then
		mkdir -p build/bench
		echo "bench: generating $1 records into $data" >&2
		/usr/bin/python3 bench/search/generate.py "$1" "$data" >&2
	fi
	echo "$data"
}

# bench_serve BIOEX DB OUT: bioex serve on a free loopback port, its output in OUT; sets
# server_pid, and port once it listens (it builds its search index first: at most 10 min).
bench_serve() {
	"$1" serve --db "$2" --listen 127.0.0.1:0 --log-level warn > "$3" &
	server_pid=$!
	for _ in $(seq 1 3000); do grep -q listening "$3" && break; sleep 0.2; done
	port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$3")
}

# kib PID FIELD: a memory figure of /proc/PID/status (VmRSS, VmHWM) in kB.
kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null; }
