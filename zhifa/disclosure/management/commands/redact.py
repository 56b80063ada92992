"""`manage.py redact [FILE ...]`: print the redacted text of each file (stdin when none).

The same redaction as a publication (zhifa.disclosure.redaction; ZJ-PUB Art. 5-8, OGI Art. 37):
`--persons 张三,李四` names natural persons to mask everywhere, `--keep …` strings that stay (the agency,
officers, organisations), `--extra …` strings to mask too, `--addresses …` home addresses. With `--check`,
the output is checked by the leak check (find_personal_identifiers): when it still finds a personal
identifier, the spans are listed on stderr and the exit status is 1.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.disclosure.redaction import find_personal_identifiers, redact


def _list(value: str) -> list[str]:
    """A comma-separated option (，、 too) as a list of non-empty strings."""
    for separator in ("，", "、"):
        value = value.replace(separator, ",")
    return [part.strip() for part in value.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Print the redacted text of each FILE (stdin when none); --check fails when identifiers remain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="UTF-8 text files; none: read stdin")
        parser.add_argument("--persons", default="", help="natural persons to mask, comma-separated")
        parser.add_argument("--keep", default="", help="strings that stay (agency, officers, organisations)")
        parser.add_argument("--extra", default="", help="further strings to mask, comma-separated")
        parser.add_argument("--addresses", default="", help="home addresses to mask, comma-separated")
        parser.add_argument(
            "--check", action="store_true", help="exit 1 and list the spans when identifiers remain"
        )

    def handle(self, *args: Any, files: list[str], check: bool, **options: Any) -> None:
        lists = {key: _list(options[key]) for key in ("persons", "keep", "extra", "addresses")}
        sources = [(name, self._read(name)) for name in files] or [("-", sys.stdin.read())]
        leaks = 0
        for index, (name, text) in enumerate(sources):
            if len(sources) > 1:
                self.stdout.write(("\n" if index else "") + f"==> {name} <==")
            output = redact(text, **lists).text
            self.stdout.write(output, ending="" if output.endswith("\n") else "\n")
            if check:
                for span in find_personal_identifiers(output):
                    leaks += 1
                    found = output[span.start : span.end]
                    self.stderr.write(f"{name}:{span.start}-{span.end}: {span.kind}: {found}")
        if leaks:
            # CommandError: message on stderr, exit status 1 (call_command raises it to the caller).
            raise CommandError(f"{leaks} personal identifier(s) left in the output")

    def _read(self, name: str) -> str:
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from exc
