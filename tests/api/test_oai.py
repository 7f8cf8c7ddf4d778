"""The OAI-PMH 2.0 provider at /oai (docs/oai-pmh.md): the six verbs, oai_dc and bioex,
sets, from/until, resumption tokens across concurrent writes, expired and tampered
tokens, withdrawals, every error code, and a third-party harvester (npm oai-pmh). Every
answer is checked with xmllint against the official schemas in tests/oai/schemas."""
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import xml.etree.ElementTree as ET

from harness import expect, ndjson, record

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
SCHEMA = os.path.join(TOP, "tests", "oai", "schemas", "oai-pmh-all.xsd")
HARVESTER = os.path.join(TOP, "tests", "oai", "harvest.js")
NODE_MODULES = os.path.join(TOP, "build", "npm", "node_modules")

NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "b": "https://bioex.org/ns/record/1"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFIX = "oai:bioex.org:"


def validate(body):
    """Fails unless body is valid against OAI-PMH.xsd with the oai_dc and bioex payloads."""
    with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as file:
        file.write(body.encode("utf-8"))
    try:
        result = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", SCHEMA, file.name],
                                capture_output=True, text=True, timeout=120)
    finally:
        os.unlink(file.name)
    expect(result.returncode == 0, "invalid OAI-PMH answer: %s\n%s" % (result.stderr[-2000:], body[:1500]))


def oai(node, query, method="GET", headers=None):
    """Sends one OAI-PMH request (query: a dict or a raw query string); checks the answer
    (200, text/xml, schema-valid) and returns its parsed root."""
    if isinstance(query, dict):
        query = urllib.parse.urlencode(query)
    if method == "POST":
        reply = node.request("POST", "/oai", body=query, headers=headers,
                             content_type="application/x-www-form-urlencoded")
    else:
        reply = node.request("GET", "/oai?" + query, headers=headers)
    expect(reply.status == 200, reply)
    expect(reply.headers["content-type"] == "text/xml; charset=utf-8", reply.headers)
    validate(reply.body)
    return ET.fromstring(reply.body.encode("utf-8"))


def error_code(root):
    error = root.find("o:error", NS)
    return error.get("code") if error is not None else None


def expect_error(root, code):
    expect(error_code(root) == code, "expected %s, got %s" % (code, ET.tostring(root)[:600]))
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        expect(request.attrib == {}, "request attributes after %s: %r" % (code, request.attrib))


def harvest(node, verb="ListIdentifiers", between_pages=None, **arguments):
    """Follows a list to its end; returns (items, first root, tokens). between_pages(n,
    items) is called after page n with the items so far."""
    root = oai(node, dict(verb=verb, **arguments))
    first, items, tokens = root, [], []
    while True:
        expect(error_code(root) is None, ET.tostring(root)[:600])
        tag = "o:header" if verb == "ListIdentifiers" else "o:record"
        items += root.find("o:" + verb, NS).findall(tag, NS)
        token = root.find("o:%s/o:resumptionToken" % verb, NS)
        if token is None or not (token.text or "").strip():
            return items, first, tokens
        tokens.append(token)
        if between_pages:
            between_pages(len(tokens), items)
        root = oai(node, {"verb": verb, "resumptionToken": token.text})


def header_of(item):
    return item if item.tag.endswith("header") else item.find("o:header", NS)


def ids(items):
    return [header_of(item).find("o:identifier", NS).text[len(PREFIX):] for item in items]


def import_records(node, records):
    reply = node.request("POST", "/api/v1/records:import", ndjson(*records), user="admin",
                         content_type="application/x-ndjson")
    expect(reply.status == 200, reply)


def public_ids(node):
    """Every id the changes feed shows the public (published records and withdrawals)."""
    found, since = set(), 0
    while True:
        page = node.request("GET", "/api/v1/changes?since=%d&limit=5000" % since).json
        found |= {item["id"] for item in page["items"]}
        since = page["next"]
        if not page["more"]:
            return found


