"""Records: create, read, replace with preconditions, withdraw, revisions, and every
kind of bad input answered with the right status and nothing changed."""
from harness import expect, expect_error, record


def count(node, user=None, **filters):
    query = "&".join("%s=%s" % item for item in filters.items())
    reply = node.request("GET", "/api/v1/records?" + query, user=user)
    expect(reply.status == 200, reply)
    return reply.json["total"]


def test_create_and_read_in_chinese_and_arabic(node):
    created = node.create(record())
    expect(created["id"].startswith("cn:"), created)
    expect(created["meta"]["revision"] == 1 and created["meta"]["origin"] == "cn", created)
    expect(created["regions"] == ["030", "142"], "regions come from the country: %r" % created)
    reply = node.request("GET", "/api/v1/records/" + created["id"])
    expect(reply.status == 200 and reply.headers["etag"] == '"1"', reply)
    expect(reply.json["title"]["zh"] == "生物多样性公约国家报告", reply)
    expect(reply.json["title"]["ar"] == "التقرير الوطني لاتفاقية التنوع البيولوجي", reply)


def test_create_answers_location_of_the_record(node):
    reply = node.request("POST", "/api/v1/records", record(id="cn:nbsap-2021"), user="admin")
    expect(reply.status == 201 and reply.headers["location"] == "/api/v1/records/cn:nbsap-2021", reply)
    again = node.request("POST", "/api/v1/records", record(id="cn:nbsap-2021"), user="admin")
    expect_error(again, 409, "already_exists")


def test_every_validation_problem_is_reported_and_nothing_is_stored(node):
    before = count(node)
    bad = record(title={}, countries=["XX"], targets=["gbf:99"], subjects=["gemet:0"],
                 date="2021-02-30", fields={"symbol": 12, "unknown": 1})
    reply = node.request("POST", "/api/v1/records", bad, user="admin")
    expect_error(reply, 422, "validation_failed")
    paths = sorted(d["path"] for d in reply.json["error"]["details"])
    expect(paths == ["/countries/0", "/date", "/fields/symbol", "/fields/unknown", "/subjects/0",
                     "/targets/0", "/title"], paths)
    expect(count(node) == before, "a rejected record was stored")


def test_unknown_type_and_missing_title(node):
    expect_error(node.request("POST", "/api/v1/records", record(type="nope"), user="admin"),
                 422, "validation_failed", "/type")
    expect_error(node.request("POST", "/api/v1/records", record(title=None), user="admin"),
                 422, "validation_failed", "/title")


def test_malformed_json_is_400(node):
    reply = node.request("POST", "/api/v1/records", '{"type": "document", ', user="admin")
    expect_error(reply, 400, "bad_request")


def test_deep_json_is_400(node):
    reply = node.request("POST", "/api/v1/records", "[" * 100 + "]" * 100, user="admin")
    expect_error(reply, 400, "bad_request")


def test_wrong_content_type_is_415(node):
    reply = node.request("POST", "/api/v1/records", record(), user="admin", content_type="text/plain")
    expect_error(reply, 415, "unsupported_media_type")


def test_body_over_16_mib_is_413(node):
    big = record(text={"en": "x" * (17 * 1024 * 1024)})
    reply = node.request("POST", "/api/v1/records", big, user="admin")
    expect_error(reply, 413, "too_large")


def test_anonymous_write_is_401(node):
    reply = node.request("POST", "/api/v1/records", record())
    expect_error(reply, 401, "unauthorized")
    expect("bearer" in reply.headers.get("www-authenticate", "").lower(), reply.headers)


def test_bad_token_is_401(node):
    reply = node.request("GET", "/api/v1/records", token="x" * 43)
    expect_error(reply, 401, "unauthorized")


def test_national_user_writes_only_their_country(node):
    mine = node.create(record(), user="focal.cn")
    expect(mine["status"] == "published", mine)
    before = count(node)
    reply = node.request("POST", "/api/v1/records", record(countries=["FR"]), user="focal.cn")
    expect_error(reply, 403, "forbidden")
    reply = node.request("PUT", "/api/v1/records/" + mine["id"], record(countries=["CN"]),
                         user="focal.fr", headers={"If-Match": '"1"'})
    expect_error(reply, 403, "forbidden")
    expect(count(node) == before, "a refused record was stored")


def test_national_user_bound_to_an_instrument(node):
    reply = node.request("POST", "/api/v1/records", record(conventions=["cbd"]), user="focal.cn.cites")
    expect_error(reply, 403, "forbidden")
    node.create(record(conventions=["cites"]), user="focal.cn.cites")


