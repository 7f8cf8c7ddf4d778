"""Full-text search on real text: the SDG targets in their official wording in six
languages (one record per target and language) and the sample UN documents. Inflected
and differently written queries, Chinese sub-words, the thesaurus across languages,
exact facet counts, the query language, and hostile queries."""
import json
import os
import urllib.parse

from harness import expect, expect_error, ndjson, record

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]


def sdg_records():
    with open(os.path.join(ROOT, "data", "vocab", "targets.json"), encoding="utf-8") as f:
        terms = json.load(f)["terms"]
    lines = []
    for term in terms:
        if not term["id"].startswith("sdg:"):
            continue
        number = term["id"][4:]
        for language in LANGUAGES:
            label = term["labels"].get(language)
            if not label:
                continue
            line = {"id": "cn:sdg-%s-%s" % (number, language), "type": "document",
                    "title": {language: label}, "targets": [term["id"]], "status": "published",
                    "fields": {"symbol": "SDG %s" % number, "kind": "other"}}
            if term.get("text", {}).get(language):
                line["text"] = {language: term["text"][language]}
            lines.append(line)
    return lines


def loaded(node):
    if not getattr(node, "search_loaded", False):
        reply = node.request("POST", "/api/v1/records:import", ndjson(*sdg_records()), user="admin",
                             content_type="application/x-ndjson")
        expect(reply.status == 200, reply)
        with open(os.path.join(ROOT, "data", "samples", "documents.ndjson"), encoding="utf-8") as f:
            reply = node.request("POST", "/api/v1/records:import", f.read(), user="admin",
                                 content_type="application/x-ndjson")
        expect(reply.status == 200, reply)
        node.search_loaded = True
    return node


def search(node, q, user=None, **params):
    query = urllib.parse.urlencode(dict(q=q, size=params.pop("size", 20), **params))
    reply = node.request("GET", "/api/v1/records?" + query, user=user)
    expect(reply.status == 200, reply)
    return reply.json


def top_ids(node, q, n=3, **params):
    return [item["id"] for item in search(node, q, **params)["items"][:n]]


def test_inflected_queries_find_the_target_in_each_language(node):
    loaded(node)
    cases = [
        ("en", "eradicating extreme poverty", "cn:sdg-1.1-en"),
        ("en", "Marine Pollutions", "cn:sdg-14.1-en"),
        ("fr", "extreme pauvrete", "cn:sdg-1.1-fr"),          # written without accents
        ("fr", "pollutions marines", "cn:sdg-14.1-fr"),
        ("es", "pobrezas extremas", "cn:sdg-1.1-es"),
        ("es", "contaminación marina", "cn:sdg-14.1-es"),
        ("ru", "крайней нищеты", "cn:sdg-1.1-ru"),            # genitive; the text has крайнюю нищету
        ("ru", "загрязнений морской среды", "cn:sdg-14.1-ru"),
        ("ar", "الْفَقْرِ المُدْقِع", "cn:sdg-1.1-ar"),       # with harakat
        ("ar", "التلوث البحري", "cn:sdg-14.1-ar"),
        ("zh", "极端贫困", "cn:sdg-1.1-zh"),
        ("zh", "海洋污染", "cn:sdg-14.1-zh"),
    ]
    for language, q, wanted in cases:
        found = top_ids(node, q)
        expect(wanted in found, "%s %r: expected %s in the top three, got %s" % (language, q, wanted, found))


def test_chinese_sub_words_find_longer_words(node):
    loaded(node)
    body = search(node, "多样性", language="zh", expand="false", size=100)
    expect(body["total"] > 0, body)
    texts = [json.dumps(item, ensure_ascii=False) for item in body["items"]]
    expect(any("生物多样性" in text for text in texts), texts[:3])
    expect(any("<mark>多样性</mark>" in (item["snippet"] or "") for item in body["items"]),
           [item["snippet"] for item in body["items"]][:3])


