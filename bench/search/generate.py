"""Generates realistic bioex records for the search benchmark, as NDJSON.

Every title, summary and text is cut from the real multilingual data of this repository:
SDG, Aichi and GBF targets (labels and texts in ar, en, es, fr, ru, zh), GEMET labels in
the same six languages, and the Chinese UN documents of data/documents, cut into
paragraphs, all in NFC. Types, countries, instruments, targets, subjects, dates and
languages follow skewed spreads like those of a real clearing-house. Deterministic: the
same COUNT gives the same file, byte for byte. Beside OUT it writes OUT.stats.json: the
number of records and the bytes of text (title, summary and text, every language) that
all engines index.

usage: generate.py COUNT OUT.ndjson
"""
import bisect
import itertools
import json
import math
import os
import random
import re
import sys
import unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SEED = 20261121

LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh"]
LANGUAGE_WEIGHTS = [45, 15, 15, 8, 7, 10]

TYPE_WEIGHTS = {"document": 30, "decision": 8, "meeting": 6, "national-report": 10, "nbsap": 3,
                "national-target": 12, "focal-point": 8, "organization": 6, "expert": 6,
                "capacity-need": 5, "capacity-offer": 3, "partnership": 2, "work-plan-activity": 1}
# Types published by a country: exactly one country each.
NATIONAL_TYPES = {"national-report", "nbsap", "national-target", "focal-point", "capacity-need", "expert"}

INSTRUMENT_WEIGHTS = {"cbd": 50, "cites": 12, "cms": 8, "ramsar": 10, "whc": 6, "itpgrfa": 4,
                      "ippc": 3, "ipbes": 5, "cartagena": 3, "nagoya": 4, "unfccc": 3, "unccd": 3,
                      "basel": 1, "rotterdam": 1, "stockholm": 1}
# The countries that publish most, first; the others follow in code order.
BIG_PUBLISHERS = ["CN", "FR", "BR", "IN", "MX", "CO", "DE", "GB", "ZA", "KE", "JP", "CA", "AU", "ES",
                  "ID", "PE", "RU", "EG", "MA", "AR", "CM", "SN", "BE", "NL", "SE", "CH", "IT", "PH"]

TITLE_TEMPLATES = {
    "national-report": {"en": "National report of {country}: {topic}",
                        "fr": "Rapport national de {country} : {topic}",
                        "es": "Informe nacional de {country}: {topic}",
                        "ru": "Национальный доклад: {country}. {topic}",
                        "ar": "التقرير الوطني ل{country}: {topic}",
                        "zh": "{country}国家报告：{topic}"},
    "nbsap": {"en": "National biodiversity strategy and action plan of {country}",
              "fr": "Stratégie et plan d'action nationaux pour la biodiversité de {country}",
              "es": "Estrategia y plan de acción nacionales en materia de biodiversidad de {country}",
              "ru": "Национальная стратегия и план действий по сохранению биоразнообразия: {country}",
              "ar": "الاستراتيجية وخطة العمل الوطنية للتنوع البيولوجي: {country}",
              "zh": "{country}国家生物多样性战略和行动计划"},
    "focal-point": {"en": "National focal point of {country}",
                    "fr": "Correspondant national de {country}",
                    "es": "Punto focal nacional de {country}",
                    "ru": "Национальный координатор: {country}",
                    "ar": "جهة الاتصال الوطنية: {country}",
                    "zh": "{country}国家联络点"},
}

STOP_SPLIT = re.compile(r"(?<=[.;!?。；！？])\s*")


