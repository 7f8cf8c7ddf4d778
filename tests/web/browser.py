"""A headless Chromium driven over the W3C WebDriver protocol (chromedriver), with only
the standard library. Chromium never reaches the network here: the flags below turn
off its background traffic, and the tests check every request a page makes."""
import base64
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1000", "--lang=en-US"]
TIMEOUT = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriverError(Exception):
    pass


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="bioex-chromium-")
        self.port = free_port()
        self.driver = subprocess.Popen([CHROMEDRIVER, "--port=%d" % self.port],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while True:
            try:
                self.call("GET", "/status")
                break
            except (OSError, WebDriverError):
                if time.monotonic() > deadline:
                    self.driver.kill()
                    raise
                time.sleep(0.1)
        options = {"binary": CHROMIUM, "args": FLAGS + ["--user-data-dir=" + self.profile]}
        capabilities = {"browserName": "chrome", "goog:chromeOptions": options,
                        "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"},
                        "timeouts": {"pageLoad": 30000, "script": 10000, "implicit": 0}}
        reply = self.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = "/session/" + reply["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=data,
                                         method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as reply:
                return json.loads(reply.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise WebDriverError(error.read().decode("utf-8", "replace")[:500])

    def session_call(self, method, path, body=None):
        return self.call(method, self.session + path, body)

    def get(self, url):
        self.session_call("POST", "/url", {"url": url})

    def script(self, source, *args):
        return self.session_call("POST", "/execute/sync", {"script": source, "args": list(args)})

    def wait_for(self, condition, seconds=10):
        """Waits until the JavaScript expression condition is true; False after seconds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.script("return !!(%s)" % condition):
                return True
            time.sleep(0.05)
        return False

    def find(self, css):
        element = self.session_call("POST", "/element", {"using": "css selector", "value": css})
        return next(iter(element.values()))

    def click(self, css):
        self.session_call("POST", "/element/%s/click" % self.find(css), {})

    def type(self, css, text):
        self.session_call("POST", "/element/%s/value" % self.find(css), {"text": text})

    def logs(self, kind):
        """The browser's log entries of kind ("browser": the console; "performance":
        DevTools events) since the last call."""
        return self.session_call("POST", "/se/log", {"type": kind})

    def network(self):
        """The DevTools network events since the last call, as (method, params)."""
        events = []
        for entry in self.logs("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"].startswith("Network."):
                events.append((message["method"], message["params"]))
        return events

    def alert_open(self):
        try:
            self.session_call("GET", "/alert/text")
            return True
        except WebDriverError:
            return False

    def cookies(self):
        return self.session_call("GET", "/cookie")

    def delete_cookies(self):
        self.session_call("DELETE", "/cookie")

    def screenshot(self, path):
        data = self.session_call("GET", "/screenshot")
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("DELETE", self.session)
        except (OSError, WebDriverError, AttributeError):
            pass
        self.driver.terminate()
        try:
            self.driver.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.driver.kill()
        shutil.rmtree(self.profile, ignore_errors=True)