def test_an_english_concept_finds_chinese_records_through_the_thesaurus(node):
    loaded(node)
    body = search(node, "biodiversity", language="zh", size=100)
    expect(body["total"] > 0, body)
    concepts = [entry["concept"] for entry in body["expanded"]["q"]]
    expect("gemet:827" in concepts, body["expanded"])
    expect(body["expanded"]["q"][0]["text"] == "biodiversity", body["expanded"])
    chinese = [item["id"] for item in body["items"] if item["id"].endswith("-zh")]
    expect(chinese, [item["id"] for item in body["items"]])   # SDG records only in Chinese
    plain = search(node, "biodiversity", language="zh", expand="false", size=100)
    expect("q" not in plain["expanded"], plain["expanded"])
    expect(not [item["id"] for item in plain["items"] if item["id"].endswith("-zh")], plain)


def test_records_tagged_with_the_concept_are_found(node):
    loaded(node)
    made = node.create(record(id="cn:tagged-only", title={"en": "Annual summary"}, subjects=["gemet:827"]))
    found = [item["id"] for item in search(node, "biodiversity", size=100)["items"]]
    expect(made["id"] in found, found)


def test_facet_counts_equal_filtered_totals(node):
    loaded(node)
    body = search(node, "pollution", facets="language,target,type,year")
    expect(body["total"] > 0, body)
    for facet, filter_name in (("language", "language"), ("target", "target"), ("type", "type")):
        values = body["facets"][facet]
        expect(values, body["facets"])
        for entry in values[:5]:
            params = {filter_name: entry["value"]}
            filtered = search(node, "pollution", **params)
            expect(filtered["total"] == entry["count"],
                   "%s=%s: facet says %d, filter finds %d" % (facet, entry["value"], entry["count"], filtered["total"]))


def test_facet_labels_follow_the_interface_language(node):
    loaded(node)
    body = search(node, "海洋", facets="language,target", lang="fr")
    languages = {entry["value"]: entry["label"] for entry in body["facets"]["language"]}
    expect(languages.get("zh") and languages["zh"] != "zh", languages)


def test_query_language(node):
    loaded(node)
    expect("cn:sdg-1.1-en" in top_ids(node, '"extreme poverty"', n=5), "phrase")
    phrase = search(node, '"poverty extreme"', language="en")
    expect("cn:sdg-1.1-en" not in [i["id"] for i in phrase["items"]], "a phrase keeps its order")
    excluded = search(node, "poverty -extreme", language="en", size=100)
    ids = [i["id"] for i in excluded["items"]]
    expect(excluded["total"] > 0 and "cn:sdg-1.1-en" not in ids, ids)
    expect("cn:sdg-1.1-en" in top_ids(node, "eradic*", n=20, language="en"), "prefix")
    either = search(node, "nutrient OR debris", language="en")
    expect("cn:sdg-14.1-en" in [i["id"] for i in either["items"]], either)
    titled = search(node, "title:poverty", language="en", size=100)
    expect(titled["total"] > 0 and all("poverty" in json.dumps(i["title"]).lower() or "pover" in json.dumps(i["title"]).lower()
                                       for i in titled["items"]), titled)


def test_snippets_mark_the_matches(node):
    loaded(node)
    body = search(node, "marine pollution", language="en")
    snippet = body["items"][0]["snippet"]
    expect("<mark>" in snippet and "</mark>" in snippet, snippet)
    expect(body["items"][0]["score"] > 0, body["items"][0])


def test_html_in_titles_is_escaped_in_snippets(node):
    loaded(node)
    node.create(record(id="cn:xss", title={"en": "<script>alert(1)</script> wetlands"}))
    body = search(node, "wetlands", language="en")
    snippets = [i["snippet"] for i in body["items"] if i["id"] == "cn:xss"]
    expect(snippets and "<script>" not in snippets[0] and "&lt;script&gt;" in snippets[0], snippets)


def test_writes_are_searchable_at_once(node):
    loaded(node)
    made = node.create(record(id="cn:fresh", title={"en": "Quokka habitat survey"}))
    expect(top_ids(node, "quokka") == [made["id"]], "created")
    reply = node.request("DELETE", "/api/v1/records/cn:fresh", user="admin")
    expect(reply.status in (200, 204), reply)
    expect(search(node, "quokka")["total"] == 0, "withdrawn")


