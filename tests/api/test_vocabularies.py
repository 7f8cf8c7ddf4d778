"""Vocabularies: the list with counts, label search in every language, paging, single
terms with their labels, translation status and crosswalk mappings, and bad requests."""
from urllib.parse import quote

from harness import expect, expect_error

NODE_OPTIONS = {"accounts": False}
BASE = "/api/v1/vocabularies"
SIX = ["ar", "en", "es", "fr", "ru", "zh"]


def ids(reply):
    expect(reply.status == 200, reply)
    return [term["id"] for term in reply.json["terms"]]


def search(node, name, q, **params):
    query = "q=" + quote(q) + "".join("&%s=%s" % item for item in params.items())
    return node.request("GET", "%s/%s?%s" % (BASE, name, query))


def test_list_has_every_vocabulary_with_counts(node):
    reply = node.request("GET", BASE)
    expect(reply.status == 200 and isinstance(reply.json, list), reply)
    by_name = {v["name"]: v for v in reply.json}
    for name in ("countries", "regions", "targets", "subjects", "instruments", "languages", "types",
                 "progress-scale", "support-kinds", "organization-kinds", "focal-point-roles"):
        expect(name in by_name, "%s missing from %s" % (name, sorted(by_name)))
    for vocabulary in reply.json:
        expect(isinstance(vocabulary["count"], int) and vocabulary["count"] > 0, vocabulary)
        expect(vocabulary.get("source") and vocabulary.get("licence"), vocabulary)
    expect(by_name["countries"]["count"] == 249, by_name["countries"])
    expect(by_name["subjects"]["count"] == 5207, by_name["subjects"])
    expect(by_name["languages"]["count"] >= 6, by_name["languages"])
    expect(by_name["types"]["count"] == 15, by_name["types"])
    expect(by_name["progress-scale"]["count"] == 5, by_name["progress-scale"])


def test_count_is_the_number_of_terms(node):
    listed = {v["name"]: v["count"] for v in node.request("GET", BASE).json}
    for name in ("countries", "subjects", "types", "languages", "instruments", "regions", "targets"):
        reply = node.request("GET", "%s/%s?size=1" % (BASE, name))
        expect(reply.status == 200 and reply.json["total"] == listed[name], (name, reply))
        expect(reply.json["name"] == name, reply)


def test_search_countries_in_chinese_arabic_french_and_english(node):
    for q in ("中国", "الصين", "Chine", "china", "CHINA", "cHiNa"):
        found = ids(search(node, "countries", q))
        expect("CN" in found, "q=%s found %s" % (q, found))
        expect("FR" not in found and "DZ" not in found, "q=%s found %s" % (q, found))
    expect(ids(search(node, "countries", "法国")) == ["FR"], "法国 is France")
    expect("DZ" in ids(search(node, "countries", "الجزائر")), "الجزائر is Algeria")
    reply = search(node, "countries", "no country is called this")
    expect(reply.status == 200 and reply.json["total"] == 0 and reply.json["terms"] == [], reply)


def test_search_subjects_across_languages(node):
    chinese = ids(search(node, "subjects", "生物多样性"))
    english = ids(search(node, "subjects", "BIODIVERSITY"))
    expect(chinese and set(chinese) <= set(english), (chinese, english))
    expect("gemet:827" in chinese, chinese)


def test_paging(node):
    first = node.request("GET", BASE + "/countries?size=10")
    expect(first.status == 200 and first.json["total"] == 249, first)
    expect(first.json["page"] == 1 and first.json["size"] == 10 and len(first.json["terms"]) == 10, first)
    second = node.request("GET", BASE + "/countries?size=10&page=2")
    expect(second.json["page"] == 2 and len(second.json["terms"]) == 10, second)
    expect(not set(ids(first)) & set(ids(second)), "pages overlap")
    both = node.request("GET", BASE + "/countries?size=20")
    expect(ids(both) == ids(first) + ids(second), "pages are not in one order")
    last = node.request("GET", BASE + "/countries?size=100&page=3")
    expect(len(last.json["terms"]) == 49 and last.json["total"] == 249, last)
    past = node.request("GET", BASE + "/countries?size=100&page=4")
    expect(past.status == 200 and past.json["terms"] == [] and past.json["total"] == 249, past)
    default = node.request("GET", BASE + "/countries")
    expect(0 < len(default.json["terms"]) <= 100, default)
    seen = set()
    for page in (1, 2, 3):
        seen.update(ids(node.request("GET", BASE + "/countries?size=100&page=%d" % page)))
    expect(len(seen) == 249, "paging lost or repeated terms: %d" % len(seen))
    filtered = search(node, "countries", "china", size=1, page=2)
    expect(filtered.json["total"] >= 2 and len(filtered.json["terms"]) == 1, filtered)