def test_identify(node):
    root = oai(node, {"verb": "Identify"}, headers={"Host": "oai.example.org:8443"})
    identify = root.find("o:Identify", NS)
    expect(identify.find("o:baseURL", NS).text == "http://oai.example.org:8443/oai", ET.tostring(identify))
    expect(root.find("o:request", NS).text == "http://oai.example.org:8443/oai")
    expect(root.find("o:request", NS).get("verb") == "Identify")
    expect(identify.find("o:repositoryName", NS).text == "Test node cn")
    expect(identify.find("o:protocolVersion", NS).text == "2.0")
    expect(identify.find("o:deletedRecord", NS).text == "persistent")
    expect(identify.find("o:granularity", NS).text == "YYYY-MM-DDThh:mm:ssZ")
    # A Host header with anything but host[:port] characters is not echoed.
    root = oai(node, {"verb": "Identify"}, headers={"Host": "evil.org/<script>"})
    expect(root.find("o:Identify/o:baseURL", NS).text == "http://127.0.0.1/oai")


def test_list_metadata_formats(node):
    root = oai(node, {"verb": "ListMetadataFormats"})
    formats = {f.find("o:metadataPrefix", NS).text: f for f in root.findall(".//o:metadataFormat", NS)}
    expect(set(formats) == {"oai_dc", "bioex"}, formats)
    expect(formats["bioex"].find("o:metadataNamespace", NS).text == NS["b"])
    schema_url = urllib.parse.urlsplit(formats["bioex"].find("o:schema", NS).text)
    schema = node.request("GET", schema_url.path)
    expect(schema.status == 200 and "targetNamespace=\"https://bioex.org/ns/record/1\"" in schema.body, schema)
    created = node.create(record())
    root = oai(node, {"verb": "ListMetadataFormats", "identifier": PREFIX + created["id"]})
    expect(len(root.findall(".//o:metadataFormat", NS)) == 2, ET.tostring(root))
    expect_error(oai(node, {"verb": "ListMetadataFormats", "identifier": PREFIX + "cn:nothing"}),
                 "idDoesNotExist")
    node.request("DELETE", "/api/v1/records/" + created["id"], user="admin")
    expect_error(oai(node, {"verb": "ListMetadataFormats", "identifier": PREFIX + created["id"]}),
                 "noMetadataFormats")


def test_list_sets(node):
    root = oai(node, {"verb": "ListSets"})
    sets = {s.find("o:setSpec", NS).text: s.find("o:setName", NS).text for s in root.findall(".//o:set", NS)}
    for spec in ("type", "type:document", "type:expert", "instrument", "instrument:cbd", "country",
                 "country:CN", "country:FR"):
        expect(spec in sets, "no set %s in %s" % (spec, sorted(sets)[:20]))
    expect(sets["instrument:cbd"] == "Convention on Biological Diversity", sets["instrument:cbd"])
    expect(root.find("o:ListSets/o:resumptionToken", NS) is None)
    expect_error(oai(node, {"verb": "ListSets", "resumptionToken": "anything"}), "badResumptionToken")


def test_get_record_oai_dc_keeps_languages(node):
    created = node.create(record(
        title={"zh": "中国生物多样性保护战略与行动计划", "ar": "استراتيجية التنوع البيولوجي",
               "en": "Strategy & <Plan>"},
        summary={"fr": "Résumé"}, countries=["CN", "FR"],
        links=[{"url": "https://example.org/nbsap.pdf", "kind": "document"}]))
    root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + created["id"], "metadataPrefix": "oai_dc"})
    dc = root.find(".//oai_dc:dc", NS)
    titles = {t.get(XML_LANG): t.text for t in dc.findall("dc:title", NS)}
    expect(titles == {"zh": "中国生物多样性保护战略与行动计划", "ar": "استراتيجية التنوع البيولوجي",
                      "en": "Strategy & <Plan>"}, titles)
    values = lambda name: [e.text for e in dc.findall("dc:" + name, NS)]  # noqa: E731
    expect(values("description") == ["Résumé"], values("description"))
    expect(dc.find("dc:description", NS).get(XML_LANG) == "fr")
    expect(set(values("language")) == {"zh", "ar", "en", "fr"}, values("language"))
    expect(values("coverage") == ["CN", "FR"], values("coverage"))
    expect({"gemet:7", "gbf:3", "cbd"} <= set(values("subject")), values("subject"))
    expect(values("type") == ["document"] and values("date") == ["2024-05-01"], values("type"))
    expect(values("identifier") == ["http://127.0.0.1:%d/api/v1/records/%s" % (node.port, created["id"]),
                                    "https://example.org/nbsap.pdf"], values("identifier"))
    header = root.find(".//o:header", NS)
    expect(header.find("o:identifier", NS).text == PREFIX + created["id"])
    specs = [s.text for s in header.findall("o:setSpec", NS)]
    expect(specs == ["type:document", "instrument:cbd", "country:CN", "country:FR"], specs)