def nfc(value):
    """value with every string in NFC: many target texts are stored decomposed (NFD), which
    only bioex's tokenizer would fold; the peers would then find less and do less work."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {key: nfc(item) for key, item in value.items()}
    return value


def load(name):
    with open(os.path.join(ROOT, "data", "vocab", name + ".json"), encoding="utf-8") as source:
        return nfc(json.load(source)["terms"])


def document_paragraphs():
    """Paragraphs of the Chinese documents: lines with Han text, short ones merged."""
    paragraphs = []
    folder = os.path.join(ROOT, "data", "documents")
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".zh.txt"):
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as source:
            pending = ""
            for line in source:
                line = unicodedata.normalize("NFC", line.strip())
                if not re.search(r"[\u4e00-\u9fff]", line):
                    continue
                pending = pending + line if pending else line
                if len(pending) >= 60:
                    paragraphs.append(pending)
                    pending = ""
            if pending:
                paragraphs.append(pending)
    return paragraphs


class Zipf:
    """Draws items with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, items, exponent):
        self.items = items
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(len(items))))

    def draw(self, rng):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Weighted(Zipf):
    def __init__(self, weights):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))


class Corpus:
    """The real data, per language, and the skewed spreads drawn from it."""

    def __init__(self):
        targets = load("targets")
        subjects = load("subjects")
        countries = load("countries")
        order = random.Random(SEED)
        self.target_ids = [t["id"] for t in targets]
        # Texts: target texts and the long target labels (the SDG targets are sentences).
        self.paragraphs = {language: [] for language in LANGUAGES}
        self.short_labels = {language: [] for language in LANGUAGES}
        for target in targets:
            for language, text in (target.get("text") or {}).items():
                if language in self.paragraphs:
                    self.paragraphs[language].append(text)
            for language, label in target["labels"].items():
                if language not in self.paragraphs:
                    continue
                (self.paragraphs if len(label) > 90 else self.short_labels)[language].append(label)
        self.documents = document_paragraphs()
        # GEMET concepts in a fixed shuffled order, so that the frequent ones are not all "a...".
        self.subjects = sorted(subjects, key=lambda s: s["id"])
        order.shuffle(self.subjects)
        self.subject_draw = Zipf(self.subjects, 0.9)
        known = {c["id"] for c in countries}
        codes = [c for c in BIG_PUBLISHERS if c in known] + sorted(known - set(BIG_PUBLISHERS))
        self.country_labels = {c["id"]: c["labels"] for c in countries}
        self.country_draw = Zipf(codes, 1.0)
        # GBF targets most, then SDG 14 and 15 targets, Aichi, the other SDG targets.
        weights = {}
        for target_id in self.target_ids:
            framework, _, number = target_id.partition(":")
            if framework == "gbf":
                weights[target_id] = 8.0
            elif framework == "aichi":
                weights[target_id] = 2.0
            elif number.split(".")[0] in ("14", "15"):
                weights[target_id] = 2.0
            else:
                weights[target_id] = 0.3
        self.target_draw = Weighted(weights)
        self.type_draw = Weighted(TYPE_WEIGHTS)
        self.instrument_draw = Weighted(INSTRUMENT_WEIGHTS)
        self.language_draw = Weighted(dict(zip(LANGUAGES, LANGUAGE_WEIGHTS)))

    def country_name(self, code, language):
        labels = self.country_labels[code]
        return re.sub(r" \((the|les?|la|l'|los|las|el)\)$", "", labels.get(language) or labels["en"])


def first_sentence(text):
    sentence = STOP_SPLIT.split(text, 1)[0]
    return sentence if len(sentence.encode()) <= 400 else sentence[:160]


def required_fields(kind, rng, instruments):
    """The fields each format requires, with plausible values (as bench/generate.py)."""
    if kind in ("capacity-need", "capacity-offer"):
        return {"support": [rng.choice(["training", "technical-assistance", "funding", "data"])]}
    if kind == "focal-point":
        return {"instrument": instruments[0], "role": "national-focal-point"}
    if kind == "meeting":
        return {"kind": rng.choice(["workshop", "webinar", "governing-body"]),
                "start": "%04d-%02d-%02d" % (rng.randint(2000, 2026), rng.randint(1, 12), rng.randint(1, 28))}
    if kind == "national-report":
        return {"convention": instruments[0]}
    if kind == "partnership":
        return {"kind": "mou"}
    return {}


