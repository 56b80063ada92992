"""`manage.py export_openapi PATH [--check]`: write the API's OpenAPI schema, or check the committed one.

The file is JSON with sorted keys and an indent of 2, so that changes show as small diffs in review.
With --check nothing is written: exit status 1 and a summary of the differences when the file is not
what the code generates (CI runs this, DESIGN.md: "a diff of the committed OpenAPI schema").
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

API_PREFIX = "/api/v1/"
MAX_DIFF_LINES = 40


def schema_text() -> str:
    """The schema as committed: sorted keys, indent 2, UTF-8 text (Chinese as is), final newline."""
    from zhifa.api import api

    schema = api.get_openapi_schema(path_prefix=API_PREFIX)
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema to PATH, or with --check compare PATH with the generated schema."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="docs/openapi.json")
        parser.add_argument(
            "--check", action="store_true", help="compare instead of writing; exit 1 if different"
        )

    def handle(self, *args: Any, path: str, check: bool, **options: Any) -> None:
        target = Path(path)
        text = schema_text()
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {target}")
            return
        if not target.exists():
            raise CommandError(f"{target} does not exist; run `manage.py export_openapi {target}`")
        current = target.read_text(encoding="utf-8")
        if current == text:
            self.stdout.write(f"{target} is up to date")
            return
        diff = list(
            difflib.unified_diff(
                current.splitlines(),
                text.splitlines(),
                fromfile=f"{target} (committed)",
                tofile="generated",
                lineterm="",
                n=1,
            )
        )
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        shown = "\n".join(diff[:MAX_DIFF_LINES]) + ("\n…" if len(diff) > MAX_DIFF_LINES else "")
        self.stderr.write(shown)
        # CommandError: message on stderr, exit status 1.
        raise CommandError(
            f"{target} is out of date ({added} lines added, {removed} removed); "
            f"run `manage.py export_openapi {target}`"
        )
