"""Benchmark: the redaction of decisions before publication (issue 6, point 3; zhifa/disclosure/redaction.py).

Over the redaction corpus (zhifa/disclosure/tests/corpus/*.txt: township enforcement decisions, each with
a sidecar naming the identifiers that must go and the strings that must stay) it measures:

- throughput of `redact` in characters per second over every document, ROUNDS rounds after a warm-up
  round (jieba's dictionary loaded before: its cold start is reported apart);
- latency per document (p50 / p95) and of one 5,000-character decision (the corpus joined and cut),
  which must stay under P95_LIMIT_MS;
- leaks: listed identifiers still in the output of detection alone (no case records), plus what the
  leak check `find_personal_identifiers` still finds there; must be 0. Lost: strings that must stay
  (organisations, USCC, articles, amounts, document numbers) missing from the output; must be 0.

Baseline: regex-only redaction, the number/plate/e-mail/address detectors without the name detection,
plus plain str.replace of the persons the case records know (ratio = redact / baseline; its leaks show
what the name detection adds: witnesses, relatives, drivers the records do not list).

The benchmark fails (exit status 1) on any leak or lost string, or when the 5,000-character p95 exceeds
P95_LIMIT_MS. It needs no database (Django is set up only for the result file's `database` field).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, metric, timer, write_result

NAME = "disclosure_redact"
CORPUS = Path(__file__).resolve().parent.parent / "zhifa" / "disclosure" / "tests" / "corpus"
ROUNDS = 5
LONG_CHARS = 5000
LONG_RUNS = 50
P95_LIMIT_MS = 50.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load_corpus() -> list[tuple[str, str, dict]]:
    """(name, text, sidecar) per corpus document."""
    return [
        (
            path.stem,
            path.read_text(encoding="utf-8"),
            json.loads(path.with_suffix(".json").read_text("utf-8")),
        )
        for path in sorted(CORPUS.glob("*.txt"))
    ]


def baseline_redact(text: str, persons: list[str]) -> str:
    """Regex-only: the identifier detectors' masks, then str.replace of the known persons."""
    from zhifa.disclosure.redaction import find_personal_identifiers, mask_person_name

    parts, pos = [], 0
    for span in find_personal_identifiers(text):
        parts.append(text[pos : span.start] + span.replacement)
        pos = span.end
    out = "".join(parts) + text[pos:]
    for person in persons:
        out = out.replace(person, mask_person_name(person))
    return out


def timed(function, documents: list[tuple[str, str, dict]], rounds: int) -> tuple[float, list[float]]:
    """(characters per second, per-document milliseconds) over `rounds` rounds."""
    latencies, chars, total = [], 0, 0.0
    for _ in range(rounds):
        for _name, text, side in documents:
            started = time.perf_counter()
            function(text, side)
            elapsed = time.perf_counter() - started
            latencies.append(elapsed * 1000)
            total += elapsed
            chars += len(text)
    return chars / total, latencies


def main() -> int:
    django_setup(NAME)
    from zhifa.disclosure import redact_names
    from zhifa.disclosure.redaction import find_personal_identifiers, redact

    documents = load_corpus()
    failures: list[str] = []
    with timer() as cold:
        redact_names.warm_up()

    def run(text: str, _side: dict) -> str:
        return redact(text).text

    def run_baseline(text: str, side: dict) -> str:
        return baseline_redact(text, side["persons"])

    timed(run, documents, 1)  # warm-up round
    timed(run_baseline, documents, 1)
    throughput, latencies = timed(run, documents, ROUNDS)
    base_throughput, base_latencies = timed(run_baseline, documents, ROUNDS)

    long_text = "\n".join(text for _n, text, _s in documents)[:LONG_CHARS]
    long_ms, long_base_ms = [], []
    for _ in range(LONG_RUNS):
        with timer() as t:
            redact(long_text)
        long_ms.append(t["seconds"] * 1000)
        with timer() as t:
            baseline_redact(long_text, [])
        long_base_ms.append(t["seconds"] * 1000)

    leaks = lost = base_leaks = 0
    for name, text, side in documents:
        out = redact(text).text
        leaked = [v for v in side["must_not_appear"] if v in out]
        left = find_personal_identifiers(out)
        missing = [v for v in side["must_appear"] if v not in out]
        for value in leaked + [out[s.start : s.end] for s in left]:
            print(f"  LEAK {name}: {value}")
        for value in missing:
            print(f"  LOST {name}: {value}")
        leaks += len(leaked) + len(left)
        lost += len(missing)
        base_out = baseline_redact(text, side["persons"])
        base_leaks += sum(v in base_out for v in side["must_not_appear"])
    identifiers = sum(len(side["must_not_appear"]) for _n, _t, side in documents)

    p95_long = percentile(long_ms, 0.95)
    metrics = [
        metric(
            f"throughput over the corpus ({len(documents)} documents)", throughput, "chars/s", base_throughput
        ),
        metric(
            "latency per document p50", statistics.median(latencies), "ms", statistics.median(base_latencies)
        ),
        metric(
            "latency per document p95", percentile(latencies, 0.95), "ms", percentile(base_latencies, 0.95)
        ),
        metric(
            f"{LONG_CHARS}-character decision p50",
            statistics.median(long_ms),
            "ms",
            statistics.median(long_base_ms),
        ),
        metric(f"{LONG_CHARS}-character decision p95", p95_long, "ms", percentile(long_base_ms, 0.95)),
        metric(f"leaks ({identifiers} listed identifiers, detection alone)", leaks, "count", base_leaks),
        metric("strings that must stay, lost", lost, "count"),
        metric("cold start: jieba dictionary and tags", cold["seconds"], "s"),
    ]
    write_result(NAME, metrics)
    if leaks:
        failures.append(f"{leaks} identifier(s) left in the redacted corpus")
    if lost:
        failures.append(f"{lost} string(s) that must stay were masked")
    if p95_long > P95_LIMIT_MS:
        failures.append(f"{LONG_CHARS}-character p95 {p95_long:.1f} ms above {P95_LIMIT_MS} ms")
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
