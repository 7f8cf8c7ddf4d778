"""Sign-in, sign-out and the accounts API. Every sign-in from 127.0.0.1 counts towards
the per-address limit (20 a minute), so this module keeps its sign-ins few; the limits
themselves are tested in test_auth_ratelimit.py."""
import re
import sqlite3

from harness import PASSWORDS, expect, expect_error

LOGIN = "/api/v1/auth/login"
USERS = "/api/v1/users"


def login(node, name, password):
    return node.request("POST", LOGIN, {"username": name, "password": password})


def add_user(node, name, password, role="editor", **more):
    reply = node.request("POST", USERS, dict({"name": name, "role": role, "password": password}, **more),
                         user="admin")
    expect(reply.status == 201, reply)
    return reply.json


def test_login_answers_a_token_and_the_account(node):
    reply = login(node, "focal.cn", PASSWORDS["focal.cn"])
    expect(reply.status == 200, reply)
    body = reply.json
    expect(re.fullmatch(r"[A-Za-z0-9_-]{43}", body["token"]), body)
    expect(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["expires"]), body)
    expect(body["user"] == "focal.cn" and body["role"] == "national" and body["country"] == "CN", body)
    reply = node.request("GET", USERS + "/focal.cn", token=body["token"])
    expect(reply.status == 200 and reply.json["name"] == "focal.cn", reply)


def test_wrong_password_and_unknown_user_are_the_same_401(node):
    wrong = login(node, "contributor", "not-the-password")
    expect_error(wrong, 401, "unauthorized")
    unknown = login(node, "nobody.here", "whatever-password")
    expect_error(unknown, 401, "unauthorized")
    expect(wrong.json["error"]["message"] == unknown.json["error"]["message"],
           "the answers tell an unknown user from a wrong password: %r %r" % (wrong, unknown))
    expect("token" not in wrong.body and "token" not in unknown.body)


def test_disabled_user_cannot_sign_in_and_their_token_stops_working(node):
    password = "暂时停用的账户密码"
    add_user(node, "to.disable", password)
    first = login(node, "to.disable", password)
    expect(first.status == 200, first)
    token = first.json["token"]
    reply = node.request("PUT", USERS + "/to.disable", {"disabled": True}, user="admin")
    expect(reply.status == 200 and reply.json["disabled"] is True, reply)
    expect_error(login(node, "to.disable", password), 401, "unauthorized")
    expect_error(node.request("GET", USERS + "/to.disable", token=token), 401, "unauthorized")
    listed = node.request("GET", USERS, user="admin").json["items"]
    expect([u["disabled"] for u in listed if u["name"] == "to.disable"] == [True], listed)
    reply = node.request("PUT", USERS + "/to.disable", {"disabled": False}, user="admin")
    expect(reply.status == 200 and reply.json["disabled"] is False, reply)
    expect(login(node, "to.disable", password).status == 200)


def test_logout_revokes_the_token(node):
    add_user(node, "signs.out", "sign-out-password-1")
    token = login(node, "signs.out", "sign-out-password-1").json["token"]
    expect(node.request("GET", USERS + "/signs.out", token=token).status == 200)
    reply = node.request("POST", "/api/v1/auth/logout", token=token)
    expect(reply.status == 200, reply)
    expect_error(node.request("GET", USERS + "/signs.out", token=token), 401, "unauthorized")
    expect_error(node.request("POST", "/api/v1/records", {"type": "document"}, token=token), 401)
    expect_error(node.request("POST", "/api/v1/auth/logout", token=token), 401, "unauthorized")
    expect_error(node.request("POST", "/api/v1/auth/logout"), 401, "unauthorized")
    # Other sessions stay signed in.
    expect(node.request("GET", USERS, user="admin").status == 200)


def test_admin_lists_accounts_without_secrets(node):
    reply = node.request("GET", USERS, user="admin")
    expect(reply.status == 200, reply)
    names = [u["name"] for u in reply.json["items"]]
    for name in PASSWORDS:
        expect(name in names, names)
    cites = [u for u in reply.json["items"] if u["name"] == "focal.cn.cites"][0]
    expect(cites["role"] == "national" and cites["country"] == "CN" and cites["instruments"] == ["cites"], cites)
    expect("password" not in reply.body and "argon2" not in reply.body, "secrets in the list")


def test_admin_creates_accounts(node):
    reply = node.request("POST", USERS, {"name": "focal.dz", "role": "national", "country": "DZ",
                                         "instruments": ["ramsar", "cms"],
                                         "password": "كلمة-مرور-الجزائر"}, user="admin")
    expect(reply.status == 201, reply)
    expect(reply.headers.get("location") == USERS + "/focal.dz", reply.headers)
    expect(reply.json["country"] == "DZ" and reply.json["instruments"] == ["ramsar", "cms"], reply)
    expect("password" not in reply.json and "argon2" not in reply.body, reply)
    got = node.request("GET", USERS + "/focal.dz", user="admin")
    expect(got.status == 200 and got.json["role"] == "national", got)
    signed_in = login(node, "focal.dz", "كلمة-مرور-الجزائر")
    expect(signed_in.status == 200 and signed_in.json["country"] == "DZ", signed_in)


