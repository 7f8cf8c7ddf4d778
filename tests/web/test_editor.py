"""The record editor (/<lang>/records/new, /<lang>/records/{id}/edit): in headless
Chromium, create a record with Chinese and Arabic titles and edit it; an invalid form shows
its problems next to their inputs with what was typed; over plain HTTP, the rules a write
follows: sign-in first, the form token, the roles and countries of the records policy, the
revision edited (a conflict is refused), and nothing written by a refused form."""
import os
import re

from harness import PASSWORDS, expect, record
from pages import INJECTION, LANGUAGES, Client, lang_and_dir
from test_browser import SCREENSHOTS, load

ZH_TITLE = "湿地保护研讨会"
AR_TITLE = "حلقة عمل بشأن حفظ الأراضي الرطبة"
IDS = {}


def setup(node):
    IDS["cn"] = node.create(record(title={"en": "Report of China"}))["id"]
    IDS["draft"] = node.create(record(title={"en": "Draft of the contributor"}, countries=["FR"]),
                               user="contributor")["id"]


def count_records(node):
    """Every record of the node, whatever its status (as admin)."""
    counts = 0
    for status in ("draft", "submitted", "published"):
        reply = node.request("GET", "/api/v1/records?size=1&status=" + status, user="admin")
        expect(reply.status == 200, reply)
        counts += reply.json["total"]
    return counts


def revision_of(node, record_id):
    reply = node.request("GET", "/api/v1/records/" + record_id, user="admin")
    expect(reply.status == 200, reply)
    return reply.json["meta"]["revision"]


def form_fields(html):
    """The token and the hidden fields of the editor's form."""
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))
    expect("csrf_token" in fields, "no csrf_token in the editor")
    return fields


def signed_in(node, user, lang="en"):
    client = Client(node)
    client.sign_in(user, lang)
    return client


def test_anonymous_visitors_are_sent_to_sign_in_and_back(node):
    client = Client(node)
    reply = client.get("/en/records/new?type=meeting")
    expect(reply.status == 303, reply.status)
    expect(reply.headers["Location"] == "/en/login?next=%2Fen%2Frecords%2Fnew%3Ftype%3Dmeeting",
           reply.headers["Location"])
    reply = client.get("/fr/records/%s/edit" % IDS["cn"])
    expect(reply.status == 303 and reply.headers["Location"].startswith("/fr/login?next=%2Ffr%2Frecords%2Fcn"),
           reply.headers["Location"])
    login = client.get(reply.headers["Location"])
    expect('name="next" value="/fr/records/%s/edit"' % IDS["cn"] in login.text, "the sign-in form lost next")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    reply = client.request("POST", "/fr/login", {"csrf_token": token, "username": "editor",
                                                 "password": PASSWORDS["editor"],
                                                 "next": "/fr/records/%s/edit" % IDS["cn"]})
    expect(reply.status == 303 and reply.headers["Location"] == "/fr/records/%s/edit" % IDS["cn"],
           reply.headers.get("Location"))
    # next never leads off the node
    for bad in ("//evil.example/", "https://evil.example/", "/en//evil.example", "/xx/records", "/en\\x"):
        other = Client(node)
        token = other.form_token("/en/login?next=" + bad)
        reply = other.request("POST", "/en/login", {"csrf_token": token, "username": "editor",
                                                    "password": PASSWORDS["editor"], "next": bad})
        expect(reply.status == 303 and reply.headers["Location"] == "/en/", (bad, reply.headers["Location"]))
    # an anonymous POST writes nothing
    before = count_records(node)
    token = Client(node).form_token("/en/login")
    reply = client.request("POST", "/en/records/new", {"csrf_token": token, "type": "document",
                                                       "/title/en": "Anonymous"})
    expect(reply.status == 403 and count_records(node) == before, reply.status)


