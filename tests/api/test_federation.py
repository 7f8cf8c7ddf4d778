"""Federation between real nodes on loopback: harvesting a bioex peer's changes feed
(updates, withdrawals, re-harvests, chains, interruptions), push with a node credential,
refusing copies of our own records, failures that leave the database as it was, a generic
OAI-PMH endpoint (a small Python server), the node registry API and scheduled harvests."""
import hashlib
import http.server
import json
import re
import socket
import subprocess
import threading
import time

from harness import PASSWORDS, Node, expect, expect_error, ndjson, record

NODE_OPTIONS = {"slug": "central"}
IMPORT = "/api/v1/records:import"
NDJSON = "application/x-ndjson"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def url_of(node):
    return "http://127.0.0.1:%d" % node.port


def peer_node(node, slug):
    """Another node, of slug, with the same program as the module's node."""
    return Node(node.binary, slug=slug)


def load(node, records):
    reply = node.request("POST", IMPORT, ndjson(*records), user="admin", content_type=NDJSON)
    expect(reply.status == 200, reply)
    return reply.json


def documents(slug, n, start=0, **overrides):
    return [record(id="%s:r%03d" % (slug, i), title={"zh": "国家报告 %d" % i, "ar": "تقرير وطني %d" % i},
                   **overrides) for i in range(start, start + n)]


def harvest(target, *args):
    """Runs bioex harvest on target's database; returns (exit status, stdout, stderr)."""
    result = target.run("harvest", *args, check=False)
    return result.returncode, result.stdout, result.stderr


def counts(stdout):
    """The counts bioex harvest printed, by name."""
    names = "added|updated|deleted|unchanged|refused|skipped|created|withdrawn"
    return {name: int(value) for value, name in re.findall(r"(\d+) (%s)\b" % names, stdout)}


def state(node, prefix):
    """Every record of node whose id starts with prefix, as the changes feed (admin) shows it
    now: {id: (revision, deleted, record without meta.harvested)}."""
    found, since = {}, 0
    while True:
        reply = node.request("GET", "/api/v1/changes?since=%d&limit=5000" % since, user="admin")
        expect(reply.status == 200, reply)
        for item in reply.json["items"]:
            if item["id"].startswith(prefix):
                copy = json.loads(json.dumps(item.get("record"))) if "record" in item else None
                if copy:
                    copy["meta"].pop("harvested", None)
                found[item["id"]] = (item["revision"], item["deleted"], copy)
        since = reply.json["next"]
        if not reply.json["more"]:
            return found


def last_seq(node):
    since = 0
    while True:
        reply = node.request("GET", "/api/v1/changes?since=%d&limit=5000" % since, user="admin")
        since = reply.json["next"]
        if not reply.json["more"]:
            return since


def revisions(node, record_id):
    reply = node.request("GET", "/api/v1/records/%s/revisions" % record_id, user="admin")
    expect(reply.status == 200, reply)
    return len(reply.json["items"])


def node_info(node, slug):
    reply = node.request("GET", "/api/v1/nodes/" + slug)
    expect(reply.status == 200, reply)
    return reply.json


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out after %ds waiting for %s" % (seconds, what))


