"""Writes the search benchmark's queries, one JSON object a line, the same for every engine.

Each line is {"q": text as a person types it, "lang": the language it is written in (a
hint for Xapian's stemmer; bioex and FTS5 do not use it), "kind": common | rare | and |
phrase, "filters": {"type" | "country" | "instrument": value, ...}}. The words come from
the same real data as the records (generate.py's corpus): common words of the target
texts, rare single words of GEMET labels in the long tail of the subject spread, two-term
ANDs, and "phrases" of adjacent words or multi-word labels; in en, fr, es, ru, ar and zh.
About a third of the queries carry a filter. Deterministic.

usage: queries.py OUT.ndjson [COUNT]   (COUNT defaults to 200)
"""
import json
import os
import random
import re
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402

# Queries per language, roughly the records' spread, with enough of each to matter.
LANGUAGE_SHARE = {"en": 30, "fr": 15, "es": 15, "ru": 12, "ar": 12, "zh": 16}
KIND_WEIGHTS = {"common": 30, "rare": 25, "and": 25, "phrase": 20}
STOPWORDS = {
    "en": "including their through other least which these those about where there ensure".split(),
    "fr": "notamment compris toutes leurs moins ainsi autres faire mettre sorte dans entre".split(),
    "es": "todos todas menos mediante incluso sobre entre poner lograr incluidos".split(),
    "ru": "числе чтобы также путем частности посредством особенно включая".split(),
    "ar": "بحلول عليها للجميع الجميع".split(),
}
# Chinese words and phrases that occur in the documents and target texts.
CHINESE_COMMON = ["生物多样性", "合作", "公约", "秘书处", "国家", "战略", "利益攸关方", "缔约方",
                  "资源", "执行", "知识", "伙伴关系", "能力建设", "可持续", "生态系统", "发展"]
CHINESE_PHRASES = ["生态系统服务", "遗传资源", "信息交换所机制", "生物多样性公约", "可持续利用",
                   "战略计划", "政府间科学政策平台", "土著人民", "传统知识", "能力建设"]
WORD = re.compile(r"[^\W\d_]+")


def words(text):
    return WORD.findall(text)


class Terms:
    """The words of one language that queries are made of."""

    def __init__(self, corpus, language):
        self.language = language
        counts = {}
        for paragraph in corpus.paragraphs[language]:
            for word in words(paragraph.lower()):
                counts[word] = counts.get(word, 0) + 1
        shortest = {"ar": 4, "zh": 2}.get(language, 5)
        ranked = sorted(counts, key=lambda w: (-counts[w], w))
        stop = set(STOPWORDS.get(language, []))
        self.common = [w for w in ranked if len(w) >= shortest and w not in stop][:50]
        self.medium = [w for w in ranked if len(w) >= shortest and w not in stop][50:400]
        labels = [s["labels"].get(language, "") for s in corpus.subjects]
        # GEMET labels of one word, from the tail of the subject spread, absent from the texts.
        self.rare = [label for label in labels[1500:]
                     if len(label) >= shortest and words(label) == [label] and label.lower() not in counts]
        self.multiword = [label for label in labels[:800] if len(words(label)) in (2, 3)
                          and " " in label and '"' not in label]
        self.paragraphs = corpus.paragraphs[language]

    def adjacent(self, rng):
        """Two or three words that stand next to each other, separated by single spaces."""
        for _ in range(100):
            paragraph = rng.choice(self.paragraphs)
            length = rng.choice([2, 2, 3])
            pieces = paragraph.split(" ")
            start = rng.randrange(max(1, len(pieces) - length))
            chosen = pieces[start:start + length]
            if len(chosen) == length and all(words(p) == [p] and len(p) >= 3 for p in chosen):
                return " ".join(chosen)
        return rng.choice(self.multiword)


def make_query(terms, rng, kind):
    if terms.language == "zh":
        if kind == "common":
            return rng.choice(CHINESE_COMMON)
        if kind == "rare":
            return rng.choice([t for t in terms.rare if 2 <= len(t) <= 6])
        if kind == "and":
            first, second = rng.sample(CHINESE_COMMON, 2)
            return first + " " + second
        return '"%s"' % rng.choice(CHINESE_PHRASES)
    if kind == "common":
        return rng.choice(terms.common[:30])
    if kind == "rare":
        return rng.choice(terms.rare)
    if kind == "and":
        if rng.random() < 0.5:
            return " ".join(rng.sample(terms.common, 2))
        return rng.choice(terms.common) + " " + rng.choice(terms.medium)
    if rng.random() < 0.6:
        return '"%s"' % terms.adjacent(rng)
    return '"%s"' % rng.choice(terms.multiword)


def make_filters(corpus, rng):
    filters = {}
    kinds = ["type", "country", "instrument"]
    first = rng.choices(kinds, [45, 35, 20])[0]
    chosen = [first]
    if rng.random() < 0.15:
        chosen.append(rng.choice([k for k in kinds if k != first]))
    for kind in chosen:
        if kind == "type":
            filters["type"] = corpus.type_draw.draw(rng)
        elif kind == "country":
            filters["country"] = corpus.country_draw.items[min(int(rng.expovariate(1 / 4.0)), 20)]
        else:
            filters["instrument"] = corpus.instrument_draw.draw(rng)
    return filters


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: queries.py OUT.ndjson [COUNT]")
    count = int(sys.argv[2]) if len(sys.argv) == 3 else 200
    corpus = generate.Corpus()
    rng = random.Random(generate.SEED + 2)
    terms = {language: Terms(corpus, language) for language in LANGUAGE_SHARE}
    languages = list(LANGUAGE_SHARE)
    kinds = list(KIND_WEIGHTS)
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        for _ in range(count):
            language = rng.choices(languages, list(LANGUAGE_SHARE.values()))[0]
            kind = rng.choices(kinds, list(KIND_WEIGHTS.values()))[0]
            query = {"q": make_query(terms[language], rng, kind), "lang": language, "kind": kind,
                     "filters": make_filters(corpus, rng) if rng.random() < 1 / 3 else {}}
            out.write(json.dumps(query, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
