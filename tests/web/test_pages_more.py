"""The target, instrument, vocabulary, calendar and node pages, and the iCalendar feed:
every page in every language, the crosswalk found both ways, the calendar's order, a
strict reading of /calendar.ics (CRLF, folding at 75 octets between characters, the
required properties, escaped text), the dashboard's peers, 404 and 400 pages, and the
HTML-injection record shown as text everywhere. One check runs in Chromium."""
import http.client
import re
import time

from harness import expect, record
from pages import INJECTION, LANGUAGES, Client, lang_and_dir

IDS = {}
# A long Chinese title with ASCII punctuation, folded across several lines in the feed.
ZH_MEETING = "生物多样性公约缔约方大会第十八次会议, 第二部分; 续会 \\ 昆明-蒙特利尔全球生物多样性框架的执行情况审查"
AR_MEETING = "الاجتماع الثامن عشر لمؤتمر الأطراف، الجزء الثاني; الدورة المستأنفة, جنيف"
SUMMARY = ("The resumed session reviews national reports, the financial mechanism, resource mobilization, "
           "capacity-building; technical and scientific cooperation, and the mechanisms for planning, "
           "monitoring, reporting and review.\nA second paragraph follows.")


def meeting(title, start, end=None, **fields):
    fields = dict(fields, kind=fields.get("kind", "governing-body"), start=start)
    if end:
        fields["end"] = end
    return record(type="meeting", title=title, date=start, targets=None, subjects=None, fields=fields)


def setup(node):
    IDS["aichi"] = node.create(record(title={"en": "Wetland protected areas report", "fr": "Rapport zones humides"},
                                      targets=["aichi:11"], conventions=["ramsar"], countries=["FR"]))["id"]
    IDS["gbf"] = node.create(record(title={"en": "Thirty by thirty progress"}, targets=["gbf:3"]))["id"]
    cop18 = meeting({"zh": ZH_MEETING, "ar": AR_MEETING, "en": "COP 18, part two; resumed"}, "2031-03-10",
                    "2031-03-14", body="cbd-cop", documents_due="2031-01-27",
                    place={"en": "Palais des Nations, Room XX", "zh": "万国宫，第二十号会议室"},
                    city={"en": "Geneva", "zh": "日内瓦"})
    cop18["summary"] = {"en": SUMMARY}
    IDS["cop18"] = node.create(cop18)["id"]
    IDS["sbstta"] = node.create(meeting({"en": "SBSTTA 30"}, "2030-05-04", "2030-05-08", body="cbd-cop"))["id"]
    IDS["past"] = node.create(meeting({"en": "COP 13 Cancun"}, "2016-12-04", "2016-12-17", body="cbd-cop"))["id"]
    IDS["older"] = node.create(meeting({"en": "COP 10 Nagoya"}, "2010-10-18", "2010-10-29", body="cbd-cop"))["id"]
    injection = meeting({lang: INJECTION for lang in LANGUAGES}, "2030-06-01", kind="workshop",
                        place={"en": INJECTION})
    injection["targets"] = ["gbf:3"]
    IDS["injection"] = node.create(injection)["id"]
    node.create(record(title={"en": "Tagged injection"}, targets=["gbf:3"], summary={"en": INJECTION}))
    IDS["need"] = node.create(record(type="capacity-need", title={"en": "Training on protected area management"},
                                     targets=["gbf:3"], subjects=None,
                                     fields={"support": ["training"], "deadline": "2030-07-15", "status": "open"}))["id"]
    draft = record(type="meeting", title={"en": "Secret draft meeting"}, status="draft", date="2030-08-01",
                   targets=None, subjects=None, fields={"kind": "workshop", "start": "2030-08-01"})
    node.create(draft)
    reply = node.request("POST", "/api/v1/nodes", {"slug": "fr", "url": "http://127.0.0.1:9/", "kind": "bioex",
                                                   "schedule": 0}, user="admin")
    expect(reply.status == 201, reply)


def pages(lang):
    return ["/%s/targets/gbf:3" % lang, "/%s/targets/aichi:11" % lang, "/%s/instruments/cbd" % lang,
            "/%s/vocabularies" % lang, "/%s/vocabularies/targets" % lang, "/%s/vocabularies/subjects?page=2" % lang,
            "/%s/vocabularies/countries" % lang, "/%s/calendar" % lang, "/%s/nodes" % lang]