def test_full_harvest_then_updates_and_withdrawals_then_a_quiet_reharvest(node):
    source = peer_node(node, "fa")
    try:
        load(source, documents("fa", 6))
        status, out, err = harvest(node, url_of(source), "--peer", "fa", "--page-size", "4")
        expect(status == 0, err)
        expect(counts(out)["added"] == 6 and counts(out)["updated"] == 0, out)
        mine = node.request("GET", "/api/v1/records/fa:r002").json
        theirs = source.request("GET", "/api/v1/records/fa:r002").json
        expect(mine["meta"]["origin"] == "fa" and ISO.match(mine["meta"]["harvested"]), mine["meta"])
        expect(mine["meta"]["revision"] == theirs["meta"]["revision"] == 1, mine)
        expect(mine["meta"]["created"] == theirs["meta"]["created"], mine)
        expect(state(node, "fa:") == state(source, "fa:"), "the copy differs from the source")

        for i in (0, 1):
            reply = source.request("PUT", "/api/v1/records/fa:r%03d" % i,
                                   record(title={"zh": "已修改 %d" % i}), user="admin", headers={"If-Match": '"1"'})
            expect(reply.status == 200, reply)
        expect(source.request("DELETE", "/api/v1/records/fa:r005", user="admin").status == 200)
        status, out, err = harvest(node, "--peer", "fa")
        expect(status == 0, err)
        expect((counts(out)["added"], counts(out)["updated"], counts(out)["deleted"]) == (0, 2, 1), out)
        expect(node.request("GET", "/api/v1/records/fa:r000").json["title"] == {"zh": "已修改 0"})
        expect(node.request("GET", "/api/v1/records/fa:r005").status == 410)
        history = node.request("GET", "/api/v1/records/fa:r005/revisions", user="admin").json["items"]
        expect([(h["revision"], h["deleted"]) for h in history] == [(1, False), (2, True)], history)
        expect(state(node, "fa:") == state(source, "fa:"), "the copy differs after updates")

        before = {i: revisions(node, "fa:r%03d" % i) for i in range(6)}
        seq = last_seq(node)
        status, out, err = harvest(node, "--peer", "fa")
        expect(status == 0 and (counts(out)["added"], counts(out)["updated"], counts(out)["deleted"]) == (0, 0, 0), out)
        expect({i: revisions(node, "fa:r%03d" % i) for i in range(6)} == before, "a re-harvest made revisions")
        expect(last_seq(node) == seq, "a re-harvest changed the database")

        info = node_info(node, "fa")
        expect(info["kind"] == "bioex" and info["records"] == 5 and info["last_error"] is None, info)
        expect([(r["added"], r["updated"], r["deleted"]) for r in info["runs"]] == [(0, 0, 0), (0, 2, 1), (6, 0, 0)],
               info["runs"])
        expect(isinstance(info["lag"], int) and 0 <= info["lag"] < 60 and ISO.match(info["last_success"]), info)
    finally:
        source.close()


def test_a_chain_of_three_nodes_keeps_the_origin(node):
    national, regional = peer_node(node, "na"), peer_node(node, "re")
    try:
        load(national, documents("na", 3))
        load(regional, documents("re", 1))
        expect(harvest(regional, url_of(national), "--peer", "na")[0] == 0)
        status, out, err = harvest(node, url_of(regional), "--peer", "re")
        expect(status == 0 and counts(out)["added"] == 4, out + err)
        copy = node.request("GET", "/api/v1/records/na:r001").json
        expect(copy["meta"]["origin"] == "na" and copy["meta"]["revision"] == 1, copy["meta"])
        expect(node.request("GET", "/api/v1/records/re:r000").json["meta"]["origin"] == "re")
        expect(national.request("DELETE", "/api/v1/records/na:r002", user="admin").status == 200)
        expect(harvest(regional, "--peer", "na")[0] == 0)
        status, out, _ = harvest(node, "--peer", "re")
        expect(counts(out)["deleted"] == 1, out)
        expect(node.request("GET", "/api/v1/records/na:r002").status == 410)
        expect(state(node, "na:") == state(national, "na:"), "the chain changed the records")
    finally:
        national.close()
        regional.close()


