#!/bin/sh
# The web pages' bench (issue 5; run by bench/run.sh). On N realistic records (the search
# bench's, bench/search/generate.py, kept in build/bench/), it asks a running `bioex serve`
# for the home page and for search pages (a common word, a rare one, a filter, a later
# page) in en, zh and ar, 40 times each from one client on loopback, and prints each
# page's size and its answer time (p50, p99, max) against the goals: under 200 KB of HTML
# and under 50 ms.
#
# usage: sh bench/pages.sh [N]   (N: BENCH_PAGES_RECORDS, default 100000)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
records=${1:-${BENCH_PAGES_RECORDS:-100000}}
work=$(mktemp -d /tmp/bioex-pages.XXXXXX)
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

data=$(search_records "$records")
./bioex init --db "$work/pages.db" --node bench --log-level warn > /dev/null
./bioex import --db "$work/pages.db" "$data" > /dev/null
bench_serve ./bioex "$work/pages.db" "$work/serve.out"
[ -n "$port" ] || { echo "pages bench: the server did not start"; cat "$work/serve.out"; exit 1; }

/usr/bin/python3 - "$port" "$records" <<'PY'
import http.client, sys, time, urllib.parse
port, records = int(sys.argv[1]), sys.argv[2]
pages = [("/%s/" % lang, "home") for lang in ("en", "zh", "ar")]
for lang, common, rare in (("en", "biodiversity", "otter"), ("zh", "生物多样性", "湿地"), ("ar", "التنوع", "الأراضي")):
    pages += [("/%s/search?q=%s" % (lang, urllib.parse.quote(common)), "search, common word"),
              ("/%s/search?q=%s" % (lang, urllib.parse.quote(rare)), "search, rarer word"),
              ("/%s/search?q=%s&country=FR&type=nbsap" % (lang, urllib.parse.quote(common)), "search, filtered"),
              ("/%s/search?q=%s&page=5" % (lang, urllib.parse.quote(common)), "search, page 5")]
connection = http.client.HTTPConnection("127.0.0.1", port)
print("pages bench: %s records, 40 requests a page, one client on loopback" % records)
print("%-52s %9s %8s %8s %8s  %s" % ("page", "KB", "p50 ms", "p99 ms", "max ms", "goals (200 KB, 50 ms)"))
worst_size = worst_time = 0
for path, what in pages:
    times = []
    for _ in range(40):
        started = time.perf_counter()
        connection.request("GET", path, headers={"Accept": "text/html"})
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            sys.exit("pages bench: %s answered %d" % (path, response.status))
    times.sort()
    kb = len(body) / 1024
    p99 = times[int(len(times) * 0.99) - 1]
    worst_size, worst_time = max(worst_size, kb), max(worst_time, p99)
    ok = "ok" if kb < 200 and p99 < 50 else "OVER"
    print("%-52s %9.1f %8.1f %8.1f %8.1f  %s" % (urllib.parse.unquote(path)[:52], kb, times[len(times) // 2], p99,
                                                 times[-1], ok))
print("largest page %.1f KB (%.2f of the 200 KB goal); slowest p99 %.1f ms (%.2f of the 50 ms goal)"
      % (worst_size, worst_size / 200, worst_time, worst_time / 50))
PY
