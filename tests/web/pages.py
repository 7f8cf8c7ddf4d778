"""What the web tests share: the six languages, the records they create, and plain HTTP
requests that keep cookies like a browser (for the checks a browser cannot make)."""
import http.client
import re
import urllib.parse

from harness import PASSWORDS, expect, record

LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]
INJECTION = "<script>alert(1)</script>"
INJECTION_SUMMARY = "<img src=x onerror=alert(2)> \"quoted\" & 'single'"

ZH_TITLE = "中国生物多样性保护战略与行动计划"
AR_TITLE = "الاستراتيجية الوطنية للتنوع البيولوجي"


def create_records(node):
    """Creates the records the pages show; returns their ids by name."""
    ids = {}
    ids["report"] = node.create(record(
        title={"zh": ZH_TITLE, "ar": AR_TITLE, "en": "China biodiversity strategy and action plan"},
        summary={"zh": "生物多样性保护的国家战略摘要", "en": "Summary of the national strategy",
                 "ar": "ملخص الاستراتيجية الوطنية"},
        translations={"en": "machine"},
        links=[{"url": "https://example.org/nbsap.pdf", "title": {"en": "Full text"}, "language": "en",
                "kind": "document"}]))["id"]
    ids["injection"] = node.create(record(
        title={language: INJECTION for language in LANGUAGES},
        summary={"en": INJECTION_SUMMARY},
        fields={"symbol": "\"><script>alert(3)</script>", "kind": "report"}))["id"]
    for i in range(24):
        node.create(record(title={"en": "Wetland inventory %d" % i, "fr": "Inventaire des zones humides %d" % i},
                           countries=["FR"], conventions=["ramsar"], targets=["aichi:11"], date="2023-0%d-01" % (i % 9 + 1)))
    return ids


class Client:
    """HTTP with a cookie jar, as a browser would send it (without JavaScript)."""
    def __init__(self, node):
        self.node = node
        self.cookies = {}

    def request(self, method, path, form=None, headers=None):
        headers = dict(headers or {})
        headers.setdefault("Accept", "text/html")
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.node.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            reply.text = reply.read().decode("utf-8", "replace")
            reply.set_cookies = reply.headers.get_all("Set-Cookie") or []
            for cookie in reply.set_cookies:
                name, value = cookie.split(";", 1)[0].split("=", 1)
                if "Max-Age=0" in cookie:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            return reply
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def form_token(self, path):
        page = self.get(path)
        expect(page.status == 200, (path, page.status))
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        expect(match, "no csrf_token in the form of " + path)
        return match.group(1)

    def sign_in(self, user, lang="en"):
        token = self.form_token("/%s/login" % lang)
        reply = self.request("POST", "/%s/login" % lang,
                             {"csrf_token": token, "username": user, "password": PASSWORDS[user]})
        expect(reply.status == 303, (reply.status, reply.text[:300]))
        return reply


def lang_and_dir(html):
    match = re.search(r'<html lang="([a-z]+)" dir="(ltr|rtl)"', html)
    return match.groups() if match else None