def from_bioex(element):
    """The JSON value of a bioex-format element."""
    kind = element.tag.split("}")[1]
    if kind in ("map", "record"):
        return {child.get("key"): from_bioex(child) for child in element}
    if kind == "array":
        return [from_bioex(child) for child in element]
    if kind == "string":
        return element.text or ""
    if kind == "number":
        return json.loads(element.text)
    if kind == "boolean":
        return element.text == "true"
    return None


def test_get_record_bioex_is_lossless(node):
    created = node.create({
        "type": "partnership", "title": {"en": "MoU \"A\" & <B>\r\nline two\ttab", "ru": "Меморандум"},
        "countries": ["FR"], "conventions": ["cms"],
        "fields": {"kind": "mou", "legally_binding": False, "duration_years": 5,
                   "purpose": {"en": "x < y"}},
    })
    root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + created["id"], "metadataPrefix": "bioex"})
    element = root.find(".//b:record", NS)
    stored = node.request("GET", "/api/v1/records/" + created["id"]).json
    expect(from_bioex(element) == stored, "%r != %r" % (from_bioex(element), stored))
    expect(stored["title"]["en"] == "MoU \"A\" & <B>\r\nline two\ttab", stored["title"])


def test_private_fields_stay_out(node):
    expert = node.create({"type": "expert", "title": {"en": "Dr. Amina Haddad"}, "countries": ["FR"],
                          "fields": {"name": {"en": "Amina Haddad"},
                                     "contact": {"email": "amina@example.org"}}})
    for prefix in ("bioex", "oai_dc"):
        reply = node.request("GET", "/oai?verb=GetRecord&metadataPrefix=%s&identifier=%s%s"
                             % (prefix, PREFIX, expert["id"]))
        expect(reply.status == 200 and "Amina Haddad" in reply.body, reply)
        expect("amina@example.org" not in reply.body, reply.body)
    root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + expert["id"], "metadataPrefix": "oai_dc"})
    expect([e.text for e in root.findall(".//dc:creator", NS)] == ["Amina Haddad"])


def test_control_characters_never_reach_the_xml(node):
    created = node.create(record(title={"en": "bell\u0007 and escape\u001b and \ufffe end"}))
    for prefix in ("oai_dc", "bioex"):
        root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + created["id"], "metadataPrefix": prefix})
        text = "".join(root.itertext())
        expect("bell and escape and" in text and "\u0007" not in text and "\u001b" not in text, text)


def test_drafts_are_not_disseminated(node):
    draft = node.create(record(status="draft", title={"en": "A draft"}))
    expect_error(oai(node, {"verb": "GetRecord", "identifier": PREFIX + draft["id"], "metadataPrefix": "oai_dc"}),
                 "idDoesNotExist")
    items, _, _ = harvest(node, metadataPrefix="oai_dc")
    expect(draft["id"] not in ids(items))


def test_withdrawn_records_are_reported_deleted(node):
    created = node.create(record(countries=["FR"], title={"en": "To be withdrawn"}))
    reply = node.request("DELETE", "/api/v1/records/" + created["id"], user="admin")
    expect(reply.status in (200, 204), reply)
    root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + created["id"], "metadataPrefix": "oai_dc"})
    header = root.find(".//o:record/o:header", NS)
    expect(header.get("status") == "deleted" and root.find(".//o:metadata", NS) is None, ET.tostring(root))
    items, _, _ = harvest(node, "ListRecords", metadataPrefix="bioex", set="country:FR")
    deleted = [item for item in items if header_of(item).get("status") == "deleted"]
    expect(created["id"] in ids(deleted), ids(deleted))
    expect(all(item.find("o:metadata", NS) is None for item in deleted))
    specs = [s.text for s in header_of(deleted[ids(deleted).index(created["id"])]).findall("o:setSpec", NS)]
    expect("country:FR" in specs, specs)