def test_unknown_id_is_404(node):
    expect_error(node.request("GET", "/api/v1/records/cn:nothing-here"), 404, "not_found")
    reply = node.request("PUT", "/api/v1/records/cn:nothing-here", record(), user="admin",
                         headers={"If-Match": '"1"'})
    expect_error(reply, 404, "not_found")


def test_replace_needs_a_precondition(node):
    created = node.create(record())
    path = "/api/v1/records/" + created["id"]
    expect_error(node.request("PUT", path, record(), user="admin"), 428, "precondition_required")
    reply = node.request("PUT", path, record(date="2025-01-01"), user="admin", headers={"If-Match": '"1"'})
    expect(reply.status == 200 and reply.headers["etag"] == '"2"', reply)
    expect(reply.json["meta"]["created"] == created["meta"]["created"], reply)
    stale = node.request("PUT", path, record(), user="admin", headers={"If-Match": '"1"'})
    expect_error(stale, 412, "precondition_failed")
    body = record()
    body["meta"] = {"revision": 1}
    expect_error(node.request("PUT", path, body, user="admin"), 409, "revision_conflict")
    body["meta"] = {"revision": 2}
    reply = node.request("PUT", path, body, user="admin")
    expect(reply.status == 200 and reply.json["meta"]["revision"] == 3, reply)
    current = node.request("GET", path)
    expect(current.json["date"] == "2024-05-01" and current.json["meta"]["revision"] == 3, current)


def test_withdraw_leaves_a_tombstone_and_history(node):
    created = node.create(record())
    path = "/api/v1/records/" + created["id"]
    expect_error(node.request("DELETE", path), 401, "unauthorized")
    reply = node.request("DELETE", path, user="admin")
    expect(reply.status == 200 and reply.json["revision"] == 2 and reply.json["deleted"], reply)
    expect_error(node.request("GET", path), 410, "withdrawn")
    expect_error(node.request("DELETE", path, user="admin"), 410, "withdrawn")
    history = node.request("GET", path + "/revisions")
    expect(history.status == 200, history)
    expect([i["revision"] for i in history.json["items"]] == [1, 2], history)
    expect(history.json["items"][1]["deleted"] is True, history)
    first = node.request("GET", path + "/revisions/1")
    expect(first.status == 200 and first.json["meta"]["revision"] == 1, first)


def test_contributor_drafts_are_private(node):
    draft = node.create(record(), user="contributor")
    expect(draft["status"] == "draft", draft)
    path = "/api/v1/records/" + draft["id"]
    expect_error(node.request("GET", path), 404, "not_found")
    expect(node.request("GET", path, user="contributor").status == 200)
    expect(node.request("GET", path, user="focal.cn").status == 200)
    expect_error(node.request("GET", path, user="focal.fr"), 404)
    reply = node.request("POST", "/api/v1/records", record(status="published"), user="contributor")
    expect_error(reply, 403, "forbidden")
    expect(count(node, user="contributor", status="draft") >= 1)
    expect_error(node.request("GET", "/api/v1/records?status=draft"), 401)


def test_private_fields_hidden_from_the_public(node):
    expert = node.create({
        "type": "expert", "title": {"en": "Dr. Li Wei"}, "countries": ["CN"],
        "fields": {"name": {"en": "Li Wei"}, "contact": {"email": "li.wei@example.org"}},
    })
    path = "/api/v1/records/" + expert["id"]
    public = node.request("GET", path)
    expect(public.status == 200 and "contact" not in public.json["fields"], public)
    expect("li.wei@example.org" not in public.body, public)
    editor = node.request("GET", path, user="editor")
    expect(editor.json["fields"]["contact"]["email"] == "li.wei@example.org", editor)


def test_list_filters_and_paging(node):
    for i in range(3):
        node.create(record(countries=["FR"], conventions=["ramsar"], date="2020-01-0%d" % (i + 1)))
    reply = node.request("GET", "/api/v1/records?country=FR&instrument=ramsar&size=2")
    expect(reply.status == 200 and reply.json["total"] == 3 and len(reply.json["items"]) == 2, reply)
    expect(reply.json["items"][0]["date"] == "2020-01-03", "newest first: %r" % reply)
    page2 = node.request("GET", "/api/v1/records?country=FR&instrument=ramsar&size=2&page=2")
    expect(len(page2.json["items"]) == 1, page2)
    expect_error(node.request("GET", "/api/v1/records?size=1000"), 400, "bad_request")
    expect_error(node.request("GET", "/api/v1/records?page=0"), 400, "bad_request")
