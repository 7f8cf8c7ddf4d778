#!/usr/bin/env python3
"""Turn the shared reference data into bioex vocabulary files.

Usage (from the repository root):

    python3 scripts/make_vocab.py [SHARED_DATA_DIR]

SHARED_DATA_DIR defaults to ../shared/data relative to the repository root.

Writes:
  data/vocab/<name>.json      one JSON object per vocabulary (see data/README.md)
  data/documents/             the five seed documents + index.json, copied unchanged
  data/schemas/oai-pmh/       the OAI-PMH / Dublin Core / xml.xsd schemas, copied unchanged
  data/licences/<folder>/     SOURCE.txt / LICENSE.txt / README.md of every source used

Developer tool only: the build never runs it; the generated files are committed.
Standard library only. The output is deterministic: running it twice gives
identical files.
"""

import csv
import json
import os
import re
import shutil
import sys

LANGS = ("ar", "en", "es", "fr", "ru", "zh")
MAX_LABEL = 4000

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DATA = os.path.join(REPO_ROOT, "data")
OUT_VOCAB = os.path.join(OUT_DATA, "vocab")

# Unresolved / skipped references, per vocabulary name: list of strings.
PROBLEMS = {}


def problem(vocab, msg):
    PROBLEMS.setdefault(vocab, []).append(msg)


# --------------------------------------------------------------------------
# helpers

def clean(s):
    """Strip surrounding whitespace; None/empty -> None."""
    if s is None:
        return None
    if not isinstance(s, str):
        s = str(s)
    s = s.strip()
    return s or None


def lstring(d, lang_map=None):
    """Build a language string {lang: text} in LANGS order from a mapping.

    lang_map maps source keys to our keys (e.g. zh-Hans -> zh)."""
    out = {}
    for k, v in (d or {}).items():
        k2 = (lang_map or {}).get(k, k)
        if k2 not in LANGS:
            continue
        v = clean(v)
        if v:
            out[k2] = v
    return {k: out[k] for k in LANGS if k in out}


def term(tid, labels, translations=None, broader=None, mappings=None, **extra):
    """A term with a fixed key order: id, labels, translations, broader,
    mappings, then the extra keys in alphabetical order."""
    t = {"id": tid, "labels": {k: labels[k] for k in LANGS if k in labels}}
    if translations:
        tr = {k: translations[k] for k in LANGS if k in translations and k in labels}
        if tr:
            t["translations"] = tr
    if broader is not None:
        t["broader"] = list(broader)
    if mappings:
        t["mappings"] = list(mappings)
    for k in sorted(extra):
        if extra[k] is not None:
            t[k] = extra[k]
    return t


def mark(langs, how, labels):
    return {l: how for l in langs if l in labels}


def dump_term(t):
    return json.dumps(t, ensure_ascii=False, separators=(", ", ": "))