def test_every_new_page_in_every_language(node):
    client = Client(node)
    for lang in LANGUAGES:
        for path in pages(lang):
            reply = client.get(path)
            expect(reply.status == 200, (path, reply.status, reply.text[:300]))
            expect(lang_and_dir(reply.text) == (lang, "rtl" if lang == "ar" else "ltr"), path)
            expect("default-src 'self'" in reply.headers.get("Content-Security-Policy", ""), path)
            expect("<script" not in reply.text and " style=" not in reply.text, "inline script or style: " + path)
            expect(len(reply.text.encode()) < 200 * 1024, "%s is %d bytes" % (path, len(reply.text.encode())))
            raw_keys = re.findall(r">((?:target|instrument|vocabulary|calendar|nodes|latest)\.[a-z_]+)<", reply.text)
            expect(not raw_keys, (path, raw_keys))
        home = client.get("/%s/" % lang).text
        for page in ("calendar", "vocabularies", "nodes"):
            expect('href="/%s/%s"' % (lang, page) in home, "no link to %s in the header (%s)" % (page, lang))


def test_target_page_shows_the_crosswalk_both_ways(node):
    client = Client(node)
    gbf = client.get("/en/targets/gbf:3").text
    expect("30% of areas are effectively conserved" in gbf, gbf[:500])
    expect('href="/en/targets/aichi:11"' in gbf and "Close match" in gbf, "gbf:3 does not show its mapping")
    expect("Kunming-Montreal Global Biodiversity Framework" in gbf, "no framework name")
    # aichi:11 states no mapping itself: gbf:3's mapping is shown turned around
    aichi = client.get("/en/targets/aichi:11").text
    expect('href="/en/targets/gbf:3"' in aichi, "aichi:11 does not show gbf:3")
    expect('href="/en/targets/aichi:C"' in aichi, "aichi:11 does not link to its goal")
    zh = client.get("/zh/targets/gbf:3").text
    expect("<h1 lang=\"zh\">30% 的区域得到有效保护</h1>" in zh, "the label is not in Chinese")


def test_target_page_finds_records_of_mapped_targets(node):
    client = Client(node)
    gbf = client.get("/en/targets/gbf:3").text
    expect("/en/records/%s" % IDS["aichi"] in gbf, "a record tagged aichi:11 is missing from the gbf:3 page")
    expect("/en/records/%s" % IDS["gbf"] in gbf, "a record tagged gbf:3 is missing from its page")
    expect('href="/en/search?target=gbf%3A3"' in gbf, "no link to the full search")
    aichi = client.get("/en/targets/aichi:11").text
    expect("/en/records/%s" % IDS["gbf"] in aichi, "the crosswalk does not work from aichi:11")
    sdg = client.get("/en/targets/sdg:1.1").text
    expect("<p class=\"total\">0 records</p>" in sdg, "sdg:1.1 should have no records")


def test_instrument_page(node):
    client = Client(node)
    page = client.get("/en/instruments/cbd").text
    expect("<h1 lang=\"en\">Convention on Biological Diversity</h1>" in page, page[:2000])
    expect("Conference of the Parties" in page, "the CBD's bodies are missing")
    expect('href="/en/instruments/nagoya"' in page, "the protocols under the CBD are missing")
    expect('<svg class="chart"' in page and "type=meeting&amp;instrument=cbd" in page, "no chart by type")
    expect("/en/records/%s" % IDS["cop18"] in page, "the latest records are missing")
    expect('href="/en/targets/gbf:3"' in page, "the targets of its records are missing")
    nagoya = client.get("/en/instruments/nagoya").text
    expect('href="/en/instruments/cbd"' in nagoya, "the Nagoya Protocol does not link to the CBD")


