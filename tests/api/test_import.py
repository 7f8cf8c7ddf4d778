"""NDJSON import over the API: all or nothing per batch, a report per line, replicas
written only when newer, and the roles that may keep foreign ids and provenance."""
from harness import expect, expect_error, ndjson, record, total

IMPORT = "/api/v1/records:import"
NDJSON = "application/x-ndjson"


def post(node, body, user="admin", content_type=NDJSON):
    return node.request("POST", IMPORT, body, user=user, content_type=content_type)


def lines_of(reply):
    return [(line["line"], line["result"]) for line in reply.json["lines"]]


def test_one_bad_line_refuses_the_whole_batch(node):
    before = total(node, user="admin")
    body = ndjson(record(id="cn:batch-ok-1", title={"zh": "湿地保护报告", "ar": "تقرير حماية الأراضي الرطبة"}),
                  record(id="cn:batch-bad", countries=["XX"], date="2021-02-30"),
                  record(id="cn:batch-ok-2"),
                  '{"type": "document", "title": ',
                  record(id="cn:batch-ok-3", title={"ar": "الخطة الوطنية"}))
    reply = post(node, body)
    expect_error(reply, 422, "validation_failed")
    details = reply.json["error"]["details"]
    expect(sorted((d["line"], d["path"]) for d in details) ==
           [(2, "/countries/0"), (2, "/date"), (4, "")], details)
    expect(all(d["message"] for d in details), details)
    expect("nothing was imported" in reply.json["error"]["message"], reply)
    expect(total(node, user="admin") == before, "part of a refused batch was stored")
    for good in ("cn:batch-ok-1", "cn:batch-ok-2", "cn:batch-ok-3"):
        expect_error(node.request("GET", "/api/v1/records/" + good, user="admin"), 404, "not_found")


def test_a_good_batch_is_counted_line_by_line(node):
    before = total(node, user="admin")
    body = ndjson(record(id="cn:good-1", title={"zh": "国家生物多样性战略", "en": "NBSAP"}),
                  record(id="cn:good-2", title={"ar": "التقرير الوطني السابع"}),
                  record(title={"zh": "没有编号的记录"}))
    reply = post(node, body)
    expect(reply.status == 200, reply)
    report = reply.json
    expect(report["committed"] is True and report["created"] == 3, report)
    expect(report["updated"] == 0 and report["unchanged"] == 0 and report["invalid"] == 0, report)
    expect(lines_of(reply) == [(1, "created"), (2, "created"), (3, "created")], report)
    expect([line["id"] for line in report["lines"][:2]] == ["cn:good-1", "cn:good-2"], report)
    expect(report["lines"][2]["id"].startswith("cn:"), report)
    expect(all(line["revision"] == 1 for line in report["lines"]), report)
    expect(total(node, user="admin") == before + 3, "the batch was not stored")
    stored = node.request("GET", "/api/v1/records/cn:good-2")
    expect(stored.status == 200 and stored.json["title"]["ar"] == "التقرير الوطني السابع", stored)
    again = post(node, ndjson(record(id="cn:good-1", date="2025-03-01")))
    expect(again.status == 200 and again.json["updated"] == 1, again)
    expect(again.json["lines"][0]["revision"] == 2, again)