def test_sets_select_records(node):
    fr = node.create(record(countries=["FR"], conventions=["cites"], title={"en": "French CITES"}))
    cn = node.create(record(countries=["CN"], conventions=["cbd"], title={"en": "Chinese CBD"}))
    expert = node.create({"type": "expert", "title": {"en": "An expert"}})
    selected = lambda **arguments: ids(harvest(node, metadataPrefix="oai_dc", **arguments)[0])  # noqa: E731
    in_fr = selected(set="country:FR")
    expect(fr["id"] in in_fr and cn["id"] not in in_fr and expert["id"] not in in_fr, in_fr)
    in_cites = selected(set="instrument:cites")
    expect(fr["id"] in in_cites and cn["id"] not in in_cites, in_cites)
    experts = selected(set="type:expert")
    expect(expert["id"] in experts and fr["id"] not in experts, experts)
    with_country = selected(set="country")
    expect(fr["id"] in with_country and cn["id"] in with_country and expert["id"] not in with_country)
    expect(expert["id"] in selected(set="type"))
    expect_error(oai(node, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "country:ZZ"}),
                 "noRecordsMatch")
    expect_error(oai(node, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "nothing:here"}),
                 "noRecordsMatch")
    expect_error(oai(node, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "a b"}),
                 "badArgument")


def test_from_and_until(node):
    created = node.create(record(title={"en": "Dated"}))
    root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + created["id"], "metadataPrefix": "oai_dc"})
    stamp = root.find(".//o:datestamp", NS).text
    expect(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp), stamp)
    day = stamp[:10]
    # Both ends are inclusive, at second and at day granularity.
    for arguments in ({"from": stamp}, {"until": stamp}, {"from": stamp, "until": stamp},
                      {"from": day}, {"until": day}, {"from": day, "until": day}):
        found = ids(harvest(node, metadataPrefix="oai_dc", **arguments)[0])
        expect(created["id"] in found, "%r not selected by %r" % (created["id"], arguments))
    expect_error(oai(node, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"}),
                 "noRecordsMatch")
    expect_error(oai(node, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2001-01-01T00:00:00Z"}),
                 "noRecordsMatch")
    for bad in ({"from": "2024-01-01", "until": "2025-01-01T00:00:00Z"},   # mixed granularities
                {"from": "2025-01-01", "until": "2024-01-01"},             # from after until
                {"from": "2024-13-01"}, {"from": "2024-01-01T00:00:00"}, {"until": "yesterday"},
                {"from": "2024-01-01T00:00:00.5Z"}, {"from": "2024-01-01T00:00:00+01:00"}):
        expect_error(oai(node, dict(verb="ListIdentifiers", metadataPrefix="oai_dc", **bad)), "badArgument")


def test_datestamp_is_when_stored_here(node):
    # A replica from another node keeps its meta.updated; its datestamp is its arrival here.
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 1))
    replica = record(id="fr:old-report", title={"fr": "Ancien rapport"}, countries=["FR"])
    replica["meta"] = {"revision": 3, "created": "2001-01-01T00:00:00Z", "updated": "2002-02-02T00:00:00Z",
                       "origin": "fr"}
    import_records(node, [replica])
    root = oai(node, {"verb": "GetRecord", "identifier": PREFIX + "fr:old-report", "metadataPrefix": "oai_dc"})
    stamp = root.find(".//o:datestamp", NS).text
    expect(stamp >= started, "%s is before %s" % (stamp, started))
    found = ids(harvest(node, metadataPrefix="oai_dc", **{"from": started})[0])
    expect("fr:old-report" in found, found)