def test_the_form_in_six_languages(node):
    client = signed_in(node, "editor")
    for lang in LANGUAGES:
        for path in ("/%s/records/new?type=meeting" % lang, "/%s/records/%s/edit" % (lang, IDS["cn"]),
                     "/%s/records/new" % lang):
            reply = client.get(path)
            expect(reply.status == 200, (path, reply.status, reply.text[:300]))
            expect(lang_and_dir(reply.text) == (lang, "rtl" if lang == "ar" else "ltr"), path)
            expect("<script" not in reply.text and " style=" not in reply.text, path)
            expect("script-src 'none'" in reply.headers["Content-Security-Policy"], path)
    zh = client.get("/zh/records/new?type=meeting").text
    # labels from the format's x-labels in the page's language, required ones marked
    expect(re.search(r'<label for="f-fields-start">开始日期 <span class="required">（必填）</span></label>', zh),
           "the start date is not labelled in Chinese as required")
    expect('<input id="f-fields-start" name="/fields/start" aria-required="true" type="date">' in zh, "no date input")
    expect('<input id="f-fields-number" name="/fields/number" type="number" step="1" min="1" max="1000">' in zh,
           "no number input")
    # one input per UN language, with its lang and dir, the page's language first
    inputs = re.findall(r'<input id="f-title-([a-z]+)" name="/title/\1" lang="\1" dir="(ltr|rtl)"', zh)
    expect(inputs == [("zh", "ltr"), ("ar", "rtl"), ("en", "ltr"), ("es", "ltr"), ("fr", "ltr"), ("ru", "ltr")],
           inputs)
    expect('<option value="workshop">研讨会</option>' in zh or re.search(r'<option value="workshop">[^<]+</option>', zh),
           "no vocabulary picker for the kind of meeting")
    expect(re.search(r'<select multiple size="6" id="f-countries" name="/countries"', zh), "no country picker")
    # the types to choose from, each linked
    choice = client.get("/ru/records/new").text
    expect('href="/ru/records/new?type=national-report"' in choice and choice.count('href="/ru/records/new?type=') == 15,
           "the types are not all offered")


def test_links_to_the_editor_for_those_who_may_use_it(node):
    anonymous = Client(node)
    expect('href="/en/records/new"' not in anonymous.get("/en/").text, "New record shown to a visitor")
    expect('/edit"' not in anonymous.get("/en/records/" + IDS["cn"]).text, "Edit shown to a visitor")
    focal = signed_in(node, "focal.cn")
    expect('href="/en/records/new"' in focal.get("/en/").text, "no New record link for a national user")
    expect('href="/en/records/%s/edit"' % IDS["cn"] in focal.get("/en/records/" + IDS["cn"]).text, "no Edit link")
    other = signed_in(node, "focal.fr")
    expect('href="/en/records/%s/edit"' % IDS["cn"] not in other.get("/en/records/" + IDS["cn"]).text,
           "Edit shown to a user of another country")


def test_who_may_not_write_gets_403_and_no_form(node):
    before, revision = count_records(node), revision_of(node, IDS["cn"])
    other = signed_in(node, "focal.fr")
    reply = other.get("/en/records/%s/edit" % IDS["cn"])
    expect(reply.status == 403 and 'class="editor"' not in reply.text, reply.status)
    # a contributor may not edit a published record, nor another one's draft
    contributor = signed_in(node, "contributor")
    reply = contributor.get("/es/records/%s/edit" % IDS["cn"])
    expect(reply.status == 403 and 'class="editor"' not in reply.text, reply.status)
    expect(contributor.get("/es/records/%s/edit" % IDS["draft"]).status == 200, "the contributor's own draft")
    # a contributor may only save drafts and submit them
    statuses = re.findall(r'<option value="([a-z]+)"', contributor.get("/en/records/new?type=document").text
                          .split('id="f-status"')[1])
    expect(statuses == ["draft", "submitted"], statuses)
    # posting anyway (with a good form token) writes nothing
    token = form_fields(other.get("/en/records/new?type=document").text)["csrf_token"]
    reply = other.request("POST", "/en/records/%s/edit" % IDS["cn"],
                          {"csrf_token": token, "revision": str(revision), "/title/en": "Taken over",
                           "/countries": "FR"})
    expect(reply.status == 403 and 'class="editor"' not in reply.text, reply.status)
    # a national user writes records of its own country only: the form comes back refused
    reply = other.request("POST", "/en/records/new", {"csrf_token": token, "type": "document",
                                                      "/title/en": "Of China", "/countries": "CN"})
    expect(reply.status == 403 and "FR" in reply.text and 'value="Of China"' in reply.text, reply.status)
    expect(count_records(node) == before and revision_of(node, IDS["cn"]) == revision, "something was written")


def test_a_post_without_the_form_token_is_refused(node):
    client = signed_in(node, "editor")
    before, revision = count_records(node), revision_of(node, IDS["cn"])
    good = {"type": "document", "/title/en": "Without a token"}
    for token in (None, "", "x" * 43):
        form = dict(good, **({"csrf_token": token} if token is not None else {}))
        reply = client.request("POST", "/en/records/new", form)
        expect(reply.status == 403 and 'class="editor"' not in reply.text, (token, reply.status))
        reply = client.request("POST", "/en/records/%s/edit" % IDS["cn"], dict(form, revision=str(revision)))
        expect(reply.status == 403, (token, reply.status))
    expect(count_records(node) == before and revision_of(node, IDS["cn"]) == revision, "something was written")


