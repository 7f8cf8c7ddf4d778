"""Nothing acknowledged is lost when the server is killed (kill -9), and no password or
token is ever written to the database files."""
import base64
import os

from harness import PASSWORDS, expect, ndjson, record


def database_bytes(node):
    """The raw bytes of the database and its WAL and shared-memory files, by file name."""
    files = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = node.db + suffix
        if os.path.exists(path):
            with open(path, "rb") as data:
                files[os.path.basename(path)] = data.read()
    return files


def test_writes_acknowledged_before_kill_9_are_kept(node):
    expected = {}
    for i in range(200):
        title = {"zh": "持久性测试记录 %d" % i, "ar": "سجل اختبار المتانة %d" % i}
        reply = node.request("POST", "/api/v1/records", record(id="cn:durable-%03d" % i, title=title),
                             user="admin")
        expect(reply.status == 201, reply)
        expected[reply.json["id"]] = (1, title)
    for i in range(0, 200, 10):
        record_id = "cn:durable-%03d" % i
        title = {"zh": "已修改 %d" % i, "ar": "معدل %d" % i}
        reply = node.request("PUT", "/api/v1/records/" + record_id, record(title=title), user="admin",
                             headers={"If-Match": '"1"'})
        expect(reply.status == 200 and reply.headers["etag"] == '"2"', reply)
        expected[record_id] = (2, title)
    withdrawn = "cn:durable-199"
    expect(node.request("DELETE", "/api/v1/records/" + withdrawn, user="admin").status == 200)
    node.stop(kill=True)
    node.start()
    for record_id, (revision, title) in expected.items():
        reply = node.request("GET", "/api/v1/records/" + record_id)
        if record_id == withdrawn:
            expect(reply.status == 410, "the withdrawal of %s was lost: %r" % (record_id, reply))
            continue
        expect(reply.status == 200, "%s lost: %r" % (record_id, reply))
        expect(reply.headers["etag"] == '"%d"' % revision, "%s: %r" % (record_id, reply.headers))
        expect(reply.json["title"] == title, reply)
    listed = node.request("GET", "/api/v1/records?size=1")
    expect(listed.json["total"] >= 199, listed)


def test_bulk_import_acknowledged_before_kill_9_is_kept(node):
    lines = [record(id="cn:bulk-%03d" % i, title={"zh": "批量导入 %d" % i, "ar": "استيراد جماعي %d" % i})
             for i in range(300)]
    reply = node.request("POST", "/api/v1/records:import", ndjson(*lines), user="admin",
                         content_type="application/x-ndjson")
    expect(reply.status == 200 and reply.json["created"] == 300, reply)
    node.stop(kill=True)
    node.start()
    for i in range(300):
        reply = node.request("GET", "/api/v1/records/cn:bulk-%03d" % i)
        expect(reply.status == 200 and reply.json["title"]["zh"] == "批量导入 %d" % i, reply)
    check = node.run("check", check=False)
    expect(check.returncode == 0, "check after kill -9: %s %s" % (check.stdout, check.stderr))


def test_no_password_or_token_in_the_database_files(node):
    issued = {}
    for user, password in PASSWORDS.items():
        reply = node.request("POST", "/api/v1/auth/login", {"username": user, "password": password})
        expect(reply.status == 200, reply)
        issued[user] = reply.json["token"]
    tokens = list(issued.values())
    expect(node.request("POST", "/api/v1/auth/logout", token=issued["peer"]).status == 200)
    changed = "新的贡献者密码-changed-1"
    reply = node.request("PUT", "/api/v1/users/contributor", {"password": changed}, token=issued["contributor"])
    expect(reply.status == 200, reply)
    reply = node.request("POST", "/api/v1/users", {"name": "api.made", "role": "editor",
                                                   "password": "经由接口创建的密码"}, token=issued["admin"])
    expect(reply.status == 201, reply)
    failed = node.request("POST", "/api/v1/auth/login", {"username": "editor", "password": "a-wrong-guess-123"})
    expect(failed.status == 401, failed)
    secrets = list(PASSWORDS.values()) + [changed, "经由接口创建的密码", "a-wrong-guess-123"]
    for phase in ("while serving", "after stopping"):
        for name, data in database_bytes(node).items():
            for secret in secrets:
                expect(secret.encode("utf-8") not in data, "a password is in %s %s" % (name, phase))
            for token in tokens:
                raw = base64.urlsafe_b64decode(token + "=")
                expect(token.encode() not in data and raw not in data, "a token is in %s %s" % (name, phase))
        node.stop()
    node.start()