def test_reimport_of_replicas_by_admin_is_unchanged(node):
    replicas = []
    for i in range(3):
        replica = record(id="cn:replica-%d" % i, title={"zh": "复制记录 %d" % i, "ar": "نسخة %d" % i})
        replica["meta"] = {"revision": 2, "created": "2024-01-01T00:00:00Z",
                           "updated": "2024-01-02T00:00:00Z", "origin": "cn", "author": "focal.cn"}
        replicas.append(replica)
    first = post(node, ndjson(*replicas))
    expect(first.status == 200 and first.json["created"] == 3, first)
    expect([line["revision"] for line in first.json["lines"]] == [2, 2, 2], first)
    before = total(node, user="admin")
    again = post(node, ndjson(*replicas))
    expect(again.status == 200, again)
    expect(again.json["unchanged"] == 3 and again.json["created"] == 0 and again.json["updated"] == 0, again)
    expect(lines_of(again) == [(1, "unchanged"), (2, "unchanged"), (3, "unchanged")], again)
    expect(total(node, user="admin") == before, "a re-import added records")
    current = node.request("GET", "/api/v1/records/cn:replica-0")
    expect(current.headers["etag"] == '"2"', current)
    history = node.request("GET", "/api/v1/records/cn:replica-0/revisions")
    expect(len(history.json["items"]) == 1, "an unchanged replica made a revision: %r" % history)
    # An older copy is not written over a newer one; a newer copy is.
    older = dict(replicas[0], title={"zh": "旧版本"}, meta=dict(replicas[0]["meta"], revision=1))
    reply = post(node, ndjson(older))
    expect(reply.status == 200 and reply.json["unchanged"] == 1, reply)
    expect(node.request("GET", "/api/v1/records/cn:replica-0").json["title"]["zh"] == "复制记录 0")
    newer = dict(replicas[0], title={"zh": "新版本"}, meta=dict(replicas[0]["meta"], revision=5))
    reply = post(node, ndjson(newer))
    expect(reply.status == 200 and reply.json["updated"] == 1, reply)
    current = node.request("GET", "/api/v1/records/cn:replica-0")
    expect(current.json["title"]["zh"] == "新版本" and current.headers["etag"] == '"5"', current)


def test_exported_records_reimport_unchanged(node):
    created = node.create(record(title={"zh": "导出再导入", "ar": "تصدير ثم استيراد"}))
    exported = node.request("GET", "/api/v1/records/" + created["id"]).json
    reply = post(node, ndjson(exported))
    expect(reply.status == 200 and lines_of(reply) == [(1, "unchanged")], reply)
    expect(reply.json["lines"][0]["revision"] == 1, reply)


def test_blank_lines_are_skipped_and_keep_their_numbers(node):
    body = ("\n" + ndjson(record(id="cn:blank-1")) + "   \n\r\n" +
            ndjson(record(id="cn:blank-2")).replace("\n", "\r\n") + "\n\n")
    reply = post(node, body)
    expect(reply.status == 200 and reply.json["created"] == 2, reply)
    expect(lines_of(reply) == [(2, "created"), (5, "created")], reply)
    bad = post(node, "\n\n" + ndjson(record(id="cn:blank-3", targets=["gbf:99"])))
    expect_error(bad, 422, "validation_failed")
    expect([(d["line"], d["path"]) for d in bad.json["error"]["details"]] == [(3, "/targets/0")], bad)


def test_last_line_without_newline_is_read(node):
    reply = post(node, ndjson(record(id="cn:nl-1")) + ndjson(record(id="cn:nl-2")).rstrip("\n"))
    expect(reply.status == 200 and reply.json["created"] == 2, reply)


def test_a_line_that_is_not_a_record_object(node):
    before = total(node, user="admin")
    reply = post(node, ndjson(record(id="cn:obj-1"), ["not", "an", "object"], "42"))
    expect_error(reply, 422, "validation_failed")
    expect(sorted({d["line"] for d in reply.json["error"]["details"]}) == [2, 3], reply)
    expect(total(node, user="admin") == before)


def test_wrong_content_type_is_415(node):
    before = total(node, user="admin")
    reply = post(node, ndjson(record()), content_type="application/json")
    expect_error(reply, 415, "unsupported_media_type")
    reply = post(node, ndjson(record()), content_type="text/plain")
    expect_error(reply, 415, "unsupported_media_type")
    expect(total(node, user="admin") == before)


def test_anonymous_import_is_401(node):
    before = total(node, user="admin")
    reply = post(node, ndjson(record()), user=None)
    expect_error(reply, 401, "unauthorized")
    expect("bearer" in reply.headers.get("www-authenticate", "").lower(), reply.headers)
    expect(total(node, user="admin") == before)


