"""The case file as one PDF for supervisors (APL Art. 47; GO118 (九) tamper-proof, (十) retrieval).

The Longcheng story (seed 000) is run once for the module, to closing, through the real services in the
demo county; its stored files are copied into each test's media folder, and each test runs in its own
savepoint, so that a test may delete or alter files and rows.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from zhifa.cases.casefile import DOCUMENT, casefile_order
from zhifa.cases.documents.storage import absolute
from zhifa.cases.models import Evidence
from zhifa.cases.scenarios import Run, run_story
from zhifa.core.models import ChainHead, Event
from zhifa.org.generate.demo import DEMO_ADCODE
from zhifa.org.models import Region
from zhifa.supervision.casefile_export import export_casefile
from zhifa.supervision.tests.test_record_world import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


@dataclass
class Story:
    run: Run
    media: Path


@pytest.fixture(scope="module")
def story(django_db_setup, django_db_blocker, tmp_path_factory):
    from zhifa.org.generate.demo import load_demo
    from zhifa.powers.demo import load_power_demo

    media = tmp_path_factory.mktemp("longcheng-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        county = Region.objects.get(adcode=DEMO_ADCODE)
        load_power_demo(county)
        yield Story(run_story("longcheng", county, until="closed"), media)
        transaction.set_rollback(True)


@pytest.fixture
def run(story, db, settings) -> Run:
    shutil.copytree(story.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return story.run


def pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def squeeze(text: str) -> str:
    """Text without white space (a long hash may be wrapped by the PDF's layout)."""
    return re.sub(r"\s+", "", text)


def documents(run: Run) -> list:
    return [entry.document for entry in casefile_order(run.case) if entry.kind == DOCUMENT]


def outline(content: bytes) -> list[tuple[str, int]]:
    """The PDF's bookmarks: (title, first page index)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def section(content: bytes, pages: list[str], title: str) -> tuple[int, str]:
    """The first page of the part titled `title` (by the bookmarks) and its text up to the next part."""
    marks = outline(content)
    for n, (name, start) in enumerate(marks):
        if name == title:
            end = marks[n + 1][1] if n + 1 < len(marks) else len(pages)
            return start, "\n".join(pages[start:end])
    raise AssertionError(f"no part titled {title}")


def test_case_file_has_cover_index_documents_timeline_and_manifest(run):
    """APL Art. 47 and GO118 (九): every document in the legal order from its stored, checked PDF, an
    index with page numbers, the record's events, and each file's and event's hash in the manifest."""
    case, user = run.case, run.cast.justice
    events_before = Event.objects.count()
    export = export_casefile(user, case.pk)
    # Exporting is a read: no record event.
    assert Event.objects.count() == events_before
    pages = pdf_pages(export.content)
    assert len(pages) == export.pages
    index_at, index = section(export.content, pages, "卷宗目录")
    assert index_at == 1 and "行政执法案卷" in squeeze(pages[0]) and case.code in pages[0]
    timeline_at, timeline = section(export.content, pages, "执法全过程记录")
    manifest_at, manifest = section(export.content, pages, "校验清单")
    index = squeeze(index)
    bound = documents(run)
    assert len(bound) >= 8
    # More pages than the cover and the index: the documents, the timeline, the manifest.
    assert len(pages) > manifest_at > timeline_at > index_at + len(bound)
    titles = [title for title, _start in outline(export.content)]
    assert titles[:2] == ["卷宗封面", "卷宗目录"] and titles[-2:] == ["执法全过程记录", "校验清单"]
    # The index lists the documents in the legal order, then the timeline and the manifest.
    found = [index.find(squeeze(d.title), index.find("题名")) for d in bound]
    assert all(position > 0 for position in found), [d.title for d in bound]
    assert found == sorted(found)
    assert index.index("执法全过程记录") > found[-1] and index.index("校验清单") > found[-1]
    # Its page numbers are where the parts are (1-based; the bookmarks are 0-based).
    assert re.search(r"执法全过程记录(\d+)-", index).group(1) == str(timeline_at + 1)
    assert re.search(r"校验清单(\d+)-", index).group(1) == str(manifest_at + 1)
    # Each document's pages come from its stored PDF (its number is on its first page).
    for document in bound:
        if document.number:
            assert any(
                squeeze(document.number) in squeeze(text) for text in pages[index_at + 1 : timeline_at]
            )
    manifest = squeeze(manifest)
    for document in bound:
        assert document.sha256 in manifest
    for event in Event.objects.filter(object_type="cases.case", object_id=str(case.pk)):
        assert event.hash in manifest
    for evidence in Evidence.objects.filter(case=case).exclude(sha256=""):
        assert evidence.sha256 in manifest
    assert ChainHead.objects.get(pk=1).hash in manifest
    assert user.person.name in manifest
    events = Event.objects.filter(object_type="cases.case", object_id=str(case.pk)).count()
    assert f"已校验：{events}条记录哈希一致，链接完整" in squeeze(timeline)


def test_view_streams_the_pdf_named_after_the_case(client, run):
    client.force_login(run.cast.justice)
    response = client.get(reverse("supervision-case-file", args=[run.case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{run.case.code}-casefile.pdf"' in disposition
    assert f"filename*=UTF-8''{run.case.code}-%E5%8D%B7%E5%AE%97.pdf" in disposition  # 卷宗, RFC 5987
    assert response.content.startswith(b"%PDF")


def test_missing_or_altered_files_are_marked_never_skipped(run):
    """GO118 (九): a document whose file is gone or changed is not bound, but its place, the index and
    the manifest say so, and the export still succeeds; an altered evidence file is marked too."""
    bound = documents(run)
    gone, changed = bound[0], bound[-1]
    absolute(gone.file).unlink()
    absolute(changed.file).write_bytes(b"%PDF-1.4 forged")
    # A photo (records issued as documents are evidence too, sharing the document's file).
    evidence = (
        Evidence.objects.filter(case=run.case)
        .exclude(file="")
        .exclude(file__in=[d.file for d in bound])
        .first()
    )
    assert evidence is not None
    absolute(evidence.file).write_bytes(b"not the photo")
    export = export_casefile(run.cast.justice, run.case.pk)
    pages = pdf_pages(export.content)
    _at, index = section(export.content, pages, "卷宗目录")
    index = squeeze(index)
    assert index.count("未装入") == 2
    assert "【未装入：文件缺失】" in index and "【未装入：校验不符】" in index
    _at, placeholder = section(export.content, pages, gone.title)  # in its place in the order
    assert "【未装入：文件缺失】" in squeeze(placeholder) and gone.sha256 in squeeze(placeholder)
    _at, manifest = section(export.content, pages, "校验清单")
    manifest = squeeze(manifest)
    assert gone.sha256 in manifest and changed.sha256 in manifest
    assert "文件缺失" in manifest and manifest.count("校验不符") >= 2  # the document and the evidence file
    assert "3个文件缺失或校验不符" in squeeze(pages[0])


def test_an_edited_event_is_named_in_the_exported_timeline(run):
    event = Event.objects.filter(object_type="cases.case", object_id=str(run.case.pk)).order_by("seq")[3]
    Event.objects.filter(pk=event.pk).update(data=event.data.replace('"after":', '"after" :', 1))
    export = export_casefile(run.cast.justice, run.case.pk)
    pages = pdf_pages(export.content)
    _at, timeline = section(export.content, pages, "执法全过程记录")
    assert f"校验失败：第{event.seq}条记录的哈希与内容不符" in squeeze(timeline)
