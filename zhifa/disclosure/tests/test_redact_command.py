"""`manage.py redact`: the redaction of a publication (ZJ-PUB Art. 5-8; OGI Art. 37) from the command
line, with the leak check (--check) that services.publication_publish applies before publishing."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.cases.identity import resident_id_check_char

ID = "35042719750312123" + resident_id_check_char("35042719750312123")
TEXT = f"当事人：张三，公民身份号码：{ID}，联系电话：13905981234。证人李四称属实。\n"
ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("redact", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_the_redacted_text_of_each_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(TEXT, encoding="utf-8")
    second.write_text("车牌闽G68523", encoding="utf-8")
    out, err = run(str(first), str(second))
    assert f"==> {first} <==" in out and f"==> {second} <==" in out
    assert "张某" in out and "李某" in out and "139＊＊＊＊＊＊＊＊" in out and "闽G＊＊＊＊＊" in out
    assert ID not in out and "张三" not in out and err == ""


def test_persons_keep_and_extra_options(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("据查王五在沙溪县城关镇人民政府门前摆摊，患有高血压。", encoding="utf-8")
    out, _err = run(str(path), "--persons", "王五", "--keep", "沙溪县城关镇人民政府", "--extra", "高血压")
    assert out == "据查王某在沙溪县城关镇人民政府门前摆摊，患有＊＊＊。\n"


def test_check_passes_on_redacted_output(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    out, err = run(str(path), "--check")
    assert "张某" in out and err == ""


def test_check_fails_and_lists_what_is_left(tmp_path: Path) -> None:
    """A kept phone number stays in the output: --check reports it and fails (exit status 1)."""
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 personal identifier"):
        call_command(
            "redact", str(path), "--keep", "13905981234", "--check", stdout=io.StringIO(), stderr=err
        )
    assert f"{path}:" in err.getvalue() and "phone: 13905981234" in err.getvalue()


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "missing.txt"))


def test_reads_stdin_when_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXT))
    out, _err = run()
    assert "张某" in out and "13905981234" not in out


def test_exit_status_1_through_manage_py() -> None:
    """Through manage.py: --check exits 1 when an identifier is left (here a kept ID number)."""
    command = [sys.executable, str(ROOT / "manage.py"), "redact", "--check", "--keep", ID]
    done = subprocess.run(command, input=TEXT, capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 1
    assert "id_number" in done.stderr and "张某" in done.stdout
