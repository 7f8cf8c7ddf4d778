"""Listing filters: region (filled from countries), target with the GBF crosswalk
(gbf:3 also finds aichi:11, unless expand=false), subject, language, year, combined."""
from harness import expect, expect_error, record


def ids(node, query):
    reply = node.request("GET", "/api/v1/records?size=100&" + query)
    expect(reply.status == 200, reply)
    expect(reply.json["total"] == len(reply.json["items"]), reply)
    return {item["id"] for item in reply.json["items"]}, reply.json


def setup_records(node):
    if getattr(node, "filter_records", None):
        return node.filter_records
    made = {
        "aichi": node.create(record(id="cn:aichi-11", targets=["aichi:11"], countries=["CN"],
                                    title={"zh": "保护区", "ar": "المناطق المحمية"}, date="2015-03-01",
                                    subjects=["gemet:7"]))["id"],
        "gbf": node.create(record(id="cn:gbf-3", targets=["gbf:3"], countries=["FR"],
                                  title={"fr": "Aires protégées"}, date="2024-06-01", subjects=["gemet:8"]))["id"],
        "sdg": node.create(record(id="cn:sdg-14", targets=["sdg:14.5"], countries=["FR"],
                                  title={"en": "Marine areas"}, date="2024-01-01", subjects=["gemet:8"]))["id"],
    }
    node.filter_records = made
    return made


def test_target_filter_follows_the_crosswalk(node):
    made = setup_records(node)
    found, body = ids(node, "target=gbf:3")
    expect(made["gbf"] in found and made["aichi"] in found, found)
    expect("aichi:11" in body["expanded"]["target"]["gbf:3"], body["expanded"])
    found, body = ids(node, "target=gbf:3&expand=false")
    expect(found == {made["gbf"]}, found)
    expect(body["expanded"] == {}, body["expanded"])
    found, _ = ids(node, "target=aichi:11")   # the mapping works both ways
    expect(made["gbf"] in found and made["aichi"] in found, found)


def test_region_comes_from_countries(node):
    made = setup_records(node)
    asia, _ = ids(node, "region=142")
    europe, _ = ids(node, "region=150")
    expect(made["aichi"] in asia and made["gbf"] not in asia, asia)
    expect(made["gbf"] in europe and made["sdg"] in europe and made["aichi"] not in europe, europe)


def test_subject_language_year_and_combinations(node):
    made = setup_records(node)
    expect(ids(node, "subject=gemet:7")[0] == {made["aichi"]})
    chinese, _ = ids(node, "language=zh")
    expect(made["aichi"] in chinese and made["gbf"] not in chinese, chinese)
    arabic, _ = ids(node, "language=ar")
    expect(made["aichi"] in arabic, arabic)
    expect(ids(node, "year=2024&country=FR")[0] == {made["gbf"], made["sdg"]})
    expect(ids(node, "year=2024&subject=gemet:8&language=fr")[0] == {made["gbf"]})
    expect(ids(node, "year=1999")[0] == set())


def test_bad_filter_values_are_400(node):
    expect_error(node.request("GET", "/api/v1/records?year=24"), 400, "bad_request")
    expect_error(node.request("GET", "/api/v1/records?expand=maybe"), 400, "bad_request")
    expect_error(node.request("GET", "/api/v1/records?sort=random"), 400, "bad_request")
