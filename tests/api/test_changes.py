"""The changes feed, GET /api/v1/changes: published records and withdrawals in sequence
order, paged by since/limit with next and more, private fields only for those allowed."""
import threading

from harness import expect, expect_error, record

CHANGES = "/api/v1/changes"


def changes(node, since=0, limit=None, user=None):
    path = "%s?since=%d" % (CHANGES, since) + ("&limit=%d" % limit if limit else "")
    reply = node.request("GET", path, user=user)
    expect(reply.status == 200, reply)
    return reply.json


def follow(node, since=0, limit=3, user=None):
    """Every item after since, page by page; returns (items, last cursor)."""
    items = []
    while True:
        page = changes(node, since, limit, user)
        items += page["items"]
        expect(page["next"] >= since, page)
        since = page["next"]
        if not page["more"]:
            return items, since


def test_published_records_and_withdrawals_in_sequence_order(node):
    _, start = follow(node)
    first = node.create(record(title={"zh": "湿地变化", "ar": "تغيرات الأراضي الرطبة"}))
    second = node.create(record(title={"en": "Second"}))
    draft = node.create(record(status="draft", title={"en": "A draft"}))
    withdrawn = node.request("DELETE", "/api/v1/records/" + second["id"], user="admin")
    expect(withdrawn.status in (200, 204), withdrawn)
    items, _ = follow(node, start)
    ids = [item["id"] for item in items]
    expect(draft["id"] not in ids, "a draft is in the feed: %r" % ids)
    expect(ids == [first["id"], second["id"]], ids)   # second appears once, at its withdrawal
    expect(items[0]["seq"] < items[1]["seq"], items)
    expect(items[0]["record"]["title"]["zh"] == "湿地变化" and items[0]["deleted"] is False, items[0])
    expect(items[1]["deleted"] is True and "record" not in items[1] and items[1]["revision"] == 2, items[1])


def test_paging_sees_every_change_once(node):
    _, start = follow(node)
    created = [node.create(record(title={"ar": "سجل %d" % i}))["id"] for i in range(7)]
    items, cursor = follow(node, start, limit=2)
    expect([item["id"] for item in items] == created, items)
    again = changes(node, cursor)
    expect(again["items"] == [] and again["more"] is False and again["next"] == cursor, again)


def test_writes_during_a_harvest_are_seen_in_this_pass_or_the_next(node):
    _, start = follow(node)
    written = []

    def writer():
        for i in range(20):
            written.append(node.create(record(title={"zh": "并发记录 %d" % i}))["id"])

    thread = threading.Thread(target=writer)
    thread.start()
    seen, cursor = [], start
    while thread.is_alive():
        page = changes(node, cursor, 2)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next"]
    thread.join()
    items, _ = follow(node, cursor, limit=2)
    seen += [item["id"] for item in items]
    expect(sorted(seen) == sorted(written), "missed or repeated: %r vs %r" % (seen, written))


def test_private_fields_only_for_those_allowed(node):
    expert = node.create({
        "type": "expert", "title": {"en": "Dr. Amina Haddad"}, "countries": ["FR"],
        "fields": {"name": {"en": "Amina Haddad"}, "contact": {"email": "amina@example.org"}},
    })
    public, _ = follow(node, limit=1000)
    mine = [item for item in public if item["id"] == expert["id"]]
    expect(mine and "contact" not in mine[0]["record"]["fields"], mine)
    peer, _ = follow(node, limit=1000, user="peer")
    mine = [item for item in peer if item["id"] == expert["id"]]
    expect(mine[0]["record"]["fields"]["contact"]["email"] == "amina@example.org", mine)


def test_bad_parameters_are_400(node):
    for query in ("since=-1", "since=abc", "limit=0", "limit=5001", "limit=1e3"):
        expect_error(node.request("GET", CHANGES + "?" + query), 400, "bad_request")