def test_national_user_cannot_import_another_countrys_record(node):
    owned_by_fr = node.create(record(id="cn:fr-owned", countries=["FR"],
                                     title={"fr": "Rapport national", "ar": "تقرير فرنسا"}))
    before = total(node, user="admin")
    body = ndjson(record(id="cn:mine-1", title={"zh": "中国的记录"}),
                  record(id="cn:theirs-1", countries=["FR"]),
                  record(id="cn:both", countries=["CN", "FR"]))
    reply = post(node, body, user="focal.cn")
    expect_error(reply, 422, "validation_failed")
    details = reply.json["error"]["details"]
    expect(sorted(d["line"] for d in details) == [2, 3], details)
    expect(all("FR" in d["message"] or "CN" in d["message"] for d in details), details)
    expect(total(node, user="admin") == before, "a refused batch stored records")
    expect_error(node.request("GET", "/api/v1/records/cn:mine-1", user="admin"), 404)
    # Claiming an existing French record for CN is refused too.
    takeover = record(id="cn:fr-owned", countries=["CN"])
    reply = post(node, ndjson(takeover), user="focal.cn")
    expect_error(reply, 422, "validation_failed")
    expect([d["line"] for d in reply.json["error"]["details"]] == [1], reply)
    current = node.request("GET", "/api/v1/records/cn:fr-owned")
    expect(current.json["countries"] == ["FR"] and current.headers["etag"] == '"1"', current)
    expect(owned_by_fr["meta"]["revision"] == 1)
    # Their own country's records import.
    reply = post(node, ndjson(record(id="cn:mine-2", title={"zh": "自然保护地"})), user="focal.cn")
    expect(reply.status == 200 and reply.json["created"] == 1, reply)


def test_national_and_editor_imports_cannot_keep_foreign_ids(node):
    for user in ("focal.fr", "editor"):
        foreign = record(id="fr:nr6", countries=["FR"])
        foreign["meta"] = {"revision": 4, "origin": "fr"}
        reply = post(node, ndjson(foreign), user=user)
        expect_error(reply, 422, "validation_failed", "/id")
    expect_error(node.request("GET", "/api/v1/records/fr:nr6", user="admin"), 404)


def test_peer_import_keeps_foreign_id_and_provenance(node):
    replica = record(id="fr:nr7", countries=["FR"], conventions=["cbd"],
                     title={"fr": "Septième rapport national", "ar": "التقرير الوطني السابع لفرنسا",
                            "zh": "法国第七次国家报告"})
    replica["meta"] = {"revision": 3, "created": "2024-01-01T00:00:00Z",
                       "updated": "2024-06-30T12:00:00Z", "origin": "fr", "author": "focal.fr"}
    reply = post(node, ndjson(replica), user="peer")
    expect(reply.status == 200 and reply.json["created"] == 1, reply)
    expect(reply.json["lines"][0]["id"] == "fr:nr7" and reply.json["lines"][0]["revision"] == 3, reply)
    stored = node.request("GET", "/api/v1/records/fr:nr7")
    expect(stored.status == 200 and stored.headers["etag"] == '"3"', stored)
    meta = stored.json["meta"]
    expect(meta["origin"] == "fr" and meta["revision"] == 3, meta)
    expect(meta["created"] == "2024-01-01T00:00:00Z" and meta["updated"] == "2024-06-30T12:00:00Z", meta)
    expect(stored.json["title"]["zh"] == "法国第七次国家报告", stored)
    again = post(node, ndjson(replica), user="peer")
    expect(again.status == 200 and lines_of(again) == [(1, "unchanged")], again)


def test_running_the_same_import_again_changes_nothing(node):
    batch = ndjson(record(id="cn:again-1", title={"zh": "再次导入", "ar": "استيراد مرة أخرى"}),
                   record(id="cn:again-2"))
    first = post(node, batch, user="focal.cn")
    expect(first.status == 200 and first.json["created"] == 2, first)
    again = post(node, batch, user="focal.cn")
    expect(again.status == 200 and again.json["unchanged"] == 2 and again.json["updated"] == 0, again)
    history = node.request("GET", "/api/v1/records/cn:again-1/revisions")
    expect(len(history.json["items"]) == 1, "a second revision was made: %r" % history)
    changed = post(node, ndjson(record(id="cn:again-1", date="2025-02-02")), user="focal.cn")
    expect(changed.json["updated"] == 1 and changed.json["lines"][0]["revision"] == 2, changed)


def test_a_foreign_id_without_meta_names_its_origin(node):
    reply = post(node, ndjson(record(id="fr:nbsap-2030", countries=["FR"])))
    expect(reply.status == 200 and reply.json["created"] == 1, reply)
    stored = node.request("GET", "/api/v1/records/fr:nbsap-2030")
    expect(stored.json["meta"]["origin"] == "fr", stored)
    mine = node.create(record())
    expect(mine["meta"]["origin"] == "cn", mine)
