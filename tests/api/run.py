"""Runs the black-box API tests: every test_* function of every test_*.py module here,
each module against its own fresh node. Ends with the line "N passed, N failed"."""
import importlib.util
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def close_node(node, module):
    """Closes a node; returns 1 when its server reported a problem (a sanitizer's)."""
    try:
        node.close()
        return 0
    except AssertionError as problem:
        print("FAIL %s (server): %s" % (module, problem))
        return 1


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "./bioex"
    only = sys.argv[2] if len(sys.argv) > 2 else None
    here = os.path.dirname(os.path.abspath(__file__))
    passed = failed = 0
    for filename in sorted(os.listdir(here)):
        if not (filename.startswith("test_") and filename.endswith(".py")):
            continue
        if only and only not in filename:
            continue
        spec = importlib.util.spec_from_file_location(filename[:-3], os.path.join(here, filename))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        tests = [(name, getattr(module, name)) for name in sorted(dir(module))
                 if name.startswith("test_") and callable(getattr(module, name))]
        node = harness.Node(binary, **getattr(module, "NODE_OPTIONS", {}))
        try:
            for name, test in tests:
                started = time.monotonic()
                try:
                    test(node)
                    passed += 1
                    print("ok   %s.%s (%.2fs)" % (filename[:-3], name, time.monotonic() - started))
                except Exception:  # a failing test is reported, the others still run
                    failed += 1
                    print("FAIL %s.%s" % (filename[:-3], name))
                    traceback.print_exc(limit=3, file=sys.stdout)
                    if node.process is None or node.process.poll() is not None:
                        failed += close_node(node, filename[:-3])
                        node = harness.Node(binary, **getattr(module, "NODE_OPTIONS", {}))
        finally:
            failed += close_node(node, filename[:-3])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
