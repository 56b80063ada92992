"""Document files and transactions, with real commits and rollbacks (transactional tests): a file is
kept when its transaction commits and removed when it, or the savepoint it was written in, rolls back;
issuing outside a transaction is refused (the number and the file belong to the caller's step)."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhifa.cases.documents import issue_document
from zhifa.cases.documents.storage import write_case_file
from zhifa.cases.models import CaseDocument, DocType
from zhifa.cases.tests.doc_helpers import DAY, StepFailed, build_case, officer

pytestmark = pytest.mark.django_db(transaction=True)


def _issue(case, county):
    return issue_document(
        case=case, doc_type=DocType.PENALTY_DECISION, extra={}, actor=officer(county), on_date=DAY
    )


def test_issuing_outside_a_transaction_is_refused(county, media):
    case = build_case(county)
    with pytest.raises(RuntimeError):
        _issue(case, county)
    assert not CaseDocument.objects.exists()
    assert not (media / "cases").exists()


def test_a_committed_document_keeps_its_file(county, media):
    case = build_case(county)
    with transaction.atomic():
        document = _issue(case, county)
    assert (media / document.file).is_file()
    assert CaseDocument.objects.get().number == "东湖综执罚决字〔2026〕第1号"


def test_a_rolled_back_transaction_removes_its_file_and_frees_the_number(county, media):
    case = build_case(county)
    with pytest.raises(StepFailed), transaction.atomic():
        document = _issue(case, county)
        path = media / document.file
        assert path.is_file()
        raise StepFailed
    assert not path.exists()
    assert not CaseDocument.objects.exists()
    with transaction.atomic():
        assert _issue(case, county).number == "东湖综执罚决字〔2026〕第1号"


def test_a_rolled_back_savepoint_removes_only_its_own_file(county, media):
    case = build_case(county)
    with transaction.atomic():
        kept = _issue(case, county)
        with pytest.raises(StepFailed), transaction.atomic():
            dropped = _issue(case, county)
            raise StepFailed
        assert not (media / dropped.file).exists()
    assert (media / kept.file).is_file()
    assert list(CaseDocument.objects.values_list("number", flat=True)) == ["东湖综执罚决字〔2026〕第1号"]


def test_a_file_written_outside_a_transaction_stays(media):
    path = write_case_file("cases/7/archive-20260701-abc.pdf", b"%PDF-1.7 test")
    assert path.read_bytes() == b"%PDF-1.7 test"
    with pytest.raises(ValueError):
        write_case_file("cases/7/../../../etc/x.pdf", b"x")