def test_an_interrupted_harvest_resumes_without_loss_or_duplicates(node):
    source = peer_node(node, "ki")
    try:
        load(source, documents("ki", 400))
        first = subprocess.Popen([node.binary, "harvest", url_of(source), "--peer", "ki", "--page-size", "1",
                                  "--db", node.db, "--log-level", "warn"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for(lambda: node.request("GET", "/api/v1/records/ki:r010").status == 200, 60, "the first pages")
        source.stop(kill=True)
        _, err = first.communicate(timeout=60)
        expect(first.returncode != 0 and "127.0.0.1" in err, err)
        partial = state(node, "ki:")
        expect(10 < len(partial) < 400, "the harvest was not interrupted midway (%d)" % len(partial))
        info = node_info(node, "ki")
        expect(info["last_error"] and info["runs"][0]["error"] == info["last_error"], info)
        expect(info["runs"][0]["added"] == len(partial), info["runs"][0])
        source.start()
        status, out, err = harvest(node, url_of(source), "--peer", "ki", "--page-size", "50")
        expect(status == 0 and counts(out)["added"] == 400 - len(partial), out + err)
        copy = state(node, "ki:")
        expect(copy == state(source, "ki:") and len(copy) == 400, "records lost or changed")
        expect(all(revision == 1 for revision, _, _ in copy.values()), "a record was written twice")
        expect(node_info(node, "ki")["records"] == 400)
    finally:
        source.close()


def test_push_carries_what_a_pull_would(node):
    national, puller = peer_node(node, "pu"), peer_node(node, "pl")
    try:
        load(national, documents("pu", 4) + [{
            "id": "pu:expert-1", "type": "expert", "title": {"en": "Dr. Amina Haddad"}, "countries": ["FR"],
            "fields": {"name": {"en": "Amina Haddad"}, "contact": {"email": "amina@example.org"}}}])
        push = national.run("push", url_of(node), "--user", "peer", stdin=PASSWORDS["peer"] + "\n", check=False)
        expect(push.returncode == 0 and counts(push.stdout)["created"] == 5, push.stdout + push.stderr)
        expect("peer-node-password" not in push.stdout + push.stderr)
        pulled = harvest(puller, url_of(national), "--peer", "pu")
        expect(pulled[0] == 0, pulled)
        pushed = state(node, "pu:")
        expect(len(pushed) == 5 and pushed.keys() == state(national, "pu:").keys(), pushed.keys())
        for record_id, (revision, deleted, content) in pushed.items():
            expect(content["meta"]["origin"] == "pu" and revision == 1 and not deleted, content)
        expert = node.request("GET", "/api/v1/records/pu:expert-1", user="admin").json
        expect(expert["fields"]["contact"]["email"] == "amina@example.org", "push lost a private field")
        expect(ISO.match(expert["meta"]["harvested"]), expert["meta"])

        expect(national.request("DELETE", "/api/v1/records/pu:r001", user="admin").status == 200)
        reply = national.request("PUT", "/api/v1/records/pu:r002", record(title={"ar": "محدث"}), user="admin",
                                 headers={"If-Match": '"1"'})
        expect(reply.status == 200, reply)
        push = national.run("push", url_of(node), "--user", "peer", stdin=PASSWORDS["peer"] + "\n", check=False)
        expect(push.returncode == 0 and "pushed 2 changes" in push.stdout, push.stdout + push.stderr)
        expect((counts(push.stdout)["withdrawn"], counts(push.stdout)["updated"]) == (1, 1), push.stdout)
        expect(harvest(puller, "--peer", "pu")[0] == 0)
        expect(node.request("GET", "/api/v1/records/pu:r001").status == 410)
        public_push, public_pull = state(node, "pu:r"), state(puller, "pu:r")
        expect(public_push == public_pull, "push and pull differ:\n%r\n%r" % (public_push, public_pull))
        again = national.run("push", url_of(node), "--user", "peer", stdin=PASSWORDS["peer"] + "\n", check=False)
        expect(again.returncode == 0 and "pushed 0 changes" in again.stdout, again.stdout)
        expect(national.request("DELETE", "/api/v1/records/pu:r003", user="admin").status == 200)
        wrong = national.run("push", url_of(node), "--user", "peer", stdin="not-the-password\n", check=False)
        expect(wrong.returncode != 0 and "HTTP 401" in wrong.stderr, wrong.stderr)
        expect(node.request("GET", "/api/v1/records/pu:r003").status == 200, "a refused push changed records")
    finally:
        national.close()
        puller.close()


def test_copies_of_our_own_records_are_refused(node):
    ours = node.create(record(title={"zh": "中央节点的记录"}))
    other = peer_node(node, "rf")
    try:
        expect(harvest(other, url_of(node), "--peer", "central")[0] == 0)
        changed = dict(ours, title={"zh": "被别的节点改过"})
        changed["meta"] = dict(ours["meta"], revision=7)
        load(other, [changed] + documents("rf", 1))
        status, out, err = harvest(node, url_of(other), "--peer", "rf")
        expect(status == 0, err)
        expect(counts(out)["refused"] >= 1 and counts(out)["added"] == 1, out)
        mine = node.request("GET", "/api/v1/records/" + ours["id"]).json
        expect(mine["title"] == {"zh": "中央节点的记录"} and mine["meta"]["revision"] == 1, mine)
        expect("harvested" not in mine["meta"], mine["meta"])
        expect(other.request("DELETE", "/api/v1/records/" + ours["id"], user="admin").status == 200)
        status, out, _ = harvest(node, "--peer", "rf")
        expect(counts(out)["refused"] == 1 and counts(out)["deleted"] == 0, out)
        expect(node.request("GET", "/api/v1/records/" + ours["id"]).status == 200, "our record was withdrawn")
        push = other.run("push", url_of(node), "--user", "peer", stdin=PASSWORDS["peer"] + "\n", check=False)
        expect(push.returncode == 0 and counts(push.stdout)["refused"] == 1, push.stdout + push.stderr)
        expect(node.request("GET", "/api/v1/records/" + ours["id"]).json["meta"]["revision"] == 1)
    finally:
        other.close()


class FakePeer:
    """A small HTTP server on loopback answering GETs with answer(path) ->
    (status, content type, body bytes) or None to cut the connection after a partial body."""

    def __init__(self, answer):
        self.requests = []
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                peer.requests.append(self.path)
                reply = answer(self.path)
                if reply is None:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b'{"items": [')
                    self.close_connection = True
                    return
                status, content_type, body = reply
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_node_that_is_down_or_answers_garbage_changes_nothing(node):
    seq = last_seq(node)
    down = "http://127.0.0.1:%d" % free_port()
    status, _, err = harvest(node, down, "--peer", "dn", "--kind", "bioex")
    expect(status != 0 and down in err and "connect" in err.lower(), err)
    info = node_info(node, "dn")
    expect("connect" in info["last_error"].lower() and info["runs"][0]["error"] and info["records"] == 0, info)
    expect(info["failures"] == 1 and info["last_success"] is None and info["lag"] is None, info)

    good_item = {"seq": 1, "id": "gb:r1", "revision": 1, "deleted": False,
                 "record": dict(record(id="gb:r1"), meta={"revision": 1, "origin": "gb"})}
    bad_item = {"seq": 2, "id": "gb:r2", "revision": 1, "deleted": False,
                "record": dict(record(id="gb:r2", countries=["XX"]), meta={"revision": 1, "origin": "gb"})}
    answers = {
        "junk": (200, "text/html", b"<html><body>It works!</body></html>"),
        "truncated": (200, "application/json", json.dumps({"items": [good_item], "next": 1, "more": False})[:-20].encode()),
        "invalid": (200, "application/json", json.dumps({"items": [good_item, bad_item], "next": 2, "more": False}).encode()),
        "error": (500, "text/plain", b"oops"),
        "cut": None,
        "xml": (200, "text/xml", b"<?xml version='1.0'?><rss><channel><title>not OAI</title></channel></rss>"),
    }
    mode = {"now": "junk"}
    fake = FakePeer(lambda path: answers[mode["now"]])
    try:
        expected = {"junk": "not a page of a bioex changes feed", "truncated": "malformed JSON",
                    "invalid": "gb:r2", "error": "HTTP 500", "cut": fake.url}
        for name, words in expected.items():
            mode["now"] = name
            status, _, err = harvest(node, fake.url, "--peer", "gb", "--kind", "bioex")
            expect(status != 0 and words in err, "%s: %s" % (name, err))
            expect(words in node_info(node, "gb")["runs"][0]["error"], node_info(node, "gb")["runs"][0])
            expect(node.request("GET", "/api/v1/records/gb:r1").status == 404, "%s: a record was stored" % name)
        mode["now"] = "xml"
        status, _, err = harvest(node, fake.url, "--peer", "gx")
        expect(status != 0 and "neither a bioex node" in err and "not an OAI-PMH response" in err, err)
        expect(node.request("GET", "/api/v1/nodes/gx").status == 404, "an undetectable peer was registered")
        reply = node.request("POST", "/api/v1/nodes", {"slug": "gx", "url": fake.url, "schedule": 0}, user="admin")
        expect_error(reply, 422, "validation_failed", "/url")
        expect(node_info(node, "gb")["failures"] == len(expected), node_info(node, "gb"))
    finally:
        fake.close()
    expect(last_seq(node) == seq, "a failed harvest changed the database")


OAI_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            '<responseDate>2026-01-02T03:04:05Z</responseDate><request>http://example.org/oai</request>')
IDENTIFY = (OAI_HEAD + '<Identify><repositoryName>Test</repositoryName><baseURL>http://example.org/oai</baseURL>'
            '<protocolVersion>2.0</protocolVersion><earliestDatestamp>2000-01-01T00:00:00Z</earliestDatestamp>'
            '<deletedRecord>persistent</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity>'
            '</Identify></OAI-PMH>')
