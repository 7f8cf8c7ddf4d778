#!/bin/sh
# The search benchmark of issue 3 (bench/run.sh runs it last, so `make bench` does).
# For each size N it generates N realistic records from the real multilingual data
# (generate.py; once per size, kept in build/bench/) and, on those records and the same 200
# queries (queries.py: common and rare terms, two-term AND, phrases, a third filtered):
#   - bioex over HTTP: `bioex serve` on loopback, wrk with 2 and 4 connections sending
#     ranked top-20 searches with facets (urls.py, rotate.lua); its indexing rate is the
#     text over the time from `serve` until the first query answers (bioex_probe.py);
#   - SQLite FTS5 with bioex's tokenizer and bm25 (fts5_bench.c), 1 and 2 threads;
#   - Xapian, Debian's libxapian, BM25 (xapian_bench.cc), 1 and 2 threads;
# then prints a table: indexing speed (MB of text per second), index size, queries per
# second, p50 and p99 latency, and bioex's queries per second as a ratio of Xapian's.
#
# usage: sh bench/search/run.sh [N...]
#   sizes: the arguments, else $BENCH_SEARCH_SIZES, else "100000 1000000";
#   BENCH_SEARCH_SECONDS (default 10, at most 20): length of each timed query run;
#   BENCH_SEARCH_ENGINES (default "fts5 xapian bioex"): which engines to run;
#   BENCH_SEARCH_KEEP=1: keep the FTS5 and Xapian indexes in build/bench/ and reuse them in
#     later runs on the same records, with the indexing speed measured when they were built;
#   BENCH_SEARCH_TURNS (default 3): rounds in which Xapian (2 threads) and bioex (2 clients)
#     then take turns, BENCH_SEARCH_TURN_SECONDS (default 5) each, after bioex's runs: the
#     ratio of their queries per second in each round, and its median. The machine's speed
#     drifts over the minutes between the engines' own runs; in turns both see the same.
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
sizes=${*:-${BENCH_SEARCH_SIZES:-100000 1000000}}
seconds=${BENCH_SEARCH_SECONDS:-10}
engines=${BENCH_SEARCH_ENGINES:-fts5 xapian bioex}
turns=${BENCH_SEARCH_TURNS:-3}
turn_seconds=${BENCH_SEARCH_TURN_SECONDS:-5}
[ "$seconds" -gt 20 ] && seconds=20
out=build/bench
. bench/lib.sh
mkdir -p "$out"
work=$(mktemp -d "$top/$out/search-run.XXXXXX")
server_pid=""
xapian_index=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The drivers. bioex's tokenizer comes from its library, built by make.
[ -f build/default/libbioex.a ] && [ -x ./bioex ] || make
warn="-Wall -Wextra -Wshadow -Wno-unused-parameter"
cc -std=gnu11 -O2 -g -D_GNU_SOURCE $warn -Wstrict-prototypes -Wmissing-prototypes -Isrc \
	$(pkg-config --cflags jansson) -c bench/search/common.c -o "$out/common.o"
cc -std=gnu11 -O2 -g -D_GNU_SOURCE $warn -Wstrict-prototypes -Wmissing-prototypes -Isrc -Ibench/search \
	$(pkg-config --cflags sqlite3 icu-uc) -o "$out/fts5_bench" bench/search/fts5_bench.c "$out/common.o" \
	build/default/libbioex.a $(pkg-config --libs sqlite3 jansson icu-uc icu-i18n) -lstemmer -lpthread -lm
c++ -std=c++17 -O2 -g $warn -Ibench/search $(pkg-config --cflags xapian-core) -o "$out/xapian_bench" \
	bench/search/xapian_bench.cc "$out/common.o" $(pkg-config --libs xapian-core jansson) -lpthread

queries="$out/search-queries.ndjson"
urls="$top/$out/search-urls.txt"
/usr/bin/python3 bench/search/queries.py "$queries"
/usr/bin/python3 bench/search/urls.py "$queries" > "$urls"
n_queries=$(wc -l < "$queries")

# value KEY FILE PREFIX: the value of KEY=value on the first line of FILE starting with PREFIX.
value() { sed -n "/^$3/{s/.* $1=\([^ ]*\).*/\1/p;q}" "$2"; }
# wrk's latency in ms, from "50%  1.23ms" (units us, ms, s).
wrk_ms() {
	sed -n "s/^ *$1% *\([0-9.]*\)\([a-z]*\).*/\1 \2/p" "$2" |
		awk '{ f = $2 == "us" ? 0.001 : $2 == "s" ? 1000 : $2 == "m" ? 60000 : 1; printf "%.3f", $1 * f }'
}

