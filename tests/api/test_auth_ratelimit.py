"""Sign-in rate limits: 5 failures per 15 minutes per account and 20 attempts a minute
per address, both answered 429 with Retry-After. This module has a node of its own
because the per-address limit then blocks every sign-in from 127.0.0.1 for a minute;
its tests run in name order and the address limit comes last."""
from harness import PASSWORDS, expect, expect_error

LOGIN = "/api/v1/auth/login"


def login(node, name, password):
    return node.request("POST", LOGIN, {"username": name, "password": password})


def retry_after(reply, most):
    value = reply.headers.get("retry-after", "")
    expect(value.isdigit() and 0 < int(value) <= most, "Retry-After %r: %r" % (value, reply.headers))
    return int(value)


def test_1_bad_sign_in_requests(node):
    expect_error(node.request("POST", LOGIN, {"username": "admin"}), 422, "validation_failed", "/password")
    expect_error(node.request("POST", LOGIN, {"password": "x"}), 422, "validation_failed", "/username")
    expect_error(node.request("POST", LOGIN, '{"username": ', content_type="application/json"), 400,
                 "bad_request")
    expect_error(node.request("POST", LOGIN, "username=admin", content_type="application/x-www-form-urlencoded"),
                 415, "unsupported_media_type")


def test_2_five_failures_lock_the_account(node):
    password = "限速测试账户密码-1"
    reply = node.request("POST", "/api/v1/users", {"name": "rate.limited", "role": "editor",
                                                    "password": password}, user="admin")
    expect(reply.status == 201, reply)
    for attempt in range(5):
        expect_error(login(node, "rate.limited", "wrong-password-%d" % attempt), 401, "unauthorized")
    locked = login(node, "rate.limited", password)
    expect_error(locked, 429, "rate_limited")
    retry_after(locked, 900)
    expect("token" not in locked.json, locked)
    again = login(node, "rate.limited", "wrong-password-x")
    expect_error(again, 429, "rate_limited")
    # The lock is per account: others still sign in, and tokens issued before keep working.
    expect(login(node, "editor", PASSWORDS["editor"]).status == 200)
    expect(node.request("GET", "/api/v1/users", user="admin").status == 200)


def test_3_twenty_attempts_a_minute_per_address(node):
    statuses = []
    for attempt in range(21):
        reply = login(node, "nobody.%d" % attempt, "wrong-password")
        statuses.append(reply.status)
        if reply.status == 429:
            break
    expect(statuses[-1] == 429, "no limit after %d attempts: %s" % (len(statuses), statuses))
    expect(set(statuses[:-1]) == {401}, statuses)
    expect(retry_after(reply, 60) >= 1)
    expect_error(reply, 429, "rate_limited")
    # Every sign-in from this address is refused now, even with the right password.
    blocked = login(node, "contributor", PASSWORDS["contributor"])
    expect_error(blocked, 429, "rate_limited")
    retry_after(blocked, 60)
    # Requests other than sign-in are not limited.
    expect(node.request("GET", "/api/v1/users", user="admin").status == 200)
    expect(node.request("GET", "/healthz").status == 200)