DC = ('<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/">%s</oai_dc:dc></metadata>')
PAGE_1 = (OAI_HEAD + '<ListRecords>'
          '<record><header><identifier>oai:example.org:nbsap/1</identifier><datestamp>2025-05-01T00:00:00Z</datestamp>'
          '<setSpec>type:nbsap</setSpec><setSpec>country:CN</setSpec></header>' + DC % (
              '<dc:title xml:lang="zh">中国生物多样性保护战略与行动计划</dc:title>'
              '<dc:title xml:lang="ar">استراتيجية الصين للتنوع البيولوجي</dc:title>'
              '<dc:description xml:lang="zh">国家战略摘要</dc:description>'
              '<dc:description xml:lang="zh">第二段说明</dc:description>'
              '<dc:date>2021-10-08</dc:date><dc:language>zh</dc:language>'
              '<dc:subject>gemet:7</dc:subject><dc:subject xml:lang="en">wetlands</dc:subject>'
              '<dc:identifier>https://example.org/nbsap.pdf</dc:identifier><dc:identifier>ISBN 123</dc:identifier>'
              '<dc:type>Text</dc:type>') + '</record>'
          '<record><header><identifier>plain-2</identifier><datestamp>2025-05-02T00:00:00Z</datestamp></header>'
          + DC % '<dc:title>Wetland inventory</dc:title><dc:language>eng</dc:language><dc:date>2020</dc:date>'
          + '</record>'
          '<resumptionToken completeListSize="4" cursor="0">page-2 token</resumptionToken></ListRecords></OAI-PMH>')
