"""The pages in headless Chromium: every page in every language loads with its lang and
dir, without console errors and without a request outside the node; search with a
filter, open a record, sign in and out; the HTML-injection record shows as text; Chinese
and Arabic render; screenshots of the search and country pages in zh, ar and en (in
build/screenshots/) for a person to look at."""
import os

from harness import PASSWORDS, expect
from pages import AR_TITLE, INJECTION, LANGUAGES, ZH_TITLE, create_records

IDS = {}
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "build", "screenshots")


def setup(node):
    IDS.update(create_records(node))


def origin(node):
    return "http://127.0.0.1:%d" % node.port


def load(node, browser, path, status=200):
    """Loads path; checks its status, that every request stayed on the node and that the
    console has no error. Returns the page's (lang, dir)."""
    browser.network()
    browser.logs("browser")
    url = origin(node) + path
    browser.get(url)
    events = browser.network()
    # what our pages asked for (the browser's own pages, such as the new tab page, aside)
    requested = [params["request"]["url"] for method, params in events if method == "Network.requestWillBeSent"
                 and params.get("documentURL", "").startswith(origin(node) + "/")]
    expect(requested, "no request seen for " + path)
    outside = [u for u in requested if not u.startswith(origin(node) + "/") and not u.startswith("data:")]
    expect(not outside, "requests outside the node from %s: %s" % (path, outside))
    statuses = [params["response"]["status"] for method, params in events
                if method == "Network.responseReceived" and params["type"] == "Document"]
    expect(statuses and statuses[-1] == status, "%s: status %s" % (path, statuses))
    errors = [entry["message"] for entry in browser.logs("browser") if entry["level"] == "SEVERE"]
    expect(not errors, "console errors on %s: %s" % (path, errors))
    return tuple(browser.script("return [document.documentElement.lang, document.documentElement.dir]"))


def test_every_page_in_every_language(node, browser):
    for lang in LANGUAGES:
        paths = ["/%s/" % lang, "/%s/search?q=biodiversity" % lang, "/%s/search?country=FR&instrument=ramsar" % lang,
                 "/%s/records/%s" % (lang, IDS["report"]), "/%s/countries/CN" % lang, "/%s/targets/gbf:3" % lang,
                 "/%s/instruments/cbd" % lang, "/%s/vocabularies" % lang, "/%s/vocabularies/regions" % lang,
                 "/%s/calendar" % lang, "/%s/nodes" % lang, "/%s/records/new?type=meeting" % lang,
                 "/%s/login" % lang]
        for path in paths:
            expect(load(node, browser, path) == (lang, "rtl" if lang == "ar" else "ltr"), path)
            # the page's own headings are in order: one h1, and no level skipped
            levels = browser.script("return [...document.querySelectorAll('main h1,main h2,main h3,main h4')]"
                                    ".map(h => +h.tagName[1])")
            expect(levels and levels[0] == 1 and levels.count(1) == 1 and
                   all(b - a <= 1 for a, b in zip(levels, levels[1:])), (path, levels))


def test_every_input_has_a_label(node, browser):
    for path in ("/en/", "/ar/search?q=wetland", "/zh/login"):
        load(node, browser, path)
        unlabelled = browser.script(
            "return [...document.querySelectorAll('input:not([type=hidden])')]"
            ".filter(i => !i.labels || !i.labels.length).map(i => i.outerHTML)")
        expect(not unlabelled, (path, unlabelled))


def test_search_with_a_filter_then_open_a_record(node, browser):
    load(node, browser, "/fr/search?q=inventaire")
    total_before = browser.script("return document.querySelectorAll('li.record').length")
    expect(total_before == 20, total_before)
    browser.click('.facet a[href*="country=FR"]')
    expect(browser.wait_for("location.search.includes('country=FR')"), "the facet link did not filter")
    expect(browser.script("return document.querySelector('.facet li.selected').textContent").startswith("✓"),
           "the chosen filter is not shown as chosen")
    browser.click('.paging a[rel="next"]')
    expect(browser.wait_for("location.search.includes('page=2')"), "no second page")
    expect(browser.script("return document.querySelectorAll('li.record').length") == 4, "page 2 should hold 4")
    browser.click("li.record h3 a")
    expect(browser.wait_for("location.pathname.includes('/records/')"), "the record did not open")
    heading = browser.script("return document.querySelector('h1').textContent")
    expect(heading.startswith("Inventaire des zones humides"), heading)
    expect(browser.script("return location.pathname").startswith("/fr/records/"), "not a record page")


def test_sign_in_and_out(node, browser):
    browser.delete_cookies()
    load(node, browser, "/en/login")
    browser.type("#username", "admin")
    browser.type("#password", PASSWORDS["admin"])
    browser.click("form.login button")
    expect(browser.wait_for("location.pathname == '/en/' && document.querySelector('.account strong')"),
           "no redirect home after sign-in: " + browser.script("return location.pathname + ' ' + document.title"))
    expect(browser.script("return document.querySelector('.account strong').textContent") == "admin", "not signed in")
    cookie = [c for c in browser.cookies() if c["name"] == "bx_session"]
    expect(cookie and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict", cookie)
    expect(browser.script("return document.cookie").find("bx_session") < 0, "the session is visible to scripts")
    browser.click(".account form button")
    expect(browser.wait_for("document.querySelector('.account a[href=\"/en/login\"]')"),
           "still signed in after signing out")


def test_injected_markup_stays_text(node, browser):
    for lang in LANGUAGES:
        load(node, browser, "/%s/records/%s" % (lang, IDS["injection"]))
        expect(not browser.alert_open(), "a script ran on the record page in " + lang)
        expect(browser.script("return document.querySelector('h1').textContent") == INJECTION, lang)
        expect(browser.script("return document.querySelectorAll('main script, main img').length") == 0, lang)
        load(node, browser, "/%s/search?q=alert" % lang)
        expect(not browser.alert_open(), "a script ran on the search page in " + lang)
        titles = browser.script("return [...document.querySelectorAll('li.record h3')].map(h => h.textContent)")
        expect(INJECTION in titles, (lang, titles))


def test_chinese_and_arabic_render(node, browser):
    for lang, title in (("zh", ZH_TITLE), ("ar", AR_TITLE)):
        load(node, browser, "/%s/records/%s" % (lang, IDS["report"]))
        expect(browser.script("return document.querySelector('h1').textContent") == title, lang)
        width = browser.script("return document.querySelector('h1').getBoundingClientRect().width")
        expect(width > 200, "the %s title is not drawn (width %s)" % (lang, width))
    # the English text marked machine-translated says so
    load(node, browser, "/zh/records/%s" % IDS["report"])
    badges = browser.script("return [...document.querySelectorAll('.badge.machine')].map(b => b.textContent)")
    expect("机器翻译" in badges, badges)


def test_screenshots(node, browser):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    for lang in ("zh", "ar", "en"):
        load(node, browser, "/%s/search?q=%s" % (lang, "生物多样性" if lang == "zh" else "wetland"))
        browser.screenshot(os.path.join(SCREENSHOTS, "search-%s.png" % lang))
        load(node, browser, "/%s/countries/CN" % lang)
        browser.screenshot(os.path.join(SCREENSHOTS, "country-%s.png" % lang))
        expect(os.path.getsize(os.path.join(SCREENSHOTS, "country-%s.png" % lang)) > 10000, lang)
