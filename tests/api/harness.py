"""A real bioex node for black-box tests: a temporary database, accounts of every
role, and `bioex serve` on a free loopback port. Requests go over real HTTP."""
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time

PASSWORDS = {
    "admin": "admin-password-1",
    "editor": "editor-password-1",
    "focal.cn": "focal-cn-password",
    "focal.fr": "focal-fr-password",
    "focal.cn.cites": "focal-cites-password",
    "contributor": "contributor-pass-1",
    "peer": "peer-node-password",
}
ACCOUNTS = [
    ("admin", ["--role", "admin"]),
    ("editor", ["--role", "editor"]),
    ("focal.cn", ["--role", "national", "--country", "CN"]),
    ("focal.fr", ["--role", "national", "--country", "FR"]),
    ("focal.cn.cites", ["--role", "national", "--country", "CN", "--instrument", "cites"]),
    ("contributor", ["--role", "contributor"]),
    ("peer", ["--role", "node"]),
]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Node:
    def __init__(self, binary, slug="cn", accounts=True):
        self.binary = os.path.abspath(binary)
        self.dir = tempfile.mkdtemp(prefix="bioex-test-")
        self.db = os.path.join(self.dir, "node.db")
        self.slug = slug
        self.process = None
        self.tokens = {}
        self.run("init", "--node", slug, "--name", "Test node " + slug)
        if accounts:
            for name, options in ACCOUNTS:
                self.run("user", "add", name, *options, stdin=PASSWORDS[name] + "\n")
        self.start()

    def run(self, *args, stdin=None, check=True):
        """Runs a bioex command on this node's database; returns the CompletedProcess."""
        result = subprocess.run([self.binary, *args, "--db", self.db, "--log-level", "warn"],
                                input=stdin, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise AssertionError("bioex %s failed: %s" % (" ".join(args), result.stderr))
        return result

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--log-level", "warn"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            raise AssertionError("server did not start: " + line + self.process.stderr.read())
        self.port = int(line.strip().rsplit(":", 1)[1])
        self.tokens = {}

    def stop(self, kill=False):
        """Stops the server. Returns what it wrote to stderr; a sanitizer's report there
        (the suite also runs under AddressSanitizer) raises AssertionError."""
        if not self.process:
            return ""
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.process.wait(timeout=30)
        errors = self.process.stderr.read()
        self.process = None
        for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer"):
            if marker in errors:
                raise AssertionError("the server reported: " + errors[:2000])
        return errors

    def close(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def request(self, method, path, body=None, user=None, token=None, headers=None,
                content_type="application/json"):
        """Sends one request. body: a dict/list (sent as JSON), str or bytes."""
        headers = dict(headers or {})
        if user:
            token = self.token(user)
        if token:
            headers["Authorization"] = "Bearer " + token
        if body is not None:
            if isinstance(body, (dict, list)):
                body = json.dumps(body, ensure_ascii=False)
            if isinstance(body, str):
                body = body.encode("utf-8")
            if content_type:
                headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            data = reply.read().decode("utf-8", "replace")
            return Response(reply.status, reply.getheaders(), data)
        finally:
            connection.close()

    def token(self, user):
        if user not in self.tokens:
            reply = self.request("POST", "/api/v1/auth/login",
                                 {"username": user, "password": PASSWORDS[user]})
            assert reply.status == 200, reply
            self.tokens[user] = reply.json["token"]
        return self.tokens[user]

    def create(self, record, user="admin"):
        reply = self.request("POST", "/api/v1/records", record, user=user)
        assert reply.status == 201, reply
        return reply.json


def record(**overrides):
    """A valid document record of CN, changed by overrides (None removes a key)."""
    base = {
        "type": "document",
        "title": {"zh": "生物多样性公约国家报告", "ar": "التقرير الوطني لاتفاقية التنوع البيولوجي",
                  "en": "National report"},
        "conventions": ["cbd"],
        "countries": ["CN"],
        "targets": ["gbf:3"],
        "subjects": ["gemet:7"],
        "date": "2024-05-01",
        "fields": {"symbol": "CBD/NR7/CN", "kind": "report"},
    }
    for key, value in overrides.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def expect(condition, message="expectation failed"):
    if not condition:
        raise AssertionError(message)


def expect_error(reply, status, code=None, path=None):
    """Checks an error answer: status, error code, and that some detail has path."""
    expect(reply.status == status, "expected %d, got %r" % (status, reply))
    error = (reply.json or {}).get("error")
    expect(isinstance(error, dict) and error.get("message"), "no error body: %r" % reply)
    if code:
        expect(error.get("code") == code, "expected code %s, got %r" % (code, reply))
    if path is not None:
        paths = [d.get("path") for d in error.get("details", [])]
        expect(path in paths, "expected a detail at %s, got %s" % (path, paths))


def ndjson(*lines):
    """NDJSON text: dicts and lists become one JSON line each, strings are kept as they are."""
    return "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                   for line in lines)


def total(node, user=None, **filters):
    """The number of records GET /api/v1/records answers for filters (as user)."""
    query = "&".join("%s=%s" % item for item in filters.items())
    reply = node.request("GET", "/api/v1/records?" + query, user=user)
    expect(reply.status == 200, reply)
    return reply.json["total"]
