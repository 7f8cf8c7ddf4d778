"""The message catalogues: all six complete (the same keys, none empty), translated (not
English copies), and every key the code asks for catalogued. The server refuses to start
with an incomplete catalogue; this says which key is missing before it comes to that."""
import glob
import json
import os
import re

from harness import expect
from pages import LANGUAGES, Client

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def catalogue(lang):
    with open(os.path.join(ROOT, "web", "i18n", lang + ".json"), encoding="utf-8") as f:
        return json.load(f)


def test_all_six_catalogues_have_every_key(node):
    english = catalogue("en")
    for lang in LANGUAGES:
        messages = catalogue(lang)
        expect(set(messages) == set(english), (lang, set(messages) ^ set(english)))
        expect(all(isinstance(v, str) and v.strip() for v in messages.values()), lang + ": an empty message")
        counted = [k for k, v in english.items() if "{n}" in v]
        expect(all("{n}" in messages[k] for k in counted), lang + ": a message lost its {n}")
        if lang != "en":
            same = [k for k in english if messages[k] == english[k]]
            expect(len(same) <= 6, "%s: copied from English: %s" % (lang, same))   # "Date", "Convention"


def test_every_key_the_code_uses_is_catalogued(node):
    english = catalogue("en")
    used = set()
    for path in glob.glob(os.path.join(ROOT, "src", "web", "*.c")):
        with open(path, encoding="utf-8") as f:
            used |= set(re.findall(r'"((?:site|nav|footer|account|search|facet|home|record|status|translation|editor|'
                                   r'value|country|login|error|latest|target|instrument|vocabulary|calendar|nodes)\.[a-z_]+)"', f.read()))
    used |= {"status." + s for s in ("draft", "submitted", "published", "withdrawn")}
    used |= {"translation." + s for s in ("machine", "human", "official")}
    expect(len(used) > 60, "the scan found too few keys: %d" % len(used))
    missing = sorted(used - set(english))
    expect(not missing, "keys used but not catalogued: %s" % missing)


def test_pages_show_no_raw_keys(node):
    client = Client(node)
    keys = set(catalogue("en"))
    for lang in LANGUAGES:
        for path in ("/%s/" % lang, "/%s/search?q=x" % lang, "/%s/login" % lang, "/%s/nothing" % lang):
            text = client.get(path).text
            shown = [k for k in keys if ">" + k + "<" in text or '"' + k + '"' in text]
            expect(not shown, (path, shown))
