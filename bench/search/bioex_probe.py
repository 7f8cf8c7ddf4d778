"""Watches a bioex server that run.sh has just started, and checks its answers to the queries.

1. Waits for the "listening" line in the server's output and prints the port.
2. Times, from START (the epoch time just before `bioex serve` was run), until /healthz
   answers 200 and until the first query answers with anything but 503 (bioex builds its
   search index in memory at start; it may answer 503 until then).
3. The check pass: every query URL once, in order, from one client, counting statuses,
   answers without a hit, and printing the first errors (until the search API exists,
   `q` answers 400); then, as comments, the latency per kind of query (queries.py) as the
   client saw it and as the server's took_ms says, and the slowest queries.

Prints lines that run.sh reads:
  port PORT
  ready engine=bioex healthz_s=S first_query_s=S first_status=CODE
  check engine=bioex queries=N ok=N errors=N empty=N statuses=CODE:N,...

usage: bioex_probe.py SERVE_OUT START PID URLS QUERIES [TIMEOUT_SECONDS]
(PID: the server's process; the probe gives up as soon as it has exited.)
"""
import http.client
import json
import re
import sys
import time


def server_alive(pid):
    """Whether process pid runs (an exited child not yet waited for is a zombie, state Z)."""
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_for_port(serve_out, pid, deadline):
    while time.time() < deadline:
        if not server_alive(pid):
            sys.exit("bioex_probe: the server exited before it listened; its output:\n" + open(serve_out).read())
        with open(serve_out, encoding="utf-8", errors="replace") as out:
            for line in out:
                if "listening" in line:
                    match = re.search(r":(\d+)\s*$", line)
                    if match:
                        return int(match.group(1))
        time.sleep(0.01)
    sys.exit("bioex_probe: the server printed no listening line in time; its output:\n" + open(serve_out).read())


def get(connection, path):
    """Returns (status, body); reconnects once if the server closed the connection."""
    for attempt in (1, 2):
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except (ConnectionError, http.client.HTTPException):
            connection.close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def poll(port, pid, path, done, deadline):
    """GETs path every 10 ms until done(status), the deadline or the server's exit; returns
    (time, status), time None if not done."""
    status = None
    while time.time() < deadline and server_alive(pid):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, _ = get(connection, path)
            connection.close()
            if done(status):
                return time.time(), status
        except OSError:
            pass
        time.sleep(0.01)
    return None, status


def median(values):
    values = sorted(values)
    return values[len(values) // 2] if values else float("nan")


def print_timings(timings):
    """Comment lines: median and largest latency per kind of query, and the slowest five."""
    groups = {}
    for client_ms, server_ms, query in timings:
        kind = query["kind"] + ("+filter" if query.get("filters") else "")
        groups.setdefault(kind, []).append((client_ms, server_ms))
    print("# bioex check pass, 1 client, ms (client p50 / max; server took_ms p50):", flush=True)
    for kind in sorted(groups):
        client = [c for c, _ in groups[kind]]
        server = [s for _, s in groups[kind] if isinstance(s, (int, float))]
        print("#   %-16s n=%3d  %7.1f / %7.1f  took %7.1f" % (kind, len(client), median(client), max(client),
                                                             median(server)), flush=True)
    for client_ms, server_ms, query in sorted(timings, key=lambda t: -t[0])[:5]:
        print("#   slow: %7.1f ms (took_ms %s) q=%s filters=%s" % (
            client_ms, server_ms, query["q"], json.dumps(query.get("filters"), ensure_ascii=False)), flush=True)


def main():
    if len(sys.argv) not in (6, 7):
        sys.exit("usage: bioex_probe.py SERVE_OUT START PID URLS QUERIES [TIMEOUT_SECONDS]")
    serve_out, start, pid = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    urls_path, queries_path = sys.argv[4], sys.argv[5]
    timeout = float(sys.argv[6]) if len(sys.argv) == 7 else 600.0
    deadline = start + timeout
    with open(urls_path, encoding="utf-8") as source:
        urls = [line.strip() for line in source if line.strip()]
    with open(queries_path, encoding="utf-8") as source:
        queries = [json.loads(line) for line in source]
    port = wait_for_port(serve_out, pid, deadline)
    print("port %d" % port, flush=True)
    healthy, _ = poll(port, pid, "/healthz", lambda status: status == 200, deadline)
    answered, first_status = poll(port, pid, urls[0], lambda status: status != 503, deadline)
    print("ready engine=bioex healthz_s=%s first_query_s=%s first_status=%s" % (
        "%.3f" % (healthy - start) if healthy else "timeout",
        "%.3f" % (answered - start) if answered else "timeout", first_status), flush=True)

    statuses = {}
    empty = 0
    shown = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    check_deadline = time.time() + 120
    done = 0
    timings = []   # (client ms, server ms or None, query)
    for url, query in zip(urls, queries):
        if time.time() > check_deadline or not server_alive(pid):
            break
        begin = time.perf_counter()
        try:
            status, body = get(connection, url)
        except (OSError, http.client.HTTPException) as error:
            status, body = "no-answer", str(error).encode()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        client_ms = (time.perf_counter() - begin) * 1000
        done += 1
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            try:
                answer = json.loads(body)
                if not answer.get("items"):
                    empty += 1
                timings.append((client_ms, answer.get("took_ms"), query))
            except ValueError:
                statuses["bad-json"] = statuses.get("bad-json", 0) + 1
        elif shown < 3:
            shown += 1
            print("# bioex error: GET %s -> %s %s" % (url, status, body[:300].decode("utf-8", "replace")),
                  flush=True)
    connection.close()
    print_timings(timings)
    ok = statuses.get(200, 0)
    print("check engine=bioex queries=%d ok=%d errors=%d empty=%d statuses=%s" % (
        done, ok, done - ok, empty, ",".join("%s:%d" % item for item in sorted(statuses.items(), key=str))),
        flush=True)


if __name__ == "__main__":
    main()
