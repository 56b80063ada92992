"""CI check: every UI text has an English translation.

Runs makemessages (needs GNU gettext's xgettext) on a copy of the tree's catalogue and fails when a
message is untranslated or fuzzy, listing them; the committed catalogue is left as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "zhifa" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "django.po"
        shutil.copy2(PO, saved)
        try:
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    "-l",
                    "en",
                    "--ignore=.venv",
                    "--ignore=node_modules",
                    "--ignore=var",
                    "--ignore=bench",
                    "-v0",
                ],
                cwd=ROOT,
                check=True,
            )
            catalogue = polib.pofile(str(PO))
        finally:
            shutil.copy2(saved, PO)
    missing = [e.msgid for e in catalogue.untranslated_entries()] + [
        e.msgid for e in catalogue.fuzzy_entries()
    ]
    if missing:
        print(f"{len(missing)} message(s) without an English translation in {PO.relative_to(ROOT)}:")
        for msgid in missing:
            print(f"  {msgid!r}")
        print(
            "Run `manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var`"
            " and translate."
        )
        return 1
    print(f"English catalogue complete: {len(catalogue)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