def test_vocabulary_browser(node):
    client = Client(node)
    listing = client.get("/fr/vocabularies").text
    for name in ("targets", "countries", "subjects", "instruments", "meeting-kinds"):
        expect('href="/fr/vocabularies/%s"' % name in listing, name)
    found = client.get("/en/vocabularies/countries?q=chin").text
    expect('href="/en/countries/CN"' in found and 'href="/en/search?country=CN"' in found, found[-3000:])
    expect('lang="zh" dir="ltr">中国</span>' in found, "the other languages' labels are missing")
    expect('href="/en/vocabularies/countries?page=2"' not in found, "a filtered list of a few should not page")
    regions = client.get("/zh/vocabularies/regions?q=030").text
    expect('<td dir="ltr">030</td><td>东亚<details>' in regions, "a region is not named in Chinese")
    first = client.get("/en/vocabularies/countries").text
    expect('href="/en/vocabularies/countries?page=2"' in first, "countries are not paged")
    expect(first.count("<tr>") <= 41, "too many terms on a page")
    subjects = client.get("/ar/vocabularies/subjects?q=abandoned").text
    expect('href="/ar/search?subject=gemet%3A7"' in subjects, "subjects do not link to their search")
    targets = client.get("/en/vocabularies/targets?q=protected").text
    expect('href="/en/targets/aichi:11"' in targets and "Broader" in targets, "targets lack links or hierarchy")
    # the search page takes the subject filter the browser links to
    search = client.get("/en/search?subject=gemet:7").text
    expect("/en/records/%s" % IDS["gbf"] in search and "/en/records/%s" % IDS["cop18"] not in search,
           "the subject filter does not filter")


def calendar_order(text, ids):
    positions = [text.find("/records/%s\"" % ids[name]) for name in ("sbstta", "need", "cop18", "past", "older")]
    return positions


def test_calendar_lists_upcoming_then_past(node):
    client = Client(node)
    text = client.get("/en/calendar").text
    upcoming, past = text.find("<h2>Upcoming</h2>"), text.find("<h2>Past</h2>")
    expect(0 < upcoming < past, "no upcoming and past sections")
    sbstta, need, cop18, cop13, cop10 = calendar_order(text, IDS)
    expect(upcoming < sbstta < need < cop18 < past < cop13 < cop10, (sbstta, need, cop18, cop13, cop10))
    expect("Documents due" in text and "Support needed by" in text, "deadlines are missing")
    expect(text.find("<h3>May 2030</h3>") < sbstta < text.find("<h3>March 2031</h3>"), "not grouped by month")
    expect("Secret draft meeting" not in text, "a draft is on the calendar")
    zh = client.get("/zh/calendar").text
    expect("<h3>2031年3月</h3>" in zh and ZH_MEETING in zh,
           "the Chinese calendar lacks its month or title")
    only = client.get("/en/calendar?instrument=ramsar").text
    expect("/records/%s" % IDS["cop18"] not in only, "the instrument filter does not filter")
    body = client.get("/en/calendar?body=cbd-cop").text
    expect("/records/%s" % IDS["cop18"] in body and "/records/%s" % IDS["injection"] not in body, "body filter")
    expect('href="/calendar.ics?lang=en"' in text, "no link to the feed")


def unfold(body):
    """Reads an iCalendar body strictly: CRLF line ends, physical lines of at most 75
    octets, each whole UTF-8; returns the unfolded content lines."""
    expect(body.endswith(b"\r\n"), "the feed does not end with CRLF")
    physical = body[:-2].split(b"\r\n")
    for line in physical:
        expect(b"\n" not in line and b"\r" not in line, "a bare CR or LF: %r" % line[:80])
        expect(len(line) <= 75, "a line of %d octets: %r" % (len(line), line))
        line.decode("utf-8")   # raises when folding split a character
    lines = []
    for line in physical:
        if line.startswith(b" "):
            expect(lines, "the feed starts with a continuation line")
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return [line.decode("utf-8") for line in lines]


def text_value(value):
    """Unescapes a TEXT value; fails on an unescaped comma or semicolon or a bad escape."""
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            nxt = value[i + 1:i + 2]
            expect(nxt in ("\\", ";", ",", "n", "N"), "bad escape in %r" % value)
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        expect(c not in ",;", "unescaped %r in %r" % (c, value))
        out.append(c)
        i += 1
    return "".join(out)