PAGE_2 = (OAI_HEAD + '<ListRecords>'
          '<record><header><identifier>plain-3</identifier><datestamp>2025-05-03T00:00:00Z</datestamp></header>'
          + DC % '<dc:title xml:lang="fr">Plan national</dc:title><dc:type>meeting</dc:type>' + '</record>'
          '<record><header status="deleted"><identifier>plain-2</identifier>'
          '<datestamp>2025-05-04T00:00:00Z</datestamp></header></record>'
          '<resumptionToken completeListSize="4" cursor="2"></resumptionToken></ListRecords></OAI-PMH>')
NO_RECORDS = OAI_HEAD + '<error code="noRecordsMatch">nothing new</error></OAI-PMH>'


def oai_answer(path, fail_page_2):
    query = path.split("?", 1)[1] if "?" in path else ""
    if "verb=Identify" in query:
        body = IDENTIFY
    elif "resumptionToken=page-2%20token" in query:
        if fail_page_2["on"]:
            return 503, "text/plain", b"busy"
        body = PAGE_2
    elif "from=" in query:
        body = NO_RECORDS
    else:
        body = PAGE_1
    return 200, "text/xml; charset=utf-8", body.encode("utf-8")


def test_oai_pmh_endpoint_is_mapped_resumed_and_followed(node):
    fail_page_2 = {"on": True}
    fake = FakePeer(lambda path: oai_answer(path, fail_page_2))
    try:
        reply = node.request("POST", "/api/v1/nodes", {"slug": "oa", "url": fake.url + "/", "schedule": 0},
                             user="admin")
        expect(reply.status == 201 and reply.json["kind"] == "oai-pmh", reply)
        status, _, err = harvest(node, "--peer", "oa")
        expect(status != 0 and "HTTP 503" in err, err)
        cursor = json.loads(node_info(node, "oa")["cursor"])
        expect(cursor["token"] == "page-2 token" and cursor["pass"] == "2026-01-02T03:04:05Z", cursor)
        first_id = "oa:oai-example.org-nbsap-1." + hashlib.blake2b(b"oai:example.org:nbsap/1", digest_size=8).hexdigest()
        expect(node.request("GET", "/api/v1/records/" + first_id).status == 200, "page 1 was not applied")

        fail_page_2["on"] = False
        fake.requests.clear()
        status, out, err = harvest(node, "--peer", "oa")
        expect(status == 0, err)
        expect(any("resumptionToken=page-2%20token" in p for p in fake.requests), fake.requests)
        expect(not any("metadataPrefix" in p for p in fake.requests), "the pass started over: %r" % fake.requests)
        expect((counts(out)["added"], counts(out)["deleted"]) == (1, 1), out)

        nbsap = node.request("GET", "/api/v1/records/" + first_id).json
        expect(nbsap["type"] == "nbsap" and nbsap["status"] == "published", nbsap)
        expect(nbsap["title"] == {"zh": "中国生物多样性保护战略与行动计划", "ar": "استراتيجية الصين للتنوع البيولوجي"}, nbsap)
        expect(nbsap["summary"] == {"zh": "国家战略摘要"} and "第二段说明" in nbsap["text"]["zh"], nbsap)
        expect("wetlands" in nbsap["text"]["en"] and nbsap["subjects"] == ["gemet:7"], nbsap)
        expect(nbsap["date"] == "2021-10-08" and nbsap["countries"] == ["CN"], nbsap)
        expect(nbsap["links"] == [{"url": "https://example.org/nbsap.pdf"}], nbsap)
        expect(nbsap["meta"]["origin"] == "oa" and ISO.match(nbsap["meta"]["harvested"]), nbsap["meta"])
        expect(node.request("GET", "/api/v1/records/oa:plain-2").status == 410, "the deleted record is still there")
        third = node.request("GET", "/api/v1/records/oa:plain-3").json
        expect(third["type"] == "document" and third["title"] == {"fr": "Plan national"}, third)

        fake.requests.clear()
        status, out, _ = harvest(node, "--peer", "oa")
        expect(status == 0 and (counts(out)["added"], counts(out)["updated"], counts(out)["deleted"]) == (0, 0, 0), out)
        expect(any("from=2026-01-02T03%3A04%3A05Z" in p or "from=2026-01-02T03:04:05Z" in p for p in fake.requests),
               fake.requests)
        expect(json.loads(node_info(node, "oa")["cursor"]) == {"from": "2026-01-02T03:04:05Z"})
    finally:
        fake.close()


