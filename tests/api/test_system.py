"""Operations: health, Prometheus metrics, the OpenAPI description, and how unknown
paths, wrong methods and HEAD are answered."""
import json
import re

from harness import expect, expect_error, record

ROUTES = ["/healthz", "/metrics", "/api/v1/openapi.json", "/api/v1/auth/login", "/api/v1/auth/logout",
          "/api/v1/records", "/api/v1/records:import", "/api/v1/records/{id}",
          "/api/v1/records/{id}/revisions", "/api/v1/records/{id}/revisions/{n}",
          "/api/v1/vocabularies", "/api/v1/vocabularies/{name}", "/api/v1/vocabularies/{name}/{id}",
          "/api/v1/countries/{iso}", "/api/v1/users", "/api/v1/users/{name}", "/api/v1/changes",
          "/api/v1/nodes", "/api/v1/nodes/{slug}", "/api/v1/nodes/{slug}/harvest", "/oai",
          "/oai/bioex-record.xsd"]


def metrics(node):
    reply = node.request("GET", "/metrics")
    expect(reply.status == 200, reply)
    expect(reply.headers["content-type"].startswith("text/plain"), reply.headers)
    samples = {}
    for line in reply.body.splitlines():
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r'([a-z_]+)(\{(?:[a-z_]+="(?:[^"\\]|\\.)*",?)*\})? (\S+)', line)
        expect(match, "not a Prometheus sample: %r" % line)
        samples[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return reply.body, samples


def test_healthz(node):
    reply = node.request("GET", "/healthz")
    expect(reply.status == 200 and reply.json == {"status": "ok"}, reply)
    expect(reply.headers["content-type"].startswith("application/json"), reply.headers)


def test_metrics_count_requests_by_route_and_status(node):
    for _ in range(3):
        node.request("GET", "/healthz")
    node.request("GET", "/api/v1/records/cn:no-such-record")
    node.request("GET", "/no/such/path/xyz-metrics-probe")
    body, samples = metrics(node)
    expect("# TYPE bioex_http_requests_total counter" in body, body)
    expect(samples.get('bioex_http_requests_total{method="GET",route="/healthz",status="200"}', 0) >= 3, body)
    expect(samples.get('bioex_http_requests_total{method="GET",route="/api/v1/records/{id}",status="404"}',
                       0) >= 1, body)
    expect("xyz-metrics-probe" not in body and "cn:no-such-record" not in body,
           "metrics labels carry raw paths: %s" % body)
    body2, later = metrics(node)
    key = 'bioex_http_requests_total{method="GET",route="/metrics",status="200"}'
    expect(later.get(key, 0) == samples.get(key, 0) + 1, "the counter did not grow: %s" % body2)


def test_metrics_latency_histogram_is_consistent(node):
    node.request("GET", "/healthz")
    body, samples = metrics(node)
    expect("# TYPE bioex_http_request_duration_seconds histogram" in body, body)
    buckets = [(name, value) for name, value in samples.items()
               if name.startswith("bioex_http_request_duration_seconds_bucket")]
    expect(len(buckets) >= 2 and buckets[-1][0].endswith('{le="+Inf"}'), buckets)
    values = [value for _, value in buckets]
    expect(values == sorted(values), "buckets are not cumulative: %s" % buckets)
    count = samples["bioex_http_request_duration_seconds_count"]
    expect(values[-1] == count and count > 0, body)
    expect(samples["bioex_http_request_duration_seconds_sum"] >= 0, body)
    node.request("GET", "/healthz")
    _, later = metrics(node)
    expect(later["bioex_http_request_duration_seconds_count"] == count + 2, "the histogram missed requests")


def test_metrics_labels_do_not_grow_with_client_input(node):
    """Anyone may send any method name; each must not become a series of its own (an
    unauthenticated client could grow the server's memory and the scrape without bound),
    and every request must still be counted."""
    for i in range(5):
        reply = node.request("BREW%d" % i, "/healthz")
        expect(reply.status in (400, 405, 501), reply)
    node.request("VERYLONGMETHODNAME123", "/nothing-here")
    body, samples = metrics(node)
    leaked = [line for line in body.splitlines() if "BREW" in line or "VERYLONG" in line]
    expect(not leaked, "client-chosen methods became labels: %s" % leaked)
    requests = sum(v for k, v in samples.items() if k.startswith("bioex_http_requests_total"))
    count = samples["bioex_http_request_duration_seconds_count"]
    expect(requests == count, "requests_total sums to %s, histogram counts %s" % (requests, count))


def test_metrics_count_records_by_type_and_status(node):
    def gauge(samples, type_, status):
        return samples.get('bioex_records{type="%s",status="%s"}' % (type_, status), 0)
    _, before = metrics(node)
    node.create(record(title={"zh": "指标测试", "ar": "اختبار المقاييس"}))
    node.create(record())
    node.create(record(), user="contributor")
    withdrawn = node.create(record())
    node.request("DELETE", "/api/v1/records/" + withdrawn["id"], user="admin")
    node.create({"type": "focal-point", "title": {"zh": "国家联络点"}, "countries": ["CN"],
                 "fields": {"instrument": "cbd", "role": "national-focal-point"}})
    body, after = metrics(node)
    expect("# TYPE bioex_records gauge" in body, body)
    expect(gauge(after, "document", "published") == gauge(before, "document", "published") + 2, body)
    expect(gauge(after, "document", "draft") == gauge(before, "document", "draft") + 1, body)
    expect(gauge(after, "focal-point", "published") == gauge(before, "focal-point", "published") + 1, body)
    listed = node.request("GET", "/api/v1/records?type=document&status=published&size=1", user="admin")
    expect(gauge(after, "document", "published") == listed.json["total"], (body, listed))


def test_openapi_is_valid_json(node):
    reply = node.request("GET", "/api/v1/openapi.json")
    expect(reply.status == 200 and reply.headers["content-type"].startswith("application/json"), reply)
    expect("\x00" not in reply.body, "the description ends with NUL bytes: %r" % reply.body[-8:])
    try:
        document = json.loads(reply.body)
    except ValueError as error:
        raise AssertionError("openapi.json is not JSON: %s (ends %r)" % (error, reply.body[-20:]))
    expect(str(document.get("openapi", "")).startswith("3."), document.get("openapi"))
    expect(isinstance(document.get("paths"), dict) and document["paths"], "no paths")
    missing = [route for route in ROUTES if route not in document["paths"]]
    expect(not missing, "routes missing from the description: %s" % missing)


def test_unknown_path_is_a_json_404(node):
    for path in ("/nothing-here", "/api/v2/records", "/api/v1/records/", "/api/v1",
                 "/api/v1/records/cn:x/revisions/1/extra/a/b/c/d"):
        reply = node.request("GET", path)
        expect_error(reply, 404, "not_found")
        expect(reply.headers["content-type"].startswith("application/json"), reply.headers)


def test_wrong_method_is_405_with_allow(node):
    cases = [("DELETE", "/healthz", {"GET"}), ("POST", "/metrics", {"GET"}),
             ("PUT", "/api/v1/records", {"GET", "POST"}), ("GET", "/api/v1/records:import", {"POST"}),
             ("PATCH", "/api/v1/records/cn:anything", {"GET", "PUT", "DELETE"}),
             ("GET", "/api/v1/auth/login", {"POST"}), ("DELETE", "/api/v1/users/editor", {"GET", "PUT"}),
             ("POST", "/api/v1/vocabularies/countries", {"GET"})]
    for method, path, allowed in cases:
        reply = node.request(method, path, user="admin")
        expect_error(reply, 405, "method_not_allowed")
        allow = {m.strip() for m in reply.headers.get("allow", "").split(",") if m.strip()}
        expect(allowed <= allow and method not in allow, "%s %s: Allow %r" % (method, path, allow))


def test_head_of_a_record(node):
    created = node.create(record(title={"zh": "头请求", "ar": "طلب الرأس"}))
    path = "/api/v1/records/" + created["id"]
    got = node.request("GET", path)
    head = node.request("HEAD", path)
    expect(head.status == 200 and head.body == "", head)
    expect(head.headers.get("etag") == '"1"', head.headers)
    expect(head.headers.get("content-length") == got.headers.get("content-length"), (head.headers, got.headers))
    missing = node.request("HEAD", "/api/v1/records/cn:no-such-record")
    expect(missing.status == 404 and missing.body == "", missing)
    expect(node.request("HEAD", "/healthz").status == 200)