def events(lines):
    expect(lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR", (lines[0], lines[-1]))
    expect("VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines), "VERSION or PRODID")
    found, current = [], None
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            expect(current is None, "nested VEVENT")
            current = {}
        elif line == "END:VEVENT":
            for required in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY"):
                expect(required in current, "a VEVENT without %s: %s" % (required, current))
            expect(re.fullmatch(r"\d{8}T\d{6}Z", current["DTSTAMP"]), current["DTSTAMP"])
            expect(current["DTEND;VALUE=DATE"] > current["DTSTART;VALUE=DATE"], current)
            found.append(current)
            current = None
        elif current is not None:
            expect(name not in current, "%s twice in a VEVENT" % name)
            current[name] = text_value(value) if name in ("SUMMARY", "LOCATION", "DESCRIPTION") else value
    expect(current is None, "an unclosed VEVENT")
    return found


def feed(node, query=""):
    """The bytes of /calendar.ics, exactly as sent."""
    connection = http.client.HTTPConnection("127.0.0.1", node.port, timeout=60)
    try:
        connection.request("GET", "/calendar.ics" + query)
        reply = connection.getresponse()
        body = reply.read()
        expect(reply.status == 200, (query, reply.status, body[:300]))
        expect(reply.getheader("Content-Type") == "text/calendar; charset=utf-8", reply.getheader("Content-Type"))
        return body
    finally:
        connection.close()


def test_calendar_ics_is_strict_icalendar(node):
    for lang, title in (("zh", ZH_MEETING), ("ar", AR_MEETING)):
        reply_bytes = feed(node, "?lang=" + lang)
        found = {event["UID"]: event for event in events(unfold(reply_bytes))}
        cop18 = found.get(IDS["cop18"] + "@bioex")
        expect(cop18, "the meeting is not in the feed: %s" % list(found))
        expect(cop18["SUMMARY"] == title, (cop18["SUMMARY"], title))
        expect(cop18["DTSTART;VALUE=DATE"] == "20310310" and cop18["DTEND;VALUE=DATE"] == "20310315", cop18)
        expect(cop18["URL"].endswith("/%s/records/%s" % (lang, IDS["cop18"])), cop18["URL"])
        expect(any(line.startswith(b" ") for line in reply_bytes.split(b"\r\n")), "the long title was not folded")
        one_day = found[IDS["injection"] + "@bioex"]
        expect(one_day["DTEND;VALUE=DATE"] == "20300602", "DTEND of a one-day event is the next day")
        expect(one_day["SUMMARY"] == INJECTION and one_day["LOCATION"] == INJECTION, one_day)
        expect(IDS["need"] + "@bioex" not in found, "only meetings are in the feed")
        expect(b"Secret draft meeting" not in reply_bytes, "a draft is in the feed")
    english = {e["UID"]: e for e in events(unfold(feed(node)))}
    cop18 = english[IDS["cop18"] + "@bioex"]
    expect(cop18["SUMMARY"] == "COP 18, part two; resumed", cop18["SUMMARY"])
    expect(cop18["LOCATION"] == "Palais des Nations, Room XX, Geneva", cop18["LOCATION"])
    expect(cop18["DESCRIPTION"] == SUMMARY, cop18["DESCRIPTION"])
    lengths = [len(line) for line in feed(node).split(b"\r\n")]
    expect(75 in lengths, "a long ASCII text should fill lines to 75 octets: %s" % lengths)
    filtered = events(unfold(feed(node, "?instrument=ramsar")))
    expect(filtered == [], "the instrument filter does not filter the feed")


def test_nodes_page_shows_peers_and_health(node):
    client = Client(node)
    page = client.get("/en/nodes").text
    expect('<td dir="ltr">fr</td>' in page and "http://127.0.0.1:9/" in page, "the peer is not listed")
    expect("never harvested" in page and "on request" in page, "the peer's health or schedule is missing")
    expect('<dd dir="ltr">cn</dd>' in page, "this node's slug is missing")
    reply = node.request("POST", "/api/v1/nodes/fr/harvest", user="admin")
    expect(reply.status == 202, reply)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not node.request("GET", "/api/v1/nodes/fr").json.get("last_error"):
        time.sleep(0.5)
    page = client.get("/ru/nodes").text
    expect('class="peer failing"' in page and "127.0.0.1" in page, "a failing peer is not shown failing")
    expect("сбой" in page, "the health is not in Russian")


def test_unknown_terms_are_404_pages(node):
    client = Client(node)
    for path, lang in (("/en/targets/gbf:999", "en"), ("/ar/instruments/nothing", "ar"),
                       ("/zh/vocabularies/nothing", "zh"), ("/fr/targets/%3Cscript%3E", "fr"),
                       ("/ru/instruments/", "ru")):
        reply = client.get(path)
        expect(reply.status == 404 and lang_and_dir(reply.text)[0] == lang, (path, reply.status))
        expect("<script>" not in reply.text, path)


def test_bad_parameters_are_400(node):
    client = Client(node)
    for path in ("/en/vocabularies/countries?page=0", "/en/vocabularies/countries?page=x",
                 "/es/vocabularies/countries?page=99", "/en/vocabularies/subjects?q=" + "x" * 300,
                 "/en/calendar?instrument=nope", "/ar/calendar?body=%3Cb%3E"):
        reply = client.get(path)
        expect(reply.status == 400 and lang_and_dir(reply.text)[0] == path[1:3], (path, reply.status))
    for path in ("/calendar.ics?lang=xx", "/calendar.ics?body=nope"):
        reply = client.get(path)
        expect(reply.status == 400, (path, reply.status))


def test_html_injection_renders_as_text(node):
    client = Client(node)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for lang in LANGUAGES:
        for path in ("/%s/targets/gbf:3" % lang, "/%s/instruments/cbd" % lang, "/%s/calendar" % lang):
            text = client.get(path).text
            expect(INJECTION not in text and "<img" not in text, "injection on " + path)
            expect(escaped in text, "the injected title is not shown as text on " + path)
        text = client.get("/%s/vocabularies/subjects?q=%%22%%3E%%3Cscript%%3E" % lang).text
        expect("<script>" not in text and 'value="&quot;&gt;&lt;script&gt;"' in text, "injection in the filter")
        text = client.get("/%s/nodes?x=%%3Cscript%%3E" % lang).text
        expect("<script>" not in text, "injection on the nodes page")


def test_record_page_links_to_target_and_instrument_pages(node):
    client = Client(node)
    text = client.get("/en/records/%s" % IDS["aichi"]).text
    expect('href="/en/targets/aichi:11"' in text and 'href="/en/instruments/ramsar"' in text, "no term links")


def test_arabic_target_and_calendar_in_chromium(node, browser):
    origin = "http://127.0.0.1:%d" % node.port
    for path, selector in (("/ar/targets/gbf:3", "table.crosswalk a[href='/ar/targets/aichi:11']"),
                           ("/ar/calendar", "li.event a[href='/ar/records/%s']" % IDS["cop18"])):
        browser.logs("browser")
        browser.get(origin + path)
        expect(browser.script("return [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"],
               path)
        box = browser.script("const e = document.querySelector(arguments[0]);"
                             "if (!e) return null; const r = e.getBoundingClientRect();"
                             "return [r.width, r.height, getComputedStyle(e).visibility]", selector)
        expect(box and box[0] > 0 and box[1] > 0 and box[2] == "visible", (path, selector, box))
        errors = [entry["message"] for entry in browser.logs("browser") if entry["level"] == "SEVERE"]
        expect(not errors, (path, errors))
        levels = browser.script("return [...document.querySelectorAll('main h1,main h2,main h3')]"
                                ".map(h => +h.tagName[1])")
        expect(levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), (path, levels))
        expect(not browser.alert_open(), "a script ran on " + path)
    title = browser.script("return document.querySelector(\"a[href='/ar/records/%s']\").textContent" % IDS["cop18"])
    expect(title == AR_MEETING, title)
    unlabelled = browser.script("return [...document.querySelectorAll('input:not([type=hidden]),select')]"
                                ".filter(i => !i.labels || !i.labels.length).map(i => i.outerHTML)")
    expect(not unlabelled, unlabelled)


def test_home_charts_by_type_convention_and_year(node):
    client = Client(node)
    for lang in ("en", "zh", "ar"):
        home = client.get("/%s/" % lang).text
        expect(home.count("<svg") >= 3, (lang, home.count("<svg")))
        for name in ("type", "instrument", "year"):
            expect(re.search(r'<svg.*?href="/%s/search\?%s=' % (lang, name), home, re.S),
                   "no %s chart on /%s/" % (name, lang))


def test_country_charts_by_type_convention_and_year(node):
    client = Client(node)
    for lang in ("en", "zh", "ar"):
        profile = client.get("/%s/countries/CN" % lang).text
        for name in ("type", "instrument", "year"):
            expect(re.search(r'<svg.*?href="/%s/search\?%s=[^"]*country=CN' % (lang, name), profile, re.S),
                   "no %s chart on the %s country page" % (name, lang))