def replace(node, record_id, title):
    current = node.request("GET", "/api/v1/records/" + record_id)
    expect(current.status == 200, current)
    body = dict(current.json, title={"en": title})
    reply = node.request("PUT", "/api/v1/records/" + record_id, body, user="admin",
                         headers={"If-Match": current.headers["etag"]})
    expect(reply.status == 200, reply)


def test_paging_survives_concurrent_writes(node):
    import_records(node, [record(id="cn:page-%04d" % i, title={"en": "Paged %d" % i}) for i in range(1200)])
    before = public_ids(node)
    changed = []

    def write(page, items):
        # Between pages: replace a record already seen and one not seen yet, add one.
        if page == 1:
            seen_already = ids(items)[3]
            not_yet = "cn:page-1150"
            expect(not_yet not in ids(items))
            for record_id in (seen_already, not_yet):
                replace(node, record_id, "Changed during the pass")
                changed.append(record_id)
            changed.append(node.create(record(title={"en": "Born during the pass"}))["id"])

    items, first, tokens = harvest(node, "ListIdentifiers", between_pages=write, metadataPrefix="oai_dc")
    seen = ids(items)
    expect(len(seen) == len(set(seen)), "repeated within a pass: %r" %
           sorted({i for i in seen if seen.count(i) > 1}))
    missing = before - set(seen) - set(changed)
    expect(not missing, "skipped: %r" % sorted(missing)[:10])
    expect(len(tokens) >= 2, "expected several pages, got %d" % (len(tokens) + 1))
    expect(len(first.findall(".//o:header", NS)) == 500)
    token = tokens[0]
    expect(token.get("cursor") == "0" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                                                       token.get("expirationDate")), token.attrib)
    expect(tokens[1].get("cursor") == "500", tokens[1].attrib)
    # The next pass, from when this one began, has every record written during it.
    began = first.find("o:responseDate", NS).text
    later = ids(harvest(node, "ListIdentifiers", metadataPrefix="oai_dc", **{"from": began})[0])
    expect(set(changed) <= set(later), "not in the next pass: %r" % (set(changed) - set(later)))