def test_registry_validation_and_permissions(node):
    nodes = "/api/v1/nodes"
    expect_error(node.request("POST", nodes, {"slug": "zz", "url": "http://127.0.0.1:9"}), 401)
    expect_error(node.request("POST", nodes, {"slug": "zz", "url": "http://127.0.0.1:9"}, user="editor"), 403)
    expect_error(node.request("POST", nodes, {"slug": "zz", "url": "http://127.0.0.1:9"}, user="peer"), 403)
    reply = node.request("POST", nodes, {"slug": "Bad Slug", "url": "ftp://x", "kind": "rss", "schedule": -1,
                                         "colour": "red"}, user="admin")
    expect_error(reply, 422, "validation_failed", "/slug")
    paths = sorted(d["path"] for d in reply.json["error"]["details"])
    expect(paths == ["", "/kind", "/schedule", "/slug", "/url"], paths)
    expect_error(node.request("POST", nodes, {"slug": "central", "url": "http://127.0.0.1:9", "kind": "bioex"},
                              user="admin"), 422, "validation_failed", "/slug")
    expect_error(node.request("POST", nodes, [1, 2], user="admin"), 422, "validation_failed", "")
    expect_error(node.request("POST", nodes, "{", user="admin"), 400)
    good = {"slug": "zz", "url": "http://127.0.0.1:9", "kind": "bioex", "schedule": 0}
    reply = node.request("POST", nodes, good, user="admin")
    expect(reply.status == 201 and reply.headers["location"] == "/api/v1/nodes/zz", reply)
    for key in ("slug", "url", "kind", "schedule", "last_success", "last_error", "records", "lag"):
        expect(key in reply.json, "%s missing: %r" % (key, reply.json))
    expect_error(node.request("POST", nodes, good, user="admin"), 409)
    listed = node.request("GET", nodes)
    expect(listed.status == 200 and "zz" in [n["slug"] for n in listed.json["items"]], listed)
    expect_error(node.request("GET", nodes + "/nope"), 404)
    expect_error(node.request("POST", nodes + "/nope/harvest", user="admin"), 404)
    expect_error(node.request("POST", nodes + "/zz/harvest"), 401)
    expect_error(node.request("POST", nodes + "/zz/harvest", user="editor"), 403)