def test_country_term_has_six_labels(node):
    reply = node.request("GET", BASE + "/countries/CN")
    expect(reply.status == 200 and reply.json["id"] == "CN", reply)
    labels = reply.json["labels"]
    expect(sorted(labels) == SIX and all(labels.values()), labels)
    expect(labels["zh"] == "中国" and labels["ar"] == "الصين" and labels["en"] == "China", labels)
    expect("030" in reply.json.get("broader", []) and "142" in reply.json.get("broader", []), reply)


def test_region_names_in_other_languages_come_from_cldr(node):
    reply = node.request("GET", BASE + "/regions/030")
    expect(reply.status == 200 and reply.json["id"] == "030", reply)
    labels = reply.json["labels"]
    expect(sorted(labels) == SIX and labels["en"] == "Eastern Asia" and labels["zh"] == "东亚", labels)
    expect(all("\u0600" <= ch <= "\u06ff" for ch in labels["ar"].replace(" ", "")), labels["ar"])
    expect(reply.json.get("translations", {}).get("zh") == "human", reply.json)
    expect(node.request("GET", BASE + "/regions/150").json["labels"]["fr"] == "Europe", "150 in French")
    expect("030" in ids(search(node, "regions", "东亚")), "the Chinese name does not match")
    regions = {v["name"]: v for v in node.request("GET", BASE).json}["regions"]
    expect("Unicode CLDR" in regions["source"] and "Unicode-" in regions["licence"], regions)


def test_gbf_target_maps_to_aichi(node):
    reply = node.request("GET", BASE + "/targets/gbf:3")
    expect(reply.status == 200 and reply.json["id"] == "gbf:3", reply)
    expect(sorted(reply.json["labels"]) == SIX, reply.json["labels"])
    mappings = reply.json.get("mappings", [])
    expect({"relation": "closeMatch", "target": "aichi:11"} in mappings, mappings)
    for mapping in mappings:
        expect(mapping["relation"] in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                       "relatedMatch"), mapping)
        target = node.request("GET", BASE + "/targets/" + mapping["target"])
        expect(target.status == 200, "mapping to a missing term: %r" % mapping)


def test_aichi_target_marks_machine_translations(node):
    reply = node.request("GET", BASE + "/targets/aichi:11")
    expect(reply.status == 200, reply)
    labels, translations = reply.json["labels"], reply.json.get("translations", {})
    expect(labels["en"] == "Protected areas" and labels["zh"] and labels["ar"], labels)
    for language in labels:
        if language == "en":
            expect(language not in translations, "English is the original: %r" % translations)
        else:
            expect(translations.get(language) == "machine", "%s: %r" % (language, translations))


def test_sdg_target_has_arabic_and_chinese_labels(node):
    reply = node.request("GET", BASE + "/targets/sdg:15.1")
    expect(reply.status == 200 and reply.json["id"] == "sdg:15.1", reply)
    labels = reply.json["labels"]
    expect(labels.get("ar") and labels.get("zh") and labels.get("en"), labels)
    expect(any("\u0600" <= ch <= "\u06ff" for ch in labels["ar"]), labels["ar"])
    expect(any("\u4e00" <= ch <= "\u9fff" for ch in labels["zh"]), labels["zh"])


def test_enumeration_vocabularies_have_terms(node):
    types = ids(node.request("GET", BASE + "/types?size=100"))
    for name in ("document", "nbsap", "national-report", "focal-point", "expert"):
        expect(name in types, types)
    languages = ids(node.request("GET", BASE + "/languages?size=100"))
    expect(set(SIX) <= set(languages), languages)
    term = node.request("GET", BASE + "/languages/zh")
    expect(term.status == 200 and term.json["labels"]["zh"], term)


def test_unknown_vocabulary_and_term_are_404(node):
    expect_error(node.request("GET", BASE + "/nothing"), 404, "not_found")
    expect_error(node.request("GET", BASE + "/nothing/CN"), 404, "not_found")
    expect_error(node.request("GET", BASE + "/countries/XX"), 404, "not_found")
    expect_error(node.request("GET", BASE + "/countries/cn"), 404, "not_found")
    expect_error(node.request("GET", BASE + "/targets/gbf:99"), 404, "not_found")
    expect_error(node.request("GET", BASE + "/targets/" + quote("目标")), 404, "not_found")


def test_bad_paging_is_400(node):
    for query in ("size=0", "size=101", "size=abc", "size=-1", "page=0", "page=x", "size=1.5"):
        expect_error(node.request("GET", BASE + "/countries?" + query), 400, "bad_request")
