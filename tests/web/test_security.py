"""The web pages' security over plain HTTP: headers on every page, sessions in HttpOnly
SameSite=Strict cookies, form tokens (a POST without a valid one is refused and changes
nothing), escaping of every value, 404 pages, limits, and the redirect of "/"."""
import re

from harness import PASSWORDS, expect
from pages import INJECTION, LANGUAGES, Client, create_records, lang_and_dir

IDS = {}


def setup(node):
    IDS.update(create_records(node))


def pages(lang):
    return ["/%s/" % lang, "/%s/search?q=biodiversity" % lang, "/%s/search?type=document&country=CN" % lang,
            "/%s/records/%s" % (lang, IDS["report"]), "/%s/countries/CN" % lang, "/%s/login" % lang]


def test_every_page_in_every_language_has_its_headers(node):
    client = Client(node)
    for lang in LANGUAGES:
        for path in pages(lang):
            reply = client.get(path)
            expect(reply.status == 200, (path, reply.status, reply.text[:300]))
            expect(reply.headers["Content-Type"] == "text/html; charset=utf-8", path)
            policy = reply.headers.get("Content-Security-Policy", "")
            expect("default-src 'self'" in policy and "script-src 'none'" in policy, (path, policy))
            expect(lang_and_dir(reply.text) == (lang, "rtl" if lang == "ar" else "ltr"), path)
            expect("<script" not in reply.text and " style=" not in reply.text, "inline script or style: " + path)
            expect(not re.search(r'(src|<link[^>]*href)="(https?:)?//', reply.text), "outside resource: " + path)


def test_root_redirects_by_accept_language(node):
    client = Client(node)
    cases = [("zh-CN,zh;q=0.9,en;q=0.8", "/zh/"), ("de-DE, fr;q=0.5, ar;q=0.7", "/ar/"),
             ("ru", "/ru/"), ("de", "/en/"), (None, "/en/"), ("ES-mx", "/es/")]
    for header, location in cases:
        reply = client.request("GET", "/", headers={"Accept-Language": header} if header else {})
        expect(reply.status == 302 and reply.headers["Location"] == location, (header, reply.status,
                                                                                 reply.headers["Location"]))


def test_unknown_pages_are_404_pages(node):
    client = Client(node)
    for path, lang in [("/xx/search", "en"), ("/en/nothing", "en"), ("/zh/records/cn:none", "zh"),
                       ("/ar/countries/XX", "ar"), ("/fr/countries/fr", "fr"), ("/static/none.css", "en")]:
        reply = client.get(path)
        expect(reply.status == 404 and lang_and_dir(reply.text)[0] == lang, (path, reply.status))
        expect("Content-Security-Policy" in reply.headers or path.startswith("/static"), path)
    api = client.request("GET", "/nothing-here", headers={"Accept": "*/*"})
    expect(api.status == 404 and api.headers["Content-Type"].startswith("application/json"), api.status)


def test_sign_in_makes_a_strict_httponly_session(node):
    client = Client(node)
    reply = client.sign_in("editor")
    session = [c for c in reply.set_cookies if c.startswith("bx_session=")]
    expect(len(session) == 1, reply.set_cookies)
    expect("HttpOnly" in session[0] and "SameSite=Strict" in session[0] and "Path=/" in session[0], session)
    expect(reply.headers["Location"] == "/en/", reply.headers["Location"])
    home = client.get("/en/")
    expect("Signed in as" in home.text and "<strong>editor</strong>" in home.text, home.text[:2000])
    expect("private" in home.headers.get("Cache-Control", ""), home.headers.get("Cache-Control"))
    # the session is a token stored hashed: the cookie's value is never in the database file
    with open(node.db, "rb") as db:
        expect(client.cookies["bx_session"].encode() not in db.read(), "the session token is stored as is")


def test_wrong_password_makes_no_session(node):
    client = Client(node)
    token = client.form_token("/fr/login")
    reply = client.request("POST", "/fr/login", {"csrf_token": token, "username": "editor", "password": "wrong-one"})
    expect(reply.status == 401 and "incorrect" in reply.text, reply.status)
    expect("bx_session" not in client.cookies, client.cookies)


def test_posts_without_a_valid_form_token_are_refused(node):
    client = Client(node)
    client.get("/en/login")   # the visitor cookie
    password = PASSWORDS["editor"]
    for form in ({"username": "editor", "password": password},
                 {"username": "editor", "password": password, "csrf_token": "x" * 43},
                 {"username": "editor", "password": password, "csrf_token": ""}):
        reply = client.request("POST", "/en/login", form)
        expect(reply.status == 403, (form, reply.status))
        expect("bx_session" not in client.cookies, "a refused sign-in made a session")
    # a token made for another visitor is refused too
    other = Client(node)
    token = other.form_token("/en/login")
    reply = client.request("POST", "/en/login", {"username": "editor", "password": password, "csrf_token": token})
    expect(reply.status == 403, reply.status)

    client.sign_in("editor")
    for form in ({}, {"csrf_token": token}):
        reply = client.request("POST", "/en/logout", form)
        expect(reply.status == 403, reply.status)
        expect("<strong>editor</strong>" in client.get("/en/").text, "a refused sign-out ended the session")
    good = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/en/").text).group(1)
    session = client.cookies["bx_session"]
    reply = client.request("POST", "/en/logout", {"csrf_token": good})
    expect(reply.status == 303 and "bx_session" not in client.cookies, reply.status)
    # the session was revoked, not only forgotten by the browser
    client.cookies["bx_session"] = session
    expect("<strong>editor</strong>" not in client.get("/en/").text, "the session still works after sign-out")


def test_form_bodies_are_bounded(node):
    client = Client(node)
    token = client.form_token("/en/login")
    reply = client.request("POST", "/en/login", {"csrf_token": token, "username": "x" * 70000, "password": "y"})
    expect(reply.status == 413, reply.status)
    reply = client.request("POST", "/en/search", {"q": "x"})
    expect(reply.status == 405 and reply.headers.get("Allow") == "GET", reply.status)


def test_html_injection_renders_as_text_everywhere(node):
    client = Client(node)
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for lang in LANGUAGES:
        for path in pages(lang) + ["/%s/records/%s" % (lang, IDS["injection"]), "/%s/search?q=alert" % lang,
                                   "/%s/search?q=%%3Cscript%%3Ealert(1)%%3C/script%%3E" % lang]:
            reply = client.get(path)
            expect(INJECTION not in reply.text and "<img src=x" not in reply.text, "unescaped on " + path)
            expect("alert(3)</script>" not in reply.text, "unescaped field on " + path)
        record_page = client.get("/%s/records/%s" % (lang, IDS["injection"])).text
        expect(escaped in record_page and "&lt;img src=x onerror=alert(2)&gt;" in record_page, lang)
        expect(escaped in client.get("/%s/search?q=alert" % lang).text, lang)
    search = client.get("/en/search?q=%22%3E%3Cscript%3Ealert(5)%3C/script%3E").text
    expect('value="&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;"' in search, "q is not escaped in its attribute")


def test_bad_search_parameters_are_400_pages(node):
    client = Client(node)
    for path in ("/en/search?page=0", "/en/search?page=x", "/zh/search?year=20x1", "/en/search?q=" + "a" * 5000,
                 "/en/records/%s?revision=zero" % IDS["report"]):
        reply = client.get(path)
        expect(reply.status == 400 and "<h1>" in reply.text, (path, reply.status))