def distinct(draw, rng, count):
    chosen = []
    for _ in range(count * 4):
        if len(chosen) == count:
            break
        item = draw(rng)
        if item not in chosen:
            chosen.append(item)
    return chosen


def make_record(corpus, rng, number):
    kind = corpus.type_draw.draw(rng)
    language = corpus.language_draw.draw(rng)
    instruments = distinct(corpus.instrument_draw.draw, rng, rng.choice([1, 1, 1, 2, 3]))
    if kind in NATIONAL_TYPES:
        countries = [corpus.country_draw.draw(rng)]
    else:
        countries = distinct(corpus.country_draw.draw, rng, rng.choice([0, 0, 0, 1, 1, 2]))
    targets = distinct(corpus.target_draw.draw, rng, rng.choice([0, 1, 1, 2, 3]))
    subjects = distinct(corpus.subject_draw.draw, rng, rng.choice([1, 2, 2, 3, 4]))
    labels = [s["labels"].get(language) or s["labels"]["en"] for s in subjects]

    # Title: a template for national records, else a short target label or GEMET labels.
    separator = "、" if language == "zh" else ", "
    topic = separator.join(labels[:rng.choice([1, 2, 3])])
    if kind in TITLE_TEMPLATES:
        template = TITLE_TEMPLATES[kind][language]
        title_text = template.format(country=corpus.country_name(countries[0], language), topic=topic)
    elif rng.random() < 0.4:
        title_text = rng.choice(corpus.short_labels[language])
    else:
        title_text = topic[:1].upper() + topic[1:]
    title = {language: title_text}
    if language != "en" and rng.random() < 0.2:
        title["en"] = subjects[0]["labels"]["en"]

    # Text: paragraphs of the language (Chinese: mostly from the documents), then a
    # sentence of GEMET labels, about 0.5 to 2 KB in all.
    goal = min(1800, max(300, int(rng.lognormvariate(math.log(480), 0.5))))
    pieces = []
    size = 0
    while size < goal:
        if language == "zh" and rng.random() < 0.7:
            piece = rng.choice(corpus.documents)
        else:
            piece = rng.choice(corpus.paragraphs[language])
        pieces.append(piece)
        size += len(piece.encode())
    extra = [corpus.subject_draw.draw(rng)["labels"].get(language, "") for _ in range(rng.randint(2, 6))]
    pieces.append(separator.join(labels + extra) + ("。" if language == "zh" else "."))
    text = ("\n" if language == "zh" else "\n\n").join(pieces)
    summary = {language: first_sentence(rng.choice(corpus.paragraphs[language]))}
    if language != "en" and rng.random() < 0.08:
        summary["en"] = first_sentence(rng.choice(corpus.paragraphs["en"]))

    year = max(1995, 2026 - int(rng.expovariate(1 / 6.0)))
    record = {
        "id": "bench:s%d" % number,
        "type": kind,
        "status": "published",
        "title": title,
        "summary": summary,
        "text": {language: text},
        "conventions": instruments,
        "countries": countries,
        "targets": targets,
        "subjects": [s["id"] for s in subjects],
        "date": "%04d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28)),
        "fields": required_fields(kind, rng, instruments),
    }
    text_bytes = sum(len(v.encode()) for field in (title, summary, record["text"]) for v in field.values())
    return record, text_bytes


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: generate.py COUNT OUT.ndjson")
    count = int(sys.argv[1])
    path = sys.argv[2]
    corpus = Corpus()
    rng = random.Random(SEED + 1)
    total_bytes = 0
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for number in range(count):
            record, text_bytes = make_record(corpus, rng, number)
            total_bytes += text_bytes
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
    with open(path + ".stats.json", "w", encoding="utf-8") as out:
        json.dump({"records": count, "text_bytes": total_bytes}, out)
        out.write("\n")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