# wrk with $1 connections for $2 seconds on the bioex server at $port, into $work/wrk.txt.
run_wrk() {
	wrk -t2 -c"$1" -d"$2s" --timeout 30s --latency -s bench/search/rotate.lua \
		"http://127.0.0.1:$port" -- "$urls" > "$work/wrk.txt" || true
}

# Xapian (2 threads, on its index of this size) and bioex (2 clients) taking turns, as
# "turn" lines in $2.
take_turns() {
	data=$1 results=$2
	[ -n "$port" ] && [ -n "${xapian_index:-}" ] && [ -f "$xapian_index.stamp" ] || return 0
	for round in $(seq 1 "$turns"); do
		xapian=$("$out/xapian_bench" --db "$xapian_index" --records "$data" --queries "$queries" \
			--seconds "$turn_seconds" --threads 2 --keep | grep '^search ' || true)
		run_wrk 2 "$turn_seconds"
		echo "turn round=$round xapian_qps=$(echo "$xapian" | sed -n 's/.* qps=\([^ ]*\).*/\1/p')" \
			"xapian_p99_ms=$(echo "$xapian" | sed -n 's/.* p99_ms=\([^ ]*\).*/\1/p')" \
			"bioex_qps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")" \
			"bioex_p99_ms=$(wrk_ms 99 "$work/wrk.txt")" >> "$results"
	done
}

run_bioex() {
	records=$1 data=$2 results=$3 text_mb=$4
	db="$work/bioex.db"
	./bioex init --db "$db" --node bench --log-level warn > /dev/null
	start=$(date +%s.%N)
	./bioex import --db "$db" "$data" > /dev/null
	end=$(date +%s.%N)
	echo "# bioex import (store, before serve): $records records in $(printf %.1f "$(echo "$end - $start" | bc -l)") s" |
		tee -a "$results"
	# the import's gigabytes go to disk now, not while the queries are timed
	sync
	start=$(date +%s.%N)
	./bioex serve --db "$db" --listen 127.0.0.1:0 --log-level warn > "$work/serve.out" 2>&1 &
	server_pid=$!
	/usr/bin/python3 bench/search/bioex_probe.py "$work/serve.out" "$start" "$server_pid" "$urls" "$queries" 900 \
		> "$work/probe.txt" || {
		echo "# bioex: the probe failed; the server's output:"
		cat "$work/serve.out"
		kill "$server_pid" 2>/dev/null || true
		status=0
		wait "$server_pid" || status=$?
		echo "# bioex: the server's exit status: $status (143: stopped here by SIGTERM)"
		server_pid=""
	}
	grep '^#' "$work/probe.txt" || true
	grep -v '^#' "$work/probe.txt" >> "$results" || true
	port=$(sed -n 's/^port //p' "$work/probe.txt")
	first=$(value first_query_s "$work/probe.txt" ready)
	status=$(value first_status "$work/probe.txt" ready)
	rss_mb=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status" 2>/dev/null || echo "?")
	rate="n/a"
	[ "$status" = 200 ] && [ "$first" != timeout ] && rate=$(printf %.2f "$(echo "$text_mb / $first" | bc -l)")
	echo "index engine=bioex records=$records text_mb=$text_mb seconds=$first mb_per_s=$rate size_mb=rss:$rss_mb" \
		>> "$results"
	empty=$(value empty "$work/probe.txt" check)
	check_errors=$(value errors "$work/probe.txt" check)
	for clients in 2 4; do
		[ -n "$port" ] || break
		run_wrk "$clients" "$seconds"
		n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk.txt")
		qps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$work/wrk.txt")
		non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$work/wrk.txt")
		socket=$(sed -n 's/^ *Socket errors: *//p' "$work/wrk.txt")
		[ -n "$socket" ] && echo "# bioex wrk -c$clients socket errors: $socket"
		echo "search engine=bioex threads=$clients queries=$n seconds=$seconds qps=$qps" \
			"p50_ms=$(wrk_ms 50 "$work/wrk.txt") p99_ms=$(wrk_ms 99 "$work/wrk.txt") empty=$empty" \
			"errors=$(( ${non2xx:-0} + ${check_errors:-0} ))" >> "$results"
	done
	take_turns "$data" "$results"
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || echo "# bioex: the server had stopped before the end"
		wait "$server_pid" 2>/dev/null || true
		server_pid=""
	fi
	rm -f "$db" "$db"-*
}

