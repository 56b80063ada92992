"""The public portal of draws: what is shown when, draw.json, algorithm.py and the stand-alone checker."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.inspections import draw_algorithm
from zhifa.inspections.models import DrawState, Visit, VisitResult
from zhifa.inspections.services.draws import draw_cancel
from zhifa.inspections.tests.test_draw_pages import committed, drawn, make_draw

PORTAL = "/portal/inspections/draws/"
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify_draw.py"


def _verify(tmp_path: Path, data: dict | bytes, algorithm: bytes) -> subprocess.CompletedProcess:
    draw_file, algo_file = tmp_path / "draw.json", tmp_path / "algorithm.py"
    draw_file.write_bytes(data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode())
    algo_file.write_bytes(algorithm)
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(draw_file), str(algo_file)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_draft_is_not_public_and_committed_hides_the_seed(client, insp):
    draft = make_draw(insp, title="草稿任务")
    assert client.get(f"{PORTAL}{draft.pk}/").status_code == 404
    assert client.get(f"{PORTAL}{draft.pk}/draw.json").status_code == 404
    assert "草稿任务" not in client.get(PORTAL).content.decode()

    draw = committed(insp)
    response = client.get(f"{PORTAL}{draw.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    assert draw.pool_hash in html and draw.seed_commitment in html
    assert draw.seed not in html and "抽取后公开" in html
    # The task: items, period, ratio and the rules' floor; the pools: subjects, inspectors by certificate.
    assert insp.items["M1"].name in html and draw.period_start.isoformat() in html
    assert 'data-testid="draw-ratio">0.5' in html and "规则下限 0.1" in html
    for subject in draw.subject_pool:
        assert subject["uscc"] in html
    for inspector in draw.inspector_pool:
        assert inspector["name"] in html and inspector["certificate"] in html
    assert 'data-testid="draw-result"' not in html

    data = json.loads(client.get(f"{PORTAL}{draw.pk}/draw.json").content)
    assert data["seed"] is None and data["result"] is None
    assert draw.seed not in json.dumps(data)
    assert data["seed_commitment"] == draw.seed_commitment and data["pool_hash"] == draw.pool_hash

    area = client.get(f"{PORTAL}area/{insp.county.county.adcode}/")
    assert area.status_code == 200 and draw.title in area.content.decode()
    assert 'data-testid="portal-menu"' in area.content.decode()
    assert client.get(f"{PORTAL}area/999999999999/").status_code == 404
    assert client.get(f"{PORTAL}area/{insp.county.county.adcode[:6]}/").status_code == 404


def test_drawn_shows_seed_result_and_published_visit_results(client, insp, other_insp):
    draw = drawn(insp)
    visit = Visit.objects.filter(draw=draw).first()
    Visit.objects.filter(pk=visit.pk).update(
        result=VisitResult.PASS, published_at=draw.drawn_at, state="done"
    )  # results are published by the visit services; only their display is tested here
    html = client.get(f"{PORTAL}{draw.pk}/").content.decode()
    assert draw.seed in html and 'data-testid="draw-result"' in html
    for row in draw.result:
        assert row["name"] in html
        for member in row["inspectors"]:
            assert member["certificate"] in html
    assert html.count('data-testid="visit-result"') == 1 and "未发现问题" in html
    assert visit.code not in html  # the visit's code is the subject's key (rating), not published
    assert "/inspections/visits/" not in html  # no staff links on the portal

    other = drawn(other_insp, title="他县任务")
    listing = client.get(f"{PORTAL}area/{insp.county.county.adcode}/").content.decode()
    assert draw.title in listing and "他县任务" not in listing
    assert other.title in client.get(PORTAL).content.decode()


def test_cancelled_after_commitment_stays_public_without_seed(client, insp):
    draw = committed(insp)
    draw = draw_cancel(actor=insp.user("market-leader"), draw=draw, version=draw.version)
    assert draw.state == DrawState.CANCELLED
    html = client.get(f"{PORTAL}{draw.pk}/").content.decode()
    assert draw.seed_commitment in html and draw.seed not in html
    assert json.loads(client.get(f"{PORTAL}{draw.pk}/draw.json").content)["seed"] is None


def test_downloads_rerun_with_the_script(client, insp, tmp_path):
    draw = drawn(insp, ratio=Decimal("1"))
    algorithm = client.get(f"{PORTAL}algorithm.py")
    assert algorithm.status_code == 200 and algorithm["Content-Type"].startswith("text/x-python")
    assert algorithm.content == Path(draw_algorithm.__file__).read_bytes()
    script = client.get(f"{PORTAL}verify_draw.py")
    assert script.status_code == 200 and script.content == SCRIPT.read_bytes()
    raw = client.get(f"{PORTAL}{draw.pk}/draw.json").content

    ok = _verify(tmp_path, raw, algorithm.content)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    for check in ("algorithm", "pool_hash", "sample_size", "commitment", "result"):
        assert any(line.split()[:2] == ["OK", check] for line in ok.stdout.splitlines()), ok.stdout
    assert "MISMATCH" not in ok.stdout

    # As the portal tells the public: the three downloads in one folder, no second argument.
    (tmp_path / "verify_draw.py").write_bytes(script.content)
    alone = subprocess.run(
        [sys.executable, "verify_draw.py", "draw.json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert alone.returncode == 0 and "OK: the draw is reproducible" in alone.stdout, alone.stdout

    data = json.loads(raw)
    tampered = {
        "pool_hash": dict(data, subject_pool=data["subject_pool"][1:]),
        "commitment": dict(data, seed="0" * 64),
        "result": dict(data, result=list(reversed(data["result"]))),
        "sample_size": dict(data, sample_size=data["sample_size"] - 1),
    }
    for check, bad in tampered.items():
        run = _verify(tmp_path, bad, algorithm.content)
        assert run.returncode == 1, (check, run.stdout)
        assert any(line.split()[:2] == ["MISMATCH", check] for line in run.stdout.splitlines()), run.stdout

    # A doctored algorithm is caught too (it would give another pool hash or result).
    doctored = algorithm.content.replace(b"f\"{seed}:{s['uscc']}\"", b"f\"{s['uscc']}:{seed}\"")
    assert doctored != algorithm.content
    assert _verify(tmp_path, raw, doctored).returncode == 1


def test_committed_draw_checks_out_so_far(client, insp, tmp_path):
    draw = committed(insp)
    raw = client.get(f"{PORTAL}{draw.pk}/draw.json").content
    run = _verify(tmp_path, raw, client.get(f"{PORTAL}algorithm.py").content)
    assert run.returncode == 0, run.stdout
    assert "SKIP     commitment" in run.stdout and "OK       pool_hash" in run.stdout


def test_portal_detail_queries_do_not_grow_with_pools(client, insp):
    small = drawn(insp, title="小", ratio=Decimal("0.5"))  # B and C: 6 subjects, 3 drawn
    big = drawn(insp, title="大", ratio=Decimal("1"), subject_filter={})  # all 10 subjects
    assert len(big.result) > len(small.result)
    client.get(f"{PORTAL}{small.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{PORTAL}{small.pk}/")
    with CaptureQueriesContext(connection) as many:
        client.get(f"{PORTAL}{big.pk}/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_portal_list_queries_do_not_grow_with_rows(client, insp):
    for i in range(2):
        committed(insp, title=f"公示{i}")
    client.get(PORTAL)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(PORTAL).context["page"].object_list) == 2
    for i in range(2, 10):
        make_draw(insp, title=f"草稿{i}")
        committed(insp, title=f"公示{i}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(PORTAL).context["page"].object_list) == 10
    assert len(many.captured_queries) == len(few.captured_queries)