def test_invalid_accounts_are_422_with_details(node):
    cases = [
        ({"name": "bad.role", "role": "superuser", "password": "long-enough-1"}, "/role"),
        ({"name": "bad.country", "role": "national", "country": "XX", "password": "long-enough-1"}, "/country"),
        ({"name": "no.country", "role": "national", "password": "long-enough-1"}, "/country"),
        ({"name": "editor.country", "role": "editor", "country": "CN", "password": "long-enough-1"}, "/country"),
        ({"name": "short.password", "role": "editor", "password": "short"}, "/password"),
        ({"name": "no.password", "role": "editor"}, "/password"),
        ({"name": "no.role", "password": "long-enough-1"}, "/role"),
        ({"name": "bad name!", "role": "editor", "password": "long-enough-1"}, "/name"),
        ({"name": "用户", "role": "editor", "password": "long-enough-1"}, "/name"),
        ({"name": "", "role": "editor", "password": "long-enough-1"}, "/name"),
        ({"name": "x" * 65, "role": "editor", "password": "long-enough-1"}, "/name"),
        ({"name": "bad.instrument", "role": "national", "country": "CN", "instruments": ["nope"],
          "password": "long-enough-1"}, "/instruments"),
    ]
    for body, path in cases:
        reply = node.request("POST", USERS, body, user="admin")
        expect_error(reply, 422, "validation_failed", path)
    several = node.request("POST", USERS, {"name": "bad name", "role": "x", "password": "1"}, user="admin")
    expect_error(several, 422, "validation_failed")
    paths = sorted(d["path"] for d in several.json["error"]["details"])
    expect(paths == ["/name", "/password", "/role"], paths)
    names = [u["name"] for u in node.request("GET", USERS, user="admin").json["items"]]
    for body, _ in cases:
        expect(body.get("name") not in names or body.get("name") in PASSWORDS, "stored %s" % body)
    expect_error(node.request("POST", USERS, {"name": "x"}, user="admin", content_type="text/plain"), 415)


def test_duplicate_name_is_409(node):
    reply = node.request("POST", USERS, {"name": "editor", "role": "editor", "password": "another-password-1"},
                         user="admin")
    expect_error(reply, 409, "already_exists")
    expect(login(node, "editor", "another-password-1").status == 401, "the duplicate changed the password")


def test_non_admin_is_403_and_anonymous_401(node):
    for user in ("editor", "focal.cn"):
        expect_error(node.request("GET", USERS, user=user), 403, "forbidden")
        expect_error(node.request("POST", USERS, {"name": "sneaky", "role": "admin",
                                                  "password": "sneaky-password"}, user=user), 403, "forbidden")
        expect_error(node.request("GET", USERS + "/admin", user=user), 403, "forbidden")
        expect_error(node.request("PUT", USERS + "/admin", {"password": "taken-over-1"}, user=user), 403)
    expect_error(node.request("GET", USERS), 401, "unauthorized")
    expect_error(node.request("POST", USERS, {"name": "sneaky", "role": "admin", "password": "sneaky-pass"}),
                 401, "unauthorized")
    expect_error(node.request("GET", USERS + "/admin"), 401, "unauthorized")
    expect_error(node.request("PUT", USERS + "/admin", {"disabled": True}), 401, "unauthorized")
    expect_error(node.request("GET", USERS + "/sneaky", user="admin"), 404, "not_found")


def test_user_reads_self_and_changes_only_their_password(node):
    old, new = "密码-第一版-2024", "كلمة-مرور-جديدة-2025"
    add_user(node, "self.service", old, role="contributor")
    token = login(node, "self.service", old).json["token"]
    me = node.request("GET", USERS + "/self.service", token=token)
    expect(me.status == 200 and me.json["role"] == "contributor", me)
    expect_error(node.request("GET", USERS + "/editor", token=token), 403, "forbidden")
    for change in ({"role": "admin"}, {"password": "whatever-1234", "role": "admin"},
                   {"disabled": True}, {"country": "CN"}):
        expect_error(node.request("PUT", USERS + "/self.service", change, token=token), 403, "forbidden")
    expect(node.request("GET", USERS + "/self.service", user="admin").json["role"] == "contributor")
    expect_error(node.request("PUT", USERS + "/self.service", {"password": "short"}, token=token),
                 422, "validation_failed", "/password")
    reply = node.request("PUT", USERS + "/self.service", {"password": new}, token=token)
    expect(reply.status == 200 and "argon2" not in reply.body, reply)
    expect_error(login(node, "self.service", old), 401, "unauthorized")
    expect(login(node, "self.service", new).status == 200)


def test_admin_updates_unknown_user_is_404(node):
    expect_error(node.request("PUT", USERS + "/nobody.here", {"disabled": True}, user="admin"), 404, "not_found")
    expect_error(node.request("GET", USERS + "/nobody.here", user="admin"), 404, "not_found")
    reply = node.request("PUT", USERS + "/contributor", {"name": "renamed"}, user="admin")
    expect_error(reply, 422, "validation_failed", "/name")


def test_new_password_revokes_tokens_and_the_change_is_audited(node):
    old_token = node.token("focal.fr")
    expect(node.request("GET", "/api/v1/users/focal.fr", token=old_token).status == 200)
    reply = node.request("PUT", "/api/v1/users/focal.fr", {"password": "a-brand-new-password"}, user="admin")
    expect(reply.status == 200, reply)
    expect_error(node.request("GET", "/api/v1/users/focal.fr", token=old_token), 401, "unauthorized")
    node.tokens.pop("focal.fr", None)
    with sqlite3.connect(node.db) as db:
        rows = db.execute("SELECT actor, address FROM audit WHERE action = 'user.update'"
                          " AND target = 'focal.fr' ORDER BY id DESC LIMIT 1").fetchall()
    expect(rows == [("admin", "127.0.0.1")], rows)
