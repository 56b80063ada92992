"""A clue's photo, served only to those who may read the clue (issue 4: never served out of scope).

The file is found by the photo's id: its path was built by the photo service from the SHA-256 of
the content, never from anything a user typed. Outsiders get a 404 (the photo's existence is not
revealed); the content type is the one sniffed and stored at upload, with nosniff.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from zhifa.intake.models import CluePhoto
from zhifa.intake.selectors.clues import my_clues
from zhifa.intake.services.photos import photo_path
from zhifa.org.scoping import visible


def readable_photo(user, pk: int) -> CluePhoto:
    """The photo if the user may read its clue (org.scoping through Clue) or reported it; else 404."""
    photo = visible(CluePhoto.objects.all(), user).filter(pk=pk).first()
    if photo is None:
        photo = CluePhoto.objects.filter(pk=pk, clue__in=my_clues(user).values("pk")).first()
    if photo is None:
        raise Http404
    return photo


@login_required
@require_GET
def clue_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = readable_photo(request.user, pk)
    path = photo_path(photo).resolve()
    root = Path(settings.MEDIA_ROOT).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{photo.sha256[:16]}{path.suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