table() {
	records=$1 results=$2 text_mb=$3
	echo
	echo "search bench: $records records, $text_mb MB of text (title, summary, text; every language)," \
		"$n_queries queries, ${seconds}s per timed run, $(nproc) cores"
	awk -v records="$records" -v turn_seconds="$turn_seconds" '
	function get(key,   i, pair) {
		for (i = 2; i <= NF; i++) { split($i, pair, "="); if (pair[1] == key) return pair[2] }
		return ""
	}
	/^index / { rate[get("engine")] = get("mb_per_s"); size[get("engine")] = get("size_mb") }
	/^turn / && get("xapian_qps") > 0 && get("bioex_qps") > 0 {
		t = ++turns; turn_x[t] = get("xapian_qps"); turn_xp99[t] = get("xapian_p99_ms")
		turn_b[t] = get("bioex_qps"); turn_bp99[t] = get("bioex_p99_ms"); turn_r[t] = turn_b[t] / turn_x[t]
	}
	/^search / {
		e = get("engine"); n = ++rows[e]; threads[e, n] = get("threads"); qps[e, n] = get("qps")
		p50[e, n] = get("p50_ms"); p99[e, n] = get("p99_ms"); empty[e, n] = get("empty"); errors[e, n] = get("errors")
		if (qps[e, n] + 0 > best[e] + 0) { best[e] = qps[e, n]; best_threads[e] = threads[e, n] }
	}
	END {
		printf "%-7s %9s %11s %-16s %8s %9s %8s %8s %6s %7s\n", "engine", "records", "index MB/s",
			"index size", "thr/cli", "QPS", "p50 ms", "p99 ms", "empty", "errors"
		split("bioex fts5 xapian", engines, " ")
		for (k = 1; k <= 3; k++) {
			e = engines[k]
			s = size[e]; s = s ~ /^rss:/ ? "RSS " substr(s, 5) " MB" : s " MB"
			for (n = 1; n <= rows[e]; n++)
				printf "%-7s %9s %11s %-16s %8s %9.0f %8s %8s %6s %7s\n", e, records, rate[e], s,
					(e == "bioex" ? "c" : "t") threads[e, n], qps[e, n], p50[e, n], p99[e, n], empty[e, n],
					errors[e, n]
		}
		for (n = 1; n <= rows["bioex"]; n++)
			if (best["xapian"] > 0)
				printf "bioex/xapian QPS: %.3f (bioex %d clients, %.0f q/s; xapian best: %d threads, %.0f q/s)%s\n",
					qps["bioex", n] / best["xapian"], threads["bioex", n], qps["bioex", n],
					best_threads["xapian"], best["xapian"],
					(errors["bioex", n] > 0 ? " [bioex answered errors: not comparable]" : "")
		if (turns) {
			printf "taking turns, %d rounds of %s s (xapian 2 threads, bioex 2 clients):\n", turns, turn_seconds
			for (t = 1; t <= turns; t++)
				printf "  round %d: xapian %.0f q/s p99 %s ms, bioex %.0f q/s p99 %s ms, bioex/xapian QPS %.3f\n", t,
					turn_x[t], turn_xp99[t], turn_b[t], turn_bp99[t], turn_r[t]
			for (i = 1; i <= turns; i++)   # the ratios in order, for their median
				for (j = i + 1; j <= turns; j++)
					if (turn_r[j] < turn_r[i]) { r = turn_r[i]; turn_r[i] = turn_r[j]; turn_r[j] = r }
			printf "bioex/xapian QPS taking turns, median: %.3f\n",
				turns % 2 ? turn_r[(turns + 1) / 2] : (turn_r[turns / 2] + turn_r[turns / 2 + 1]) / 2
		}
		if (records >= 1000000)
			printf "goals at 1M: p99 <= 25 ms, QPS >= xapian, indexing >= 5 MB/s\n"
	}' "$results"
}

for records in $sizes; do
	data=$(search_records "$records")
	text_mb=$(/usr/bin/python3 -c 'import json, sys; print("%.1f" % (json.load(open(sys.argv[1]))["text_bytes"] / 1e6))' \
		"$data.stats.json")
	results="$work/results-$records"
	: > "$results"
	echo "search bench: $records records, $text_mb MB of text fed to every engine"
	for engine in $engines; do
		echo "search bench: $engine"
		case $engine in
		fts5 | xapian)
			# kept in build/bench/, or in the run's directory until bioex has taken turns with it
			index="$work/$engine-$records"
			[ "${BENCH_SEARCH_KEEP:-0}" = 1 ] && index="$out/$engine-$records"
			"$out/${engine}_bench" --db "$index" --records "$data" --queries "$queries" \
				--seconds "$seconds" --threads 1,2 --keep | tee -a "$results"
			if [ "$engine" = xapian ]; then xapian_index=$index; fi ;;
		bioex)
			run_bioex "$records" "$data" "$results" "$text_mb" ;;
		*)
			echo "search bench: unknown engine $engine (bioex, fts5, xapian)" >&2
			exit 2 ;;
		esac
	done
	table "$records" "$results" "$text_mb"
	rm -rf "$work/fts5-$records" "$work/xapian-$records" "$work"/*-"$records".stamp
	xapian_index=
done