def test_scheduled_harvest_picks_up_changes(node):
    source = peer_node(node, "sc")
    try:
        load(source, documents("sc", 2))
        reply = node.request("POST", "/api/v1/nodes", {"slug": "sc", "url": url_of(source), "schedule": 1},
                             user="admin")
        expect(reply.status == 201 and reply.json["kind"] == "bioex", reply)
        wait_for(lambda: node.request("GET", "/api/v1/records/sc:r001").status == 200, 20, "the first harvest")
        source.create(record(id="sc:later", title={"ar": "سجل لاحق"}))
        started = time.monotonic()
        wait_for(lambda: node.request("GET", "/api/v1/records/sc:later").status == 200, 20, "the new record")
        expect(time.monotonic() - started < 10, "the change took too long")
        info = node_info(node, "sc")
        expect(info["records"] == 3 and info["lag"] is not None and info["lag"] < 10, info)
        metrics = node.request("GET", "/metrics").body
        expect('bioex_harvest_records{peer="sc"} 3' in metrics and 'bioex_harvest_up{peer="sc"} 1' in metrics, metrics[-800:])
        reply = node.request("POST", "/api/v1/nodes/sc/harvest", user="admin")
        expect(reply.status == 202 and reply.headers["location"] == "/api/v1/nodes/sc", reply)
        runs = len(node_info(node, "sc")["runs"])
        wait_for(lambda: len(node_info(node, "sc")["runs"]) > runs, 20, "the requested harvest")
    finally:
        source.close()
