"""The published OpenAPI schema: committed file equals the generated one; docs page served offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhifa.core.api_testing import API
from zhifa.core.management.commands.export_openapi import schema_text

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def test_committed_schema_equals_generated():
    """CI diffs the committed schema (DESIGN.md); regenerate with `make schema` after changing the API."""
    call_command("export_openapi", str(COMMITTED), "--check")


def test_check_fails_with_a_diff_summary_when_out_of_date(tmp_path, capsys):
    stale = tmp_path / "openapi.json"
    schema = json.loads(schema_text())
    del schema["paths"][f"{API}/me"]
    stale.write_text(
        json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"out of date \(\d+ lines added, 0 removed\)"):
        call_command("export_openapi", str(stale), "--check")
    assert "/api/v1/me" in capsys.readouterr().err
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_openapi", str(tmp_path / "missing.json"), "--check")


def test_export_writes_sorted_indented_json(tmp_path):
    target = tmp_path / "out" / "openapi.json"
    call_command("export_openapi", str(target))
    text = target.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    call_command("export_openapi", str(target), "--check")


@pytest.mark.django_db
def test_schema_is_served_without_login_and_lists_the_endpoints():
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = set(schema["paths"])
    for path in (
        "/org/regions",
        "/org/people",
        "/org/grid-cells/locate",
        "/certificates",
        "/certificates/verify/{number}",
        "/me",
    ):
        assert f"{API}{path}" in paths
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"scheme": "bearer", "type": "http"}
    # The public verification declares no security; the rest require authentication.
    assert schema["paths"][f"{API}/certificates/verify/{{number}}"]["get"].get("security") in (None, [])
    assert schema["paths"][f"{API}/org/people"]["get"]["security"]


@pytest.mark.django_db
def test_docs_page_loads_nothing_from_the_internet():
    """Government intranets have no internet (DESIGN.md): Swagger UI comes from local static files."""
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert not [s for s in sources if re.match(r"^(https?:)?//", s)]
    assert not re.search(r"https?://", html)