def test_problems_are_shown_at_their_inputs_and_nothing_is_written(node):
    client = signed_in(node, "editor")
    token = form_fields(client.get("/fr/records/new?type=meeting").text)["csrf_token"]
    before = count_records(node)
    reply = client.request("POST", "/fr/records/new", {
        "csrf_token": token, "type": "meeting", "/title/fr": INJECTION, "/date": "2024-13-45",
        "/fields/start": "demain", "/fields/number": "treize", "/links/0/title/en": "No address"})
    expect(reply.status == 422, reply.status)
    page = reply.text
    expect(count_records(node) == before, "an invalid record was written")
    for field in ("f-date", "f-fields-kind", "f-fields-start", "f-fields-number", "f-links-0-url"):
        expect('<a href="#%s">' % field in page, "the summary does not link to " + field)
        expect('<p class="field-error" id="%s-error">' % field in page, "no problem shown at " + field)
        expect(re.search(r'id="%s" [^>]*aria-invalid="true" aria-describedby="%s-error"' % (field, field), page),
               "the input %s is not marked invalid" % field)
    # what was typed is kept, and shown as text
    expect('value="2024-13-45"' in page and 'value="demain"' in page and 'value="treize"' in page, "values lost")
    expect('value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page and INJECTION not in page, "injection")
    expect('<input id="f-fields-start" name="/fields/start" aria-required="true" aria-invalid="true" '
           'aria-describedby="f-fields-start-error" type="text" value="demain">' in page,
           "a date that is not one must be shown in a text input, or the browser empties it")


def test_a_concurrent_change_is_a_conflict(node):
    client = signed_in(node, "editor")
    fields = form_fields(client.get("/en/records/%s/edit" % IDS["cn"]).text)
    current = node.request("GET", "/api/v1/records/" + IDS["cn"], user="admin").json
    current["title"] = {"en": "Changed meanwhile"}
    reply = node.request("PUT", "/api/v1/records/" + IDS["cn"], current, user="admin",
                         headers={"If-Match": '"%s"' % fields["revision"]})
    expect(reply.status == 200, reply)
    reply = client.request("POST", "/en/records/%s/edit" % IDS["cn"], {
        "csrf_token": fields["csrf_token"], "revision": fields["revision"], "/title/en": "My change"})
    expect(reply.status == 409 and "My change" in reply.text and 'class="problem"' in reply.text, reply.status)
    after = node.request("GET", "/api/v1/records/" + IDS["cn"], user="admin").json
    expect(after["title"] == {"en": "Changed meanwhile"}, after["title"])
    expect(after["meta"]["revision"] == int(fields["revision"]) + 1, after["meta"])


def set_value(browser, css, value):
    """Sets an input as a date picker would (typing into one depends on the locale)."""
    browser.script("document.querySelector(arguments[0]).value = arguments[1]", css, value)


def submit(browser):
    browser.script("window.submitted = true")
    browser.click("form.editor button[type=submit]")
    expect(browser.wait_for("!window.submitted && document.readyState == 'complete'"), "the form was not sent")


def test_create_and_edit_a_record_in_the_browser(node, browser):
    browser.delete_cookies()
    load(node, browser, "/en/login")
    browser.type("#username", "focal.cn")
    browser.type("#password", PASSWORDS["focal.cn"])
    browser.click("form.login button")
    expect(browser.wait_for("location.pathname == '/en/'"), "not signed in")
    browser.click('nav.main a[href="/en/records/new"]')
    expect(browser.wait_for("location.pathname == '/en/records/new'"), "no New record link")
    browser.click('ul.types a[href="/en/records/new?type=meeting"]')
    expect(browser.wait_for("location.search == '?type=meeting'"), "the type did not open")
    expect(browser.script("return document.querySelector('#f-countries option[value=CN]').selected"),
           "a national user's country is not chosen for it")
    browser.type("#f-title-zh", ZH_TITLE)
    browser.type("#f-title-ar", AR_TITLE)
    browser.click('#f-fields-kind option[value="workshop"]')
    set_value(browser, "#f-fields-start", "2024-05-01")
    browser.type("#f-fields-place-fr", "Centre de conférences")
    submit(browser)
    expect(browser.wait_for("/^\\/en\\/records\\/cn:/.test(location.pathname)"),
           "no record page after saving: " + browser.script("return location.pathname + ' ' + document.title"))
    record_id = browser.script("return decodeURIComponent(location.pathname.split('/')[3])")
    stored = node.request("GET", "/api/v1/records/" + record_id, user="admin").json
    expect(stored["title"] == {"zh": ZH_TITLE, "ar": AR_TITLE}, stored["title"])
    expect(stored["fields"] == {"kind": "workshop", "start": "2024-05-01", "place": {"fr": "Centre de conférences"}},
           stored["fields"])
    expect(stored["countries"] == ["CN"] and stored["meta"]["author"] == "focal.cn", stored)
    for lang, title in (("zh", ZH_TITLE), ("ar", AR_TITLE)):
        expect(load(node, browser, "/%s/records/%s" % (lang, record_id))[0] == lang, lang)
        expect(browser.script("return document.querySelector('h1').textContent") == title, lang)

    browser.click(".actions a.button")
    expect(browser.wait_for("location.pathname.endsWith('/edit')"), "no Edit link")
    expect(browser.script("return document.querySelector('#f-title-zh').value") == ZH_TITLE, "not prefilled")
    expect(browser.script("return document.querySelector('#f-title-ar').dir") == "rtl", "Arabic is not rtl")
    browser.type("#f-title-en", "Workshop on wetland conservation")
    submit(browser)
    expect(browser.wait_for("location.pathname == '/ar/records/%s'" % record_id), "no record page after editing")
    rows = browser.script("return document.querySelectorAll('table.revisions tbody tr').length")
    expect(rows == 2, "revisions shown: %s" % rows)
    stored = node.request("GET", "/api/v1/records/" + record_id, user="admin").json
    expect(stored["meta"]["revision"] == 2 and stored["title"]["en"] == "Workshop on wetland conservation", stored)
    expect(stored["fields"]["kind"] == "workshop", "the edit lost a field")


def test_an_invalid_form_in_the_browser(node, browser):
    browser.delete_cookies()
    load(node, browser, "/en/login")
    browser.type("#username", "editor")
    browser.type("#password", PASSWORDS["editor"])
    browser.click("form.login button")
    expect(browser.wait_for("location.pathname == '/en/'"), "not signed in")
    before = count_records(node)
    load(node, browser, "/en/records/new?type=meeting")
    unlabelled = browser.script("return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
                                ".filter(i => !i.labels || !i.labels.length).map(i => i.outerHTML)")
    expect(not unlabelled, unlabelled)
    levels = browser.script("return [...document.querySelectorAll('main h1,main h2,main h3')].map(h => +h.tagName[1])")
    expect(levels == [1], levels)
    browser.type("#f-title-en", INJECTION)
    # a browser without a date picker lets any text through
    browser.script("document.querySelector('#f-date').type = 'text'")
    browser.type("#f-date", "2024-13-45")
    submit(browser)
    expect(browser.wait_for("document.querySelector('.error-summary')"), "no summary of the problems")
    expect(not browser.alert_open(), "a script ran")
    expect(browser.script("return document.querySelectorAll('main script').length") == 0, "a script element")
    expect(browser.script("return document.querySelector('#f-title-en').value") == INJECTION, "the title was lost")
    expect(browser.script("return document.querySelector('#f-date').value") == "2024-13-45", "the date was lost")
    for field in ("f-date", "f-fields-kind", "f-fields-start"):
        described = browser.script("var i = document.getElementById(arguments[0]);"
                                   "return [i.getAttribute('aria-invalid'), i.getAttribute('aria-describedby'),"
                                   " document.getElementById(arguments[0] + '-error').textContent]", field)
        expect(described[0] == "true" and described[1].split()[0] == field + "-error" and described[2], described)
    links = browser.script("return [...document.querySelectorAll('.error-summary a')].map(a => a.getAttribute('href'))")
    expect(links == ["#f-date", "#f-fields-kind", "#f-fields-start"], links)
    browser.click('.error-summary a[href="#f-fields-kind"]')
    expect(browser.wait_for("location.hash == '#f-fields-kind'"), "the summary's link does not lead to the field")
    expect(count_records(node) == before, "an invalid record was written")


def test_the_editor_loads_in_every_language_in_chromium(node, browser):
    browser.delete_cookies()
    load(node, browser, "/en/login")
    browser.type("#username", "admin")
    browser.type("#password", PASSWORDS["admin"])
    browser.click("form.login button")
    expect(browser.wait_for("location.pathname == '/en/'"), "not signed in")
    for lang in LANGUAGES:
        for path in ("/%s/records/new?type=national-report" % lang, "/%s/records/%s/edit" % (lang, IDS["cn"])):
            expect(load(node, browser, path) == (lang, "rtl" if lang == "ar" else "ltr"), path)
        if lang in ("ar", "zh", "en"):
            os.makedirs(SCREENSHOTS, exist_ok=True)
            browser.screenshot(os.path.join(SCREENSHOTS, "editor-%s.png" % lang))
