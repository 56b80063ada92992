#!/usr/bin/env python3
"""Re-check a published double-random draw (双随机抽查复核), Python 3 standard library only.

Usage:
    python verify_draw.py draw.json [algorithm.py]

draw.json and algorithm.py are downloaded from the draw's portal page. Without the second argument the
algorithm is looked for next to this script, then next to draw.json (algorithm.py or draw_algorithm.py).

Checks, each printed as OK, MISMATCH or SKIP (not drawn yet):
  algorithm      the file implements the algorithm named in draw.json;
  pool_hash      SHA-256 of the canonical pools equals the published hash (computed here independently
                 from the algorithm's description, and by the algorithm file itself);
  sample_size    ceil(subjects x ratio), at least 1, equals the published sample size;
  commitment     SHA-256 of the revealed seed equals the commitment published before the draw;
  result         re-running the draw with the seed on the pools gives the published result.
Exit status: 0 when nothing mismatches, 1 on any MISMATCH, 2 when the files cannot be read.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

OK, MISMATCH, SKIP = "OK", "MISMATCH", "SKIP"


def load_algorithm(path: Path) -> ModuleType:
    """Import the algorithm from a file path (it is stdlib-only and has no package)."""
    spec = importlib.util.spec_from_file_location("zhifa_draw_algorithm", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def find_algorithm(draw_path: Path) -> Path | None:
    for folder in (Path(__file__).resolve().parent, draw_path.resolve().parent):
        for name in ("algorithm.py", "draw_algorithm.py"):
            if (folder / name).is_file():
                return folder / name
    return None


def canonical_hash(subjects: list[dict[str, Any]], inspectors: list[dict[str, Any]]) -> str:
    """Step 1 of zhifa-draw-v1, written out here so the check does not rely on the algorithm file."""
    text = json.dumps(
        {"inspectors": inspectors, "subjects": subjects},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check(data: dict[str, Any], algo: ModuleType) -> list[tuple[str, str, str]]:
    """(check, status, detail) for each check of the module docstring."""
    rows: list[tuple[str, str, str]] = []
    subjects, inspectors = data["subject_pool"], data["inspector_pool"]

    name = getattr(algo, "ALGORITHM", "")
    rows.append(("algorithm", OK if name == data.get("algorithm") else MISMATCH, f"{name}"))

    published = data.get("pool_hash", "")
    ours, theirs = canonical_hash(subjects, inspectors), algo.pool_hash(subjects, inspectors)
    status = OK if ours == published and theirs == published else MISMATCH
    rows.append(("pool_hash", status, f"published {published}, computed {ours}"))

    size = algo.sample_size_for(len(subjects), data["ratio"])
    status = OK if size == data.get("sample_size") else MISMATCH
    rows.append(("sample_size", status, f"published {data.get('sample_size')}, computed {size}"))

    seed = data.get("seed")
    if not seed:
        rows.append(("commitment", SKIP, "the seed is revealed by the draw"))
        rows.append(("result", SKIP, "not drawn yet"))
        return rows
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    status = OK if digest == data.get("seed_commitment") else MISMATCH
    rows.append(("commitment", status, f"published {data.get('seed_commitment')}, computed {digest}"))

    try:
        again = algo.run_draw(seed, subjects, inspectors, data["sample_size"], data["inspectors_per_subject"])
    except (ValueError, KeyError, TypeError) as exc:
        rows.append(("result", MISMATCH, f"cannot re-run: {exc}"))
        return rows
    status = OK if again == data.get("result") else MISMATCH
    drawn = ", ".join(r["uscc"] for r in again)
    rows.append(("result", status, f"{len(again)} subjects re-drawn: {drawn}"))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print("usage: python verify_draw.py draw.json [algorithm.py]", file=sys.stderr)
        return 2
    draw_path = Path(argv[1])
    algo_path = Path(argv[2]) if len(argv) == 3 else find_algorithm(draw_path)
    if algo_path is None:
        print("algorithm.py not found: pass its path as the second argument", file=sys.stderr)
        return 2
    try:
        data = json.loads(draw_path.read_text(encoding="utf-8"))
        algo = load_algorithm(algo_path)
    except (OSError, ValueError, ImportError, SyntaxError) as exc:
        print(f"cannot read the files: {exc}", file=sys.stderr)
        return 2
    try:
        rows = check(data, algo)
    except (KeyError, TypeError, AttributeError) as exc:
        print(f"MISMATCH draw.json is incomplete: {exc}")
        return 1
    for name, status, detail in rows:
        print(f"{status:<8} {name:<12} {detail}")
    failed = any(status == MISMATCH for _, status, _ in rows)
    if failed:
        print("MISMATCH: the published draw does not check out")
    elif any(status == SKIP for _, status, _ in rows):
        print("OK so far: pools as published; run again with the draw.json published after the draw")
    else:
        print("OK: the draw is reproducible")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
