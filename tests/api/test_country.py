"""Country profiles: every published record of a country counted by type, focal points,
reports and NBSAPs listed, drafts shown only to those who may see them."""
from urllib.parse import quote

from harness import expect, expect_error, record

PROFILE = "/api/v1/countries/"


def focal_point(country, name, email):
    return {"type": "focal-point", "title": {"zh": "国家联络点 " + name, "ar": "جهة الاتصال الوطنية " + name,
                                            "en": "National focal point " + name},
            "conventions": ["cbd"], "countries": [country],
            "fields": {"instrument": "cbd", "role": "national-focal-point",
                       "person": {"name": {"zh": name}}, "contact": {"email": email}}}


def national_report(country, title, date, **more):
    return dict({"type": "national-report", "title": title, "conventions": ["cbd"], "countries": [country],
                 "date": date, "fields": {"convention": "cbd", "cycle": "cbd-nr7"}}, **more)


def nbsap(country, title):
    return {"type": "nbsap", "title": title, "conventions": ["cbd"], "countries": [country],
            "date": "2021-10-08", "fields": {"period": {"from": "2021", "to": "2030"}}}


def setup_records(node):
    if getattr(node, "_country_records", None):
        return node._country_records
    made = {
        "fp": node.create(focal_point("CN", "李伟", "li.wei@example.org"), user="focal.cn"),
        "nbsap": node.create(nbsap("CN", {"zh": "中国生物多样性保护战略与行动计划（2023-2030年）",
                                          "en": "China NBSAP 2023-2030"}), user="focal.cn"),
        "nr6": node.create(national_report("CN", {"zh": "中国履行《生物多样性公约》第六次国家报告"},
                                           "2019-12-31", id="cn:nr6"), user="focal.cn"),
        "nr7": node.create(national_report("CN", {"zh": "第七次国家报告", "ar": "التقرير الوطني السابع للصين"},
                                           "2024-12-31", id="cn:nr7")),
        "doc": node.create(record(title={"zh": "中国湿地保护报告", "ar": "تقرير الأراضي الرطبة"})),
        "joint": node.create(record(countries=["CN", "FR"], title={"fr": "Coopération sino-française",
                                                                   "zh": "中法合作"})),
        "fr": node.create(national_report("FR", {"fr": "Septième rapport national de la France",
                                                 "ar": "التقرير الوطني السابع لفرنسا"}, "2024-11-30"),
                          user="focal.fr"),
        "draft": node.create(national_report("CN", {"zh": "第八次国家报告（草稿）"}, "2025-06-01"),
                             user="contributor"),
        "gone": node.create(national_report("CN", {"zh": "已撤回的报告"}, "2018-01-01")),
    }
    expect(made["draft"]["status"] == "draft", made["draft"])
    reply = node.request("DELETE", "/api/v1/records/" + made["gone"]["id"], user="admin")
    expect(reply.status == 200, reply)
    node._country_records = made
    return made


def profile(node, iso, user=None):
    reply = node.request("GET", PROFILE + iso, user=user)
    expect(reply.status == 200, reply)
    return reply.json


def listed(body, type_):
    return [item["id"] for item in body["records"].get(type_, [])]


def test_profile_counts_and_lists_the_countrys_records(node):
    made = setup_records(node)
    body = profile(node, "CN")
    expect(body["country"]["id"] == "CN" and body["country"]["labels"]["zh"] == "中国", body["country"])
    expect(body["counts"] == {"focal-point": 1, "nbsap": 1, "national-report": 2, "document": 2},
           body["counts"])
    expect(listed(body, "focal-point") == [made["fp"]["id"]], body["records"])
    expect(listed(body, "nbsap") == [made["nbsap"]["id"]], body["records"])
    expect(listed(body, "national-report") == ["cn:nr7", "cn:nr6"], "newest first: %r" % body["records"])
    report = body["records"]["national-report"][0]
    expect(report["title"]["ar"] == "التقرير الوطني السابع للصين" and report["type"] == "national-report", report)
    expect(made["fr"]["id"] not in str(body), "a French record in the profile of CN")
    expect(made["gone"]["id"] not in str(body), "a withdrawn record in the profile")


def test_profile_of_another_country(node):
    made = setup_records(node)
    body = profile(node, "FR")
    expect(body["country"]["labels"]["fr"].startswith("France"), body["country"])
    expect(body["counts"] == {"national-report": 1, "document": 1}, body["counts"])
    expect(listed(body, "national-report") == [made["fr"]["id"]], body["records"])
    empty = profile(node, "DZ")
    expect(empty["counts"] == {} and empty["country"]["labels"]["ar"] == "الجزائر", empty)
    expect(all(items == [] for items in empty["records"].values()), empty)


def test_private_contact_is_not_in_the_public_profile(node):
    setup_records(node)
    reply = node.request("GET", PROFILE + "CN")
    expect("li.wei@example.org" not in reply.body, "a private contact in the public profile")


def test_unknown_country_is_404(node):
    for iso in ("XX", "ZZ", "CHN", "中国"):
        expect_error(node.request("GET", PROFILE + quote(iso)), 404, "not_found")


def test_drafts_are_shown_only_to_who_may_see_them(node):
    made = setup_records(node)
    draft = made["draft"]["id"]
    anonymous = profile(node, "CN")
    expect(draft not in listed(anonymous, "national-report"), "a draft shown to the public")
    expect(anonymous["counts"]["national-report"] == 2, anonymous["counts"])
    for user in ("focal.cn", "admin", "contributor"):
        body = profile(node, "CN", user=user)
        expect(draft in listed(body, "national-report"),
               "%s does not see the draft %s: national-report lists %s, counts %s"
               % (user, draft, listed(body, "national-report"), body["counts"]))
    mine = profile(node, "CN", user="focal.cn")
    expect(mine["counts"]["national-report"] == 3, mine["counts"])
    expect(listed(mine, "national-report")[0] == draft, "newest first: %r" % mine["records"])
    other = profile(node, "CN", user="focal.fr")
    expect(draft not in listed(other, "national-report"), "focal.fr sees a draft of CN")
    expect(other["counts"]["national-report"] == 2, other["counts"])
