"""Public portal pages of double-random draws (no login), under /portal/inspections/draws/.

GO118 (四) publishes the random-check task and lists before enforcement and (六) the results after: a
committed draw shows its task, both frozen pools, the pools' hash and the seed's commitment; once drawn,
also the seed, the result and the visits' published results. draw.json holds everything needed to re-run
the draw, algorithm.py the algorithm's source and verify_draw.py a stdlib script that checks it all, so
anyone can confirm the organiser neither chose the seed after seeing the pools nor changed them.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.disclosure.selectors.portal_area import public_area_or_404
from zhifa.disclosure.views.portal_common import portal_cache, portal_context
from zhifa.inspections import draw_algorithm
from zhifa.inspections.selectors import draws as sel

VERIFY_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "verify_draw.py"


@portal_cache
def portal_draw_list(request: HttpRequest) -> HttpResponse:
    """The published draws of all areas, newest commitment first."""
    context = {"page": sel.public_draw_list(None, page=request.GET.get("page") or 1)}
    return render(request, "inspections/portal_draw_list.html", context)


@portal_cache
def portal_draw_area(request: HttpRequest, adcode: str) -> HttpResponse:
    """The published draws of a county or township, inside the area's portal frame."""
    area = public_area_or_404(adcode)
    context = portal_context(request, area)
    context["page"] = sel.public_draw_list(area, page=request.GET.get("page") or 1)
    return render(request, "inspections/portal_draw_list.html", context)


@portal_cache
def portal_draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One published draw: task, pools, hash, commitment; after the draw the seed and the result."""
    draw = sel.public_draw_or_404(pk)
    context = portal_context(request, draw.region)
    context.update({"draw": draw, "view": sel.draw_view(draw)})
    return render(request, "inspections/portal_draw_detail.html", context)


@portal_cache
def portal_draw_json(request: HttpRequest, pk: int) -> HttpResponse:
    """draw.json: the published data needed to re-run the draw (no seed before the draw)."""
    draw = sel.public_draw_or_404(pk)
    body = json.dumps(sel.draw_export(draw), ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="draw-{draw.pk}.json"'
    return response


def _source(path: Path, filename: str) -> HttpResponse:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise Http404 from exc
    response = HttpResponse(text, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@portal_cache
def portal_draw_algorithm(request: HttpRequest) -> HttpResponse:
    """The source of the draw algorithm ("zhifa-draw-v1"), exactly as the server runs it."""
    return _source(Path(draw_algorithm.__file__), "algorithm.py")


@portal_cache
def portal_draw_verifier(request: HttpRequest) -> HttpResponse:
    """The stand-alone checker (stdlib only): python verify_draw.py draw.json algorithm.py."""
    return _source(VERIFY_SCRIPT, "verify_draw.py")