def test_drafts_are_searched_only_by_those_who_may_see_them(node):
    loaded(node)
    node.create(record(id="cn:draft-okapi", title={"en": "Okapi draft"}, status="draft"))
    expect(search(node, "okapi")["total"] == 0, "anonymous")
    expect(search(node, "okapi", user="admin", status="draft")["total"] == 1, "admin")
    reply = node.request("GET", "/api/v1/records?q=okapi&facets=status")
    expect_error(reply, 401)
    counted = search(node, "okapi", user="admin", status="draft", facets="status")
    expect(counted["facets"]["status"] == [{"value": "draft", "label": "draft", "count": 1}], counted)


def test_sort_by_date_with_words(node):
    loaded(node)
    node.create(record(id="cn:old-reef", title={"en": "Reef report"}, date="2001-01-01"))
    node.create(record(id="cn:new-reef", title={"en": "Reef report"}, date="2021-01-01"))
    body = search(node, "reef", sort="-date")
    expect([i["id"] for i in body["items"]][:2] == ["cn:new-reef", "cn:old-reef"], body["items"])
    body = search(node, "reef", sort="date")
    expect([i["id"] for i in body["items"]][:2] == ["cn:old-reef", "cn:new-reef"], body["items"])


def test_hostile_queries_never_fail(node):
    loaded(node)
    for q in ['"unbalanced', '"', "OR", "-", "*", "- OR *", "title:", "((((", "a) OR (b",
              "\u0001\u0002 poverty \u0007", "\u202e\u200b", "x" * 3000, "贫" * 1000,
              "poverty " * 500]:
        query = urllib.parse.urlencode({"q": q})
        reply = node.request("GET", "/api/v1/records?" + query)
        expect(reply.status == 200, "%r: %r" % (q[:40], reply))
    reply = node.request("GET", "/api/v1/records?" + urllib.parse.urlencode({"q": "a" * 5000}))
    expect_error(reply, 400)
    expect("q:" in reply.json["error"]["message"], reply)


def test_bad_search_parameters_are_400(node):
    for query, word in (("facets=colour", "facets"), ("q=x&sort=best", "sort"), ("lang=%3Cb%3E", "lang"),
                        ("facets=type&facet_size=0", "facet_size"), ("facet_size=501", "facet_size")):
        reply = node.request("GET", "/api/v1/records?" + query)
        expect_error(reply, 400)
        expect(reply.json["error"]["message"].startswith(word), reply)


def test_command_line_search_prints_the_same_results(node):
    loaded(node)
    api = [item["id"] for item in search(node, "海洋污染", size=10)["items"]]
    printed = json.loads(node.run("search", "海洋污染", "--size", "10", "--json").stdout)
    expect([item["id"] for item in printed["items"]] == api, (printed["items"], api))
    listing = node.run("search", "marine pollution", "--language", "en", "--facets", "type").stdout
    expect("cn:sdg-14.1-en" in listing and "type: document" in listing, listing)
    bad = node.run("search", "x", "--sort", "best", check=False)
    expect(bad.returncode != 0 and "sort:" in bad.stderr, bad.stderr)


def index_records(node):
    text = node.request("GET", "/metrics").body
    for line in text.splitlines():
        if line.startswith("bioex_search_records "):
            return int(line.split()[1])
    raise AssertionError("no bioex_search_records in /metrics")


def test_metrics_show_the_index(node):
    loaded(node)
    before = index_records(node)
    node.create(record(id="cn:counted", title={"en": "Counted"}))
    search(node, "counted")   # a search brings the index up to date
    expect(index_records(node) == before + 1, (before, index_records(node)))


def test_a_repeated_word_is_asked_for_once(node):
    loaded(node)
    once = search(node, "biodiversity")
    thrice = search(node, "biodiversity biodiversity biodiversity")
    expect(thrice["total"] == once["total"], (thrice["total"], once["total"]))
    expect(len(thrice["expanded"]["q"]) == len(once["expanded"]["q"]), thrice["expanded"])


def test_facet_size_limits_the_values(node):
    loaded(node)
    body = search(node, "pollution", facets="target,language")
    expect(len(body["facets"]["target"]) > 2, body["facets"]["target"])
    two = search(node, "pollution", facets="target,language", facet_size=2)
    expect(two["facets"]["target"] == body["facets"]["target"][:2], two["facets"])
