"""Runs the web interface's tests: every test_* function of every test_*.py module here,
each module against its own fresh node (tests/api/harness.py), the tests that take a
`browser` argument in one headless Chromium shared by the run. Ends with the line
"N passed, N failed". Usage: run.py [BINARY] [MODULE-SUBSTRING]"""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "api"))
import browser as chromium  # noqa: E402
import harness  # noqa: E402


class LazyBrowser:
    """Starts Chromium on first use, so that a run without browser tests needs none."""
    def __init__(self):
        self.browser = None

    def get(self):
        if self.browser is None:
            self.browser = chromium.Browser()
        return self.browser

    def close(self):
        if self.browser:
            self.browser.close()


def run_module(filename, binary, lazy):
    spec = importlib.util.spec_from_file_location(filename[:-3], os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [(name, getattr(module, name)) for name in sorted(dir(module))
             if name.startswith("test_") and callable(getattr(module, name))]
    node = harness.Node(binary)
    passed = failed = 0
    try:
        if hasattr(module, "setup"):
            module.setup(node)
        for name, test in tests:
            started = time.monotonic()
            try:
                if test.__code__.co_argcount == 2:
                    test(node, lazy.get())
                else:
                    test(node)
                passed += 1
                print("ok   %s.%s (%.2fs)" % (filename[:-3], name, time.monotonic() - started), flush=True)
            except Exception:  # a failing test is reported, the others still run
                failed += 1
                print("FAIL %s.%s" % (filename[:-3], name), flush=True)
                traceback.print_exc(limit=4, file=sys.stdout)
    finally:
        try:
            node.close()
        except AssertionError as problem:
            print("FAIL %s (server): %s" % (filename[:-3], problem))
            failed += 1
    return passed, failed


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "./bioex"
    only = sys.argv[2] if len(sys.argv) > 2 else None
    lazy = LazyBrowser()
    passed = failed = 0
    try:
        for filename in sorted(os.listdir(HERE)):
            if filename.startswith("test_") and filename.endswith(".py") and (not only or only in filename):
                try:
                    p, f = run_module(filename, binary, lazy)
                except Exception:
                    print("FAIL %s (setup)" % filename[:-3])
                    traceback.print_exc(limit=4, file=sys.stdout)
                    p, f = 0, 1
                passed += p
                failed += f
    finally:
        lazy.close()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