def test_tampered_and_misused_tokens(node):
    import_records(node, [record(id="cn:token-%04d" % i, title={"en": "T %d" % i}) for i in range(600)])
    root = oai(node, {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    token = root.find(".//o:resumptionToken", NS).text
    payload, mac = token.split(".")
    flipped = payload[:-3] + ("A" if payload[-3] != "A" else "B") + payload[-2:]
    for bad in (flipped + "." + mac, payload + "." + mac[::-1], "garbage", token + "x", ""):
        expect_error(oai(node, {"verb": "ListIdentifiers", "resumptionToken": bad}), "badResumptionToken")
    # A token continues only the verb it was made for, and only on its own.
    expect_error(oai(node, {"verb": "ListRecords", "resumptionToken": token}), "badResumptionToken")
    expect_error(oai(node, {"verb": "ListIdentifiers", "resumptionToken": token, "metadataPrefix": "oai_dc"}),
                 "badArgument")
    root = oai(node, {"verb": "ListIdentifiers", "resumptionToken": token})
    expect(root.find("o:request", NS).get("resumptionToken") == token)
    expect(len(root.findall(".//o:header", NS)) > 0)


def test_expired_token(node):
    node.stop()
    os.environ["BIOEX_OAI_TOKEN_SECONDS"] = "1"
    try:
        node.start()
        import_records(node, [record(id="cn:expiry-%04d" % i, title={"en": "E %d" % i}) for i in range(600)])
        root = oai(node, {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
        token = root.find(".//o:resumptionToken", NS)
        expires = time.mktime(time.strptime(token.get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        expect(expires - time.time() < 5, token.attrib)
        time.sleep(2.2)
        root = oai(node, {"verb": "ListRecords", "resumptionToken": token.text})
        expect_error(root, "badResumptionToken")
        expect("expired" in root.find("o:error", NS).text, root.find("o:error", NS).text)
    finally:
        del os.environ["BIOEX_OAI_TOKEN_SECONDS"]
        node.stop()
        node.start()


def test_every_error_code(node):
    bad_verbs = ["", "verb=Nothing", "verb=Identify&verb=Identify", "verb=identify"]
    for query in bad_verbs:
        expect_error(oai(node, query), "badVerb")
    bad_arguments = [
        "verb=Identify&metadataPrefix=oai_dc",                     # not an argument of Identify
        "verb=Identify&colour=blue",                               # unknown argument
        "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc",   # repeated
        "verb=ListRecords",                                        # metadataPrefix missing
        "verb=ListIdentifiers&set=country:CN",
        "verb=GetRecord&metadataPrefix=oai_dc",                    # identifier missing
        "verb=GetRecord&identifier=" + PREFIX + "cn:x",             # metadataPrefix missing
        "verb=ListRecords&metadataPrefix=oai%20dc",                # malformed prefix
        "verb=ListRecords&metadataPrefix=oai_dc&bad%ZZ=1",
        "verb=ListSets&identifier=x",
    ]
    for query in bad_arguments:
        expect_error(oai(node, query), "badArgument")
    root = oai(node, "verb=ListRecords&metadataPrefix=marc21")
    expect_error(root, "cannotDisseminateFormat")
    expect(root.find("o:request", NS).attrib == {"verb": "ListRecords", "metadataPrefix": "marc21"})
    expect_error(oai(node, "verb=GetRecord&metadataPrefix=mods&identifier=" + PREFIX + "cn:x"),
                 "cannotDisseminateFormat")
    for identifier in (PREFIX + "cn:nothing", "cn:nothing", "not an id", PREFIX + "bad id!"):
        expect_error(oai(node, {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": identifier}),
                     "idDoesNotExist")
    expect_error(oai(node, "verb=ListIdentifiers&metadataPrefix=oai_dc&from=2999-01-01"), "noRecordsMatch")
    expect_error(oai(node, "verb=ListRecords&resumptionToken=x.y"), "badResumptionToken")
    created = node.create(record(title={"en": "Withdrawn soon"}))
    node.request("DELETE", "/api/v1/records/" + created["id"], user="admin")
    expect_error(oai(node, {"verb": "ListMetadataFormats", "identifier": PREFIX + created["id"]}),
                 "noMetadataFormats")
    # noSetHierarchy never applies: this repository always has sets (ListSets above).


def test_post_is_the_same_as_get(node):
    created = node.create(record(title={"en": "Posted"}))
    query = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": PREFIX + created["id"]}
    by_get = oai(node, query)
    by_post = oai(node, urllib.parse.urlencode(query), method="POST")
    expect(ET.tostring(by_get.find("o:GetRecord", NS)) == ET.tostring(by_post.find("o:GetRecord", NS)))
    expect_error(oai(node, "verb=Identify&verb=ListSets", method="POST"), "badVerb")
    reply = node.request("POST", "/oai", body="verb=Identify", content_type="text/plain")
    expect(reply.status == 415, reply)


def test_a_third_party_harvester_lists_every_record(node):
    expect(os.path.isdir(os.path.join(NODE_MODULES, "oai-pmh")),
           "the npm package oai-pmh is missing: run scripts/deps.sh")
    if len(public_ids(node)) < 1100:
        import_records(node, [record(id="cn:npm-%04d" % i, title={"zh": "记录 %d" % i}) for i in range(1100)])
    expected = public_ids(node)
    base = "http://127.0.0.1:%d/oai" % node.port
    for verb, prefix in (("ListRecords", "oai_dc"), ("ListIdentifiers", "bioex")):
        result = subprocess.run(["node", HARVESTER, base, verb, prefix], capture_output=True, text=True,
                                timeout=300, env=dict(os.environ, NODE_PATH=NODE_MODULES))
        expect(result.returncode == 0, "harvest.js failed: " + result.stderr[-2000:])
        lines = result.stdout.split()
        harvested = [line[len(PREFIX):] for line in lines[0::3]]
        expect(len(harvested) == len(set(harvested)), "the harvester saw a record twice")
        expect(set(harvested) == expected, "differs from the store by %r" %
               sorted(set(harvested) ^ expected)[:10])