def write_vocab(name, title_en, source, licence, terms):
    """Write data/vocab/<name>.json: header on the first lines, one term per line."""
    ids = set()
    for t in terms:
        if t["id"] in ids:
            raise SystemExit("%s: duplicate id %r" % (name, t["id"]))
        ids.add(t["id"])
        if not t["labels"]:
            problem(name, "%s has no label" % t["id"])
        for lang, v in t["labels"].items():
            if len(v) > MAX_LABEL:
                raise SystemExit("%s: label %s/%s longer than %d" % (name, t["id"], lang, MAX_LABEL))
    head = [
        ("name", name),
        ("title", {"en": title_en}),
        ("source", source),
        ("licence", licence),
    ]
    lines = ["{"]
    for k, v in head:
        lines.append(" %s: %s," % (json.dumps(k), json.dumps(v, ensure_ascii=False)))
    lines.append(' "terms": [')
    for i, t in enumerate(terms):
        lines.append("  " + dump_term(t) + ("," if i < len(terms) - 1 else ""))
    lines.append(" ]")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    json.loads(text)  # sanity check: valid JSON
    os.makedirs(OUT_VOCAB, exist_ok=True)
    path = os.path.join(OUT_VOCAB, name + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return len(terms)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def m49(code):
    code = clean(code)
    if not code:
        return None
    return "%03d" % int(code)


# --------------------------------------------------------------------------
# instruments and bodies (conventions/conventions.json)

def build_instruments(src):
    data = load_json(os.path.join(src, "conventions", "conventions.json"))
    known = {i["id"] for i in data["instruments"]}
    terms = []
    for ins in data["instruments"]:
        parent = ins.get("parent")
        broader = None
        if parent:
            if parent in known:
                broader = [parent]
            else:
                problem("instruments", "%s: parent %s not an instrument" % (ins["id"], parent))
        terms.append(term(
            ins["id"], lstring(ins.get("name")), broader=broader,
            acronym=clean(ins.get("acronym")), kind=clean(ins.get("kind")),
            year=ins.get("year"), parent=parent))
    return data, terms


def build_bodies(data):
    known = {i["id"] for i in data["instruments"]}
    terms = []
    for ins in data["instruments"]:
        for b in ins.get("governing_bodies", []):
            terms.append(term(
                b["id"], lstring(b.get("name")), broader=[],
                kind="governing-body", instrument=ins["id"],
                cycle_years=b.get("cycle_years"), note=clean(b.get("note"))))
    for g in data.get("groups", []):
        members = list(g.get("members", []))
        for m in members:
            if m not in known:
                problem("bodies", "%s: member %s not an instrument" % (g["id"], m))
        terms.append(term(
            g["id"], lstring(g.get("name")), broader=[],
            kind="group", members=members, rules=g.get("rules")))
    return terms


# --------------------------------------------------------------------------
# regions and countries (countries/country-codes.csv)

UNTERM_LANG = (("en", "English"), ("fr", "French"), ("es", "Spanish"),
               ("ru", "Russian"), ("zh", "Chinese"), ("ar", "Arabic"))
OFFICIAL_COL = {"en": "official_name_en", "fr": "official_name_fr", "es": "official_name_es",
                "ru": "official_name_ru", "ar": "official_name_ar", "zh": "official_name_cn"}
# UNTERM footnote markers at the end of a name ("Holy See (the) *", "Niue **").
FOOTNOTE_RE = re.compile(r"\s*\*+$")


def name_clean(s):
    s = clean(s)
    if not s:
        return None
    s = FOOTNOTE_RE.sub("", s)
    s = re.sub(r"\s{2,}", " ", s)
    return s.strip() or None


def read_countries(src):
    path = os.path.join(src, "countries", "country-codes.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def build_regions(rows):
    regions = {}  # id -> (level, name, broader)

    def add(code, name, level, broader):
        if not code:
            return
        name = clean(name)
        old = regions.get(code)
        if old and (old[0] != level or old[2] != broader or old[1] != name):
            problem("regions", "%s: inconsistent rows (%r vs %r)" % (code, old, (level, name, broader)))
            return
        regions[code] = (level, name, broader)

    for r in rows:
        g, rc, sc, ic = (m49(r["Global Code"]), m49(r["Region Code"]),
                         m49(r["Sub-region Code"]), m49(r["Intermediate Region Code"]))
        add(g, r["Global Name"], "world", [])
        add(rc, r["Region Name"], "region", [g or "001"])
        if sc:
            add(sc, r["Sub-region Name"], "sub-region", [rc] if rc else [])
        if ic:
            add(ic, r["Intermediate Region Name"], "intermediate-region", [sc] if sc else [])
    if "001" not in regions:
        regions["001"] = ("world", "World", [])
    terms = []
    for code in sorted(regions):
        level, name, broader = regions[code]
        labels = {"en": name} if name else {}
        terms.append(term(code, labels, broader=broader, level=level))
    return terms


def build_countries(rows, region_ids):
    terms = []
    for r in rows:
        a2 = clean(r["ISO3166-1-Alpha-2"])
        if not a2:
            problem("countries", "row without alpha-2 skipped: %r" % clean(r.get("official_name_en")))
            continue
        labels = {}
        for lang, col in UNTERM_LANG:
            v = name_clean(r.get("UNTERM %s Short" % col))
            if v:
                labels[lang] = v
        source = "unterm"
        if not labels:
            source = "m49"
            for lang, col in OFFICIAL_COL.items():
                v = name_clean(r.get(col))
                if v:
                    labels[lang] = v
        if not labels:
            source = "cldr"
            v = name_clean(r.get("CLDR display name"))
            if v:
                labels["en"] = v
        if not labels:
            problem("countries", "%s has no name at all" % a2)
        formal = {}
        for lang, col in UNTERM_LANG:
            v = name_clean(r.get("UNTERM %s Formal" % col))
            if v:
                formal[lang] = v
        formal = {k: formal[k] for k in LANGS if k in formal}
        broader = [c for c in (m49(r["Intermediate Region Code"]), m49(r["Sub-region Code"]),
                               m49(r["Region Code"])) if c]
        if not broader and m49(r["Global Code"]):
            broader = [m49(r["Global Code"])]
        for b in broader:
            if b not in region_ids:
                problem("countries", "%s: broader %s not in regions" % (a2, b))
        flag = lambda col: clean(r.get(col)) is not None
        terms.append(term(
            a2, labels, broader=broader,
            alpha3=clean(r["ISO3166-1-Alpha-3"]),
            m49=m49(r["M49"]) or m49(r["ISO3166-1-numeric"]),
            formal=formal or None,
            ldc=flag("Least Developed Countries (LDC)"),
            lldc=flag("Land Locked Developing Countries (LLDC)"),
            sids=flag("Small Island Developing States (SIDS)"),
            name_source=source))
    terms.sort(key=lambda t: t["id"])
    return terms


# --------------------------------------------------------------------------
# targets: Aichi, GBF, SDG, crosswalk

OTHER = ("ar", "es", "fr", "ru", "zh")
# Official structure of the Strategic Plan 2011-2020 (decision X/2); used only
# when the data does not say which goal a target belongs to.
AICHI_GOAL_OF = {n: g for g, rng in (("A", range(1, 5)), ("B", range(5, 11)), ("C", range(11, 14)),
                                      ("D", range(14, 17)), ("E", range(17, 21))) for n in rng}
# "Aichi-T1. ", "Aïchi-T1. ", "Aichi T4. ", "爱知-T3。", "آيشي-T1. ", "أيشي تي 5. ", "Айчи-Т1. "
AICHI_PREFIX_RE = re.compile(r"^(?:Aichi|A\u00efchi|\u7231\u77e5|\u0622\u064a\u0634\u064a|\u0623\u064a\u0634\u064a|\u0410\u0439\u0447\u0438)"
                             r"[\s-]*(?:T|\u0422|\u062a\u064a)\s*-?\s*\d+\s*[.\u3002]\s*")
# "GBF-G-A. ", "GBF-T01. ", "GBF-23. ", "GBF-T01。"
GBF_PREFIX_RE = re.compile(r"^GBF-(?:G-[A-Z]|T?\d+)\s*[.\u3002]\s*")


def strip_prefix(labels, rx, vocab, tid):
    out = {}
    for lang, v in labels.items():
        v2 = rx.sub("", v, count=1).strip()
        if v2 == v:
            problem(vocab, "%s/%s: no code prefix found in %r (kept as is)" % (tid, lang, v[:40]))
        out[lang] = v2 or v
    return out


def build_aichi(src):
    goals = load_json(os.path.join(src, "aichi", "goals.json"))["goals"]
    j = load_json(os.path.join(src, "aichi", "aichi_targets_6lang_titles.json"))
    terms = []
    targets = sorted(j["targets"], key=lambda t: int(t["number"]))
    for g in sorted(goals, key=lambda g: g["goal"]):
        code = g["goal"]
        terms.append(term("aichi:" + code, lstring(g.get("title")),
                          framework="aichi", kind="goal", text=lstring(g.get("text")) or None))
        for t in targets:
            n = int(t["number"])
            goal = clean(t.get("strategic_goal")) or AICHI_GOAL_OF.get(n)
            if goal != code:
                continue
            if clean(t.get("strategic_goal")) and t["strategic_goal"] != AICHI_GOAL_OF.get(n):
                problem("targets", "aichi:%d: data says goal %s, decision X/2 says %s"
                        % (n, t["strategic_goal"], AICHI_GOAL_OF.get(n)))
            tid = "aichi:%d" % n
            labels = strip_prefix(lstring(t.get("short_title")), AICHI_PREFIX_RE, "targets", tid)
            terms.append(term(tid, labels, translations=mark(OTHER, "machine", labels),
                              broader=["aichi:" + code], framework="aichi", kind="target",
                              text=lstring({"en": t.get("text_en")}) or None))
    return terms


def build_gbf(src, crosswalk):
    j = load_json(os.path.join(src, "gbf", "kmgbf_6lang_machine_translated.json"))
    terms = []
    for g in sorted(j["goals"], key=lambda g: g["code"]):
        tid = "gbf:" + g["code"]
        labels = strip_prefix(lstring(g.get("short_title")), GBF_PREFIX_RE, "targets", tid)
        text = lstring(g.get("text"))
        terms.append(term(tid, labels, translations=mark(OTHER, "machine", labels),
                          framework="gbf", kind="goal", text=text or None,
                          text_translations=mark(OTHER, "machine", text) or None))
    for t in sorted(j["targets"], key=lambda t: int(t["number"])):
        n = int(t["number"])
        tid = "gbf:%d" % n
        labels = strip_prefix(lstring(t.get("short_title")), GBF_PREFIX_RE, "targets", tid)
        text = lstring(t.get("text"))
        terms.append(term(tid, labels, translations=mark(OTHER, "machine", labels),
                          mappings=crosswalk.get(tid), framework="gbf", kind="target",
                          text=text or None,
                          text_translations=mark(OTHER, "machine", text) or None))
    return terms


def sdg_sort_key(code):
    parts = []
    for p in code.split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return parts


def build_sdg(src):
    j = load_json(os.path.join(src, "sdg", "sdg_goals_targets_indicators_6lang.json"))
    zh = {"zh-Hans": "zh"}
    target_codes = {t["code"] for t in j["targets"]}
    indicators = {}
    seen_ind = set()
    for i in j.get("indicators", []):
        code, tcode = clean(i.get("code")), clean(i.get("target"))
        if tcode not in target_codes:
            problem("targets", "sdg indicator %s: target %s unknown (left out)" % (code, tcode))
            continue
        if code in seen_ind:
            problem("targets", "sdg indicator %s repeated (kept once)" % code)
            continue
        seen_ind.add(code)
        indicators.setdefault(tcode, []).append(code)
    terms = []
    by_goal = {}
    for t in j["targets"]:
        by_goal.setdefault(t["goal"], []).append(t)
    for g in sorted(j["goals"], key=lambda g: int(g["code"])):
        labels = lstring(g.get("short"), zh)
        text = lstring(g.get("title"), zh)
        terms.append(term("sdg:" + g["code"], labels, translations=mark(OTHER, "official", labels),
                          framework="sdg", kind="goal", text=text or None,
                          text_translations=mark(OTHER, "official", text) or None))
        for t in sorted(by_goal.pop(g["code"], []), key=lambda t: sdg_sort_key(t["code"])):
            labels = lstring(t.get("title"), zh)
            inds = sorted(indicators.get(t["code"], []), key=sdg_sort_key)
            terms.append(term("sdg:" + t["code"], labels, translations=mark(OTHER, "official", labels),
                              broader=["sdg:" + g["code"]], framework="sdg", kind="target",
                              indicators=inds or None))
    for gcode, ts in sorted(by_goal.items()):
        problem("targets", "sdg goal %s unknown: %d targets left out" % (gcode, len(ts)))
    return terms


def read_crosswalk(src, known_ids):
    """GBF target id -> list of mappings, from related_normalized."""
    path = os.path.join(src, "crosswalks", "gbf_target_related_terms_scbd.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    skipped_subjects = 0
    for r in rows:
        m = re.fullmatch(r"GBF-TARGET-0*(\d+)", clean(r["gbf_target"]) or "")
        if not m:
            problem("targets", "crosswalk: GBF id %r not understood" % r["gbf_target"])
            continue
        gbf = "gbf:" + m.group(1)
        rel = clean(r["related_normalized"]) or ""
        typ = clean(r.get("related_type")) or ""
        target = None
        if typ == "cbd_subject" or rel.startswith("CBD-SUBJECT-"):
            skipped_subjects += 1
            continue
        for rx, fmt in ((r"AICHI-TARGET-0*(\d+)", "aichi:{0}"),
                        (r"SUSTAINABLE-DEVELOPMENT-GOAL-0*(\d+)", "sdg:{0}"),
                        (r"SUSTAINABLE-DEVELOPMENT-TARGET-0*(\d+)[.-]0*(\w+)", "sdg:{0}.{1}")):
            m = re.fullmatch(rx, rel)
            if m:
                target = fmt.format(*m.groups())
                break
        if not target or target not in known_ids or gbf not in known_ids:
            problem("targets", "crosswalk %s -> %s (%s) unresolved, left out" % (r["gbf_target"], rel, typ))
            continue
        lst = out.setdefault(gbf, [])
        mp = {"relation": "closeMatch", "target": target}
        if mp not in lst:
            lst.append(mp)
    order = {"aichi": 0, "gbf": 1, "sdg": 2}
    for gbf in out:
        out[gbf].sort(key=lambda mp: (order[mp["target"].split(":")[0]],
                                      sdg_sort_key(mp["target"].split(":", 1)[1])))
    return out, skipped_subjects, len(rows)


# --------------------------------------------------------------------------
# subjects (GEMET)

def build_subjects(src):
    path = os.path.join(src, "thesaurus", "gemet", "gemet_6un_labels.tsv")
    csv.field_size_limit(10 ** 8)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    ids = {clean(r["gemet_id"]) for r in rows}
    terms = []
    for r in sorted(rows, key=lambda r: int(r["gemet_id"])):
        gid = clean(r["gemet_id"])
        labels = lstring({l: r.get(l) for l in LANGS})
        broader = []
        for b in (r.get("broader_ids") or "").split():
            if b in ids:
                if "gemet:" + b not in broader:
                    broader.append("gemet:" + b)
            else:
                problem("subjects", "gemet:%s: broader %s not in file" % (gid, b))
        themes = [t.strip() for t in (r.get("themes_en") or "").split("; ") if t.strip()]
        terms.append(term("gemet:" + gid, labels,
                          translations=mark(("ar", "es", "fr", "ru", "zh"), "human", labels),
                          broader=broader or None, uri=clean(r.get("uri")),
                          themes=themes or None))
    if len(terms) != 5207:
        problem("subjects", "expected 5207 concepts, got %d" % len(terms))
    return terms


# --------------------------------------------------------------------------
# languages (written here: standard UN names of the six languages)

LANGUAGE_NAMES = {
    "ar": {"ar": "العربية", "en": "Arabic", "es": "Árabe", "fr": "Arabe", "ru": "Арабский", "zh": "阿拉伯文"},
    "en": {"ar": "الإنكليزية", "en": "English", "es": "Inglés", "fr": "Anglais", "ru": "Английский", "zh": "英文"},
    "es": {"ar": "الإسبانية", "en": "Spanish", "es": "Español", "fr": "Espagnol", "ru": "Испанский", "zh": "西班牙文"},
    "fr": {"ar": "الفرنسية", "en": "French", "es": "Francés", "fr": "Français", "ru": "Французский", "zh": "法文"},
    "ru": {"ar": "الروسية", "en": "Russian", "es": "Ruso", "fr": "Russe", "ru": "Русский", "zh": "俄文"},
    "zh": {"ar": "الصينية", "en": "Chinese", "es": "Chino", "fr": "Chinois", "ru": "Китайский", "zh": "中文"},
}


def build_languages():
    return [term(code, LANGUAGE_NAMES[code]) for code in LANGS]


# --------------------------------------------------------------------------
# copies

def copy_file(src, dst):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)  # content only; the source files are read-only


def copy_tree_files(src_dir, dst_dir, names=None):
    for name in sorted(names or os.listdir(src_dir)):
        p = os.path.join(src_dir, name)
        if os.path.isfile(p):
            copy_file(p, os.path.join(dst_dir, name))


def do_copies(src):
    copy_tree_files(os.path.join(src, "documents"), os.path.join(OUT_DATA, "documents"))
    copy_tree_files(os.path.join(src, "schemas", "oai-pmh"), os.path.join(OUT_DATA, "schemas", "oai-pmh"))
    lic = os.path.join(OUT_DATA, "licences")
    copy_file(os.path.join(src, "README.md"), os.path.join(lic, "README.md"))
    for folder in ("countries", "sdg", "aichi", "gbf", "crosswalks", os.path.join("thesaurus", "gemet"),
                   os.path.join("schemas", "oai-pmh")):
        d = os.path.join(src, folder)
        for name in ("SOURCE.txt", "LICENSE.txt", "README.md"):
            p = os.path.join(d, name)
            if os.path.isfile(p):
                copy_file(p, os.path.join(lic, folder, name))


# --------------------------------------------------------------------------

def main(argv):
    if len(argv) > 2:
        raise SystemExit(__doc__)
    src = argv[1] if len(argv) > 1 else os.path.join(REPO_ROOT, "..", "shared", "data")
    src = os.path.abspath(src)
    if not os.path.isfile(os.path.join(src, "conventions", "conventions.json")):
        raise SystemExit("not a shared data folder: %s" % src)

    counts = []

    conv, instruments = build_instruments(src)
    counts.append(("instruments", write_vocab(
        "instruments", "Conventions, protocols and other instruments",
        "bioex reference data conventions/conventions.json, compiled by hand from the seed UN documents",
        "LicenseRef-UN-documents", instruments)))
    counts.append(("bodies", write_vocab(
        "bodies", "Governing bodies and liaison groups",
        "bioex reference data conventions/conventions.json, compiled by hand from the seed UN documents",
        "LicenseRef-UN-documents", build_bodies(conv))))

    rows = read_countries(src)
    regions = build_regions(rows)
    counts.append(("regions", write_vocab(
        "regions", "UN M49 regions",
        "UN M49 regions from github.com/datasets/country-codes @ caa72d1e0e5af8876c170bb36a9e4d64a01bba88",
        "ODC-PDDL-1.0", regions)))
    counts.append(("countries", write_vocab(
        "countries", "Countries and territories",
        "UNTERM / UN M49 names and ISO 3166 codes from github.com/datasets/country-codes "
        "@ caa72d1e0e5af8876c170bb36a9e4d64a01bba88",
        "ODC-PDDL-1.0", build_countries(rows, {t["id"] for t in regions}))))

    aichi = build_aichi(src)
    sdg = build_sdg(src)
    known = {t["id"] for t in aichi + sdg}
    known |= {"gbf:%d" % n for n in range(1, 24)}
    crosswalk, skipped_subjects, n_links = read_crosswalk(src, known)
    gbf = build_gbf(src, crosswalk)
    for g in crosswalk:
        if g not in {t["id"] for t in gbf}:
            problem("targets", "crosswalk for %s but no such GBF term" % g)
    if skipped_subjects:
        problem("targets", "crosswalk: %d CBD subject links skipped (no vocabulary), %d links in all"
                % (skipped_subjects, n_links))
    counts.append(("targets", write_vocab(
        "targets", "Goals and targets: Aichi, Kunming-Montreal GBF, SDG",
        "Aichi and GBF: Secretariat of the CBD (github.com/scbd/www.cbd.int, github.com/scbd/bioland-head); "
        "SDG: github.com/open-sdg/sdg-translations; crosswalk: github.com/scbd/drupal-module-scbd-field-js",
        "MIT", aichi + gbf + sdg)))

    counts.append(("subjects", write_vocab(
        "subjects", "Subjects (GEMET)",
        "GEMET - GEneral Multilingual Environmental Thesaurus, (c) European Environment Agency (EEA), "
        "CC BY 4.0, https://www.eionet.europa.eu/gemet/ (2016 edition; reformatted and subset by bioex)",
        "CC-BY-4.0", build_subjects(src))))

    counts.append(("languages", write_vocab(
        "languages", "Languages", "written for bioex: the six UN languages named in each other",
        "LicenseRef-bioex", build_languages())))

    do_copies(src)

    for name, n in counts:
        probs = PROBLEMS.get(name, [])
        print("%-12s %5d terms%s" % (name, n, "" if not probs else ", %d notes:" % len(probs)))
        for p in probs:
            print("    " + p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
