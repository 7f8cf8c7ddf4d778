"""Generates realistic bioex records for benchmarks, as NDJSON on standard output.

Titles and texts are drawn from the real multilingual data in data/vocab (SDG and GBF
target texts, GEMET labels) in all six languages; types, countries, instruments, targets
and subjects follow skewed, realistic spreads. Deterministic for a given seed.

usage: generate.py COUNT [SEED] [NODE]
"""
import json
import random
import sys

LANGUAGES = ["en", "fr", "es", "ru", "ar", "zh"]
TYPE_WEIGHTS = {"document": 30, "decision": 8, "meeting": 6, "national-report": 10, "nbsap": 3,
                "national-target": 12, "focal-point": 10, "organization": 6, "expert": 8,
                "capacity-need": 3, "capacity-offer": 2, "partnership": 1, "work-plan-activity": 1}


def required_fields(kind, rng, instruments):
    """The fields each format requires, with plausible values."""
    if kind in ("capacity-need", "capacity-offer"):
        return {"support": [rng.choice(["training", "technical-assistance", "funding", "data"])]}
    if kind == "focal-point":
        return {"instrument": rng.choice(instruments), "role": "national-focal-point"}
    if kind == "meeting":
        return {"kind": rng.choice(["workshop", "webinar", "governing-body"]),
                "start": "%04d-%02d-%02d" % (rng.randint(2000, 2026), rng.randint(1, 12), rng.randint(1, 28))}
    if kind == "national-report":
        return {"convention": rng.choice(instruments)}
    if kind == "partnership":
        return {"kind": "mou"}
    return {}


def load(name):
    with open("data/vocab/%s.json" % name, encoding="utf-8") as source:
        return json.load(source)["terms"]


def main():
    count = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    node = sys.argv[3] if len(sys.argv) > 3 else "bench"
    countries = [t["id"] for t in load("countries")]
    instruments = ["cbd", "cites", "cms", "ramsar", "whc", "itpgrfa", "ippc", "ipbes"]
    targets = load("targets")
    target_ids = [t["id"] for t in targets]
    texts = [t for t in targets if isinstance(t.get("text"), dict) and len(t["text"]) >= 2]
    subjects = load("subjects")
    types = list(TYPE_WEIGHTS)
    weights = [TYPE_WEIGHTS[t] for t in types]
    # A few countries publish most records, as in real clearing-houses.
    country_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(countries))]
    out = sys.stdout
    for i in range(count):
        kind = rng.choices(types, weights)[0]
        language = rng.choices(LANGUAGES, [40, 15, 15, 10, 10, 10])[0]
        source = rng.choice(texts)
        concept = rng.choice(subjects)
        title_text = concept["labels"].get(language) or concept["labels"]["en"]
        body = source["text"].get(language) or source["text"]["en"]
        title = {language: "%s %d" % (title_text, i)}
        if rng.random() < 0.3:
            title["en"] = concept["labels"]["en"]
        record = {
            "id": "%s:r%d" % (node, i),
            "type": kind,
            "title": title,
            "text": {language: body},
            "conventions": rng.sample(instruments, rng.choice([1, 1, 1, 2, 3])),
            "countries": [rng.choices(countries, country_weights)[0]],
            "targets": rng.sample(target_ids, rng.choice([0, 1, 2, 3])),
            "subjects": [concept["id"]] + ([rng.choice(subjects)["id"]] if rng.random() < 0.5 else []),
            "date": "%04d-%02d-%02d" % (rng.randint(1995, 2026), rng.randint(1, 12), rng.randint(1, 28)),
            "fields": required_fields(kind, rng, instruments),
            "status": "published",
        }
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
