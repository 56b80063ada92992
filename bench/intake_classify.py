"""Benchmark: the classification suggestion (issue 4, Benchmark "Classification"; zhifa/intake/classify.py).

On a fresh database holding the demo county's organisation and the built-in catalogue of power items
(zhifa/powers/data/catalog.csv, 234 items), it runs the clue texts of two labelled sets through
`suggest_items`. Both are written the way grid workers, hotline operators and citizens write (short,
colloquial, with place words, not copies of item names), each text labelled with its item code and,
where two items are equally right (unit / individual variants, overlapping statutes), the alternatives:

- data/classification_labelled.csv (440 texts, every item of the catalogue, every domain): the
  development set; the lexicon (classify_terms.LEXICON) and the weights were tuned on it;
- data/classification_heldout.csv (94 texts): written after tuning, not tuned on (measured once before
  a last, item-driven lexicon pass: top-1 0.70, top-3 0.87); the better guide to unseen clues.

Measured: top-1 and top-3 accuracy (the labelled item or an alternative is first / among the first
three; "strict" counts the labelled code only); the same without the lexicon, to show what it adds;
latency per suggestion (p50 / p95 over every text, five rounds, after warm-up, the catalogue stamp
query included); the cold start (jieba's dictionary and the index) and a rebuild of the index.

Baseline: a naive ranking, the number of character bigrams of the item's name the text shares (ties by
code); ratio = suggestion accuracy / baseline accuracy.

The benchmark fails (exit status 1) when an accuracy falls below its floor (FLOORS) or the p95 latency
exceeds 10 ms.
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import metric, prepare, timer, write_result

NAME = "intake_classify"
DATA = Path(__file__).resolve().parent.parent / "zhifa" / "intake" / "data"
SETS = {"labelled": DATA / "classification_labelled.csv", "held-out": DATA / "classification_heldout.csv"}
ROUNDS = 5
# (set, k) -> floor. Set some points below the figures measured when written (labelled 0.85 / 0.98,
# held-out 0.76 / 0.91), leaving room for catalogue edits: falling below one is a regression.
FLOORS = {("labelled", 1): 0.75, ("labelled", 3): 0.92, ("held-out", 1): 0.62, ("held-out", 3): 0.82}
P95_LIMIT_MS = 10.0


def load_labelled(path: Path = SETS["labelled"]) -> list[tuple[str, str, frozenset[str]]]:
    """(text, item code, every acceptable code) per row of the labelled set."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (
            row["text"],
            row["item_code"],
            frozenset({row["item_code"], *filter(None, (row.get("also_acceptable_codes") or "").split(";"))}),
        )
        for row in rows
    ]


def accuracy(ranked: list[list[str]], labelled, k: int, *, strict: bool = False) -> float:
    """Share of texts whose labelled code (or an alternative, unless strict) is in the first k codes."""
    hits = 0
    for codes, (_text, code, acceptable) in zip(ranked, labelled, strict=True):
        wanted = {code} if strict else acceptable
        hits += any(c in wanted for c in codes[:k])
    return hits / len(labelled)


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def naive_ranking(items, text: str, limit: int = 5) -> list[str]:
    """The baseline: items by the number of name bigrams shared with the text (ties by code)."""
    grams = bigrams(text)
    scored = [(len(grams & name_grams), code) for code, name_grams in items]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [code for score, code in scored[:limit] if score > 0]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load_catalogue() -> None:
    """The demo county's departments, the fire brigade the fire items name, and the catalogue."""
    from zhifa.org.generate.demo import DEMO_ADCODE, load_demo
    from zhifa.org.models import Region
    from zhifa.powers.catalog import ensure_catalog_domains, load_power_catalog
    from zhifa.powers.demo import fire_department

    load_demo()
    ensure_catalog_domains()
    fire_department(Region.objects.get(adcode=DEMO_ADCODE))
    load_power_catalog()


def main() -> int:
    prepare(NAME)
    from zhifa.intake import classify
    from zhifa.powers.models import PowerItem

    load_catalogue()
    failures: list[str] = []

    with timer() as cold:
        index = classify.current_index()
    classify.clear_index()
    with timer() as rebuild:
        index = classify.current_index()
    items = [(item.code, bigrams(item.name)) for item in PowerItem.objects.filter(is_active=True)]

    metrics = []
    texts: list[str] = []
    for label, path in SETS.items():
        labelled = load_labelled(path)
        texts.extend(text for text, _code, _ok in labelled)
        ranked = [[s.item.code for s in classify.suggest_items(text, 5)] for text, _c, _o in labelled]
        plain = [[s.item.code for s in classify.rank(t, index, 5, synonyms=False)] for t, _c, _o in labelled]
        naive = [naive_ranking(items, text) for text, _code, _ok in labelled]
        n = len(labelled)
        for k in (1, 3):
            value = accuracy(ranked, labelled, k)
            metrics.append(
                metric(f"{label} ({n} clues): top-{k} accuracy", value, "share", accuracy(naive, labelled, k))
            )
            if value < FLOORS[(label, k)]:
                failures.append(f"{label} top-{k} accuracy {value:.3f} below the floor {FLOORS[(label, k)]}")
        for k in (1, 3):
            strict, base = (
                accuracy(ranked, labelled, k, strict=True),
                accuracy(naive, labelled, k, strict=True),
            )
            metrics.append(metric(f"{label}: top-{k} accuracy, labelled code only", strict, "share", base))
        for k in (1, 3):
            without, base = accuracy(plain, labelled, k), accuracy(naive, labelled, k)
            metrics.append(metric(f"{label}: top-{k} accuracy without the lexicon", without, "share", base))
        metrics.append(metric(f"{label}: texts with no suggestion", sum(not r for r in ranked) / n, "share"))
        for codes, (text, code, ok) in zip(ranked, labelled, strict=True):
            if not ok & set(codes[:3]):
                print(f"  {label}, not in the top 3: {code} <- {text}  got {codes[:3]}")

    latencies, naive_latencies = [], []
    for _ in range(ROUNDS):
        for text in texts:
            started = time.perf_counter()
            classify.suggest_items(text, 5)
            latencies.append((time.perf_counter() - started) * 1000)
    for text in texts:
        started = time.perf_counter()
        naive_ranking(items, text)
        naive_latencies.append((time.perf_counter() - started) * 1000)
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    metrics += [
        metric(
            f"suggestion p50 ({len(index.items)} items, stamp query included)",
            p50,
            "ms",
            statistics.median(naive_latencies),
        ),
        metric("suggestion p95", p95, "ms", percentile(naive_latencies, 0.95)),
        metric("cold start: jieba dictionary + index", cold["seconds"], "s"),
        metric(f"index rebuild ({len(index.postings)} terms)", rebuild["seconds"], "s"),
    ]
    if p95 > P95_LIMIT_MS:
        failures.append(f"p95 latency {p95:.2f} ms above {P95_LIMIT_MS} ms")
    write_result(NAME, metrics)
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
