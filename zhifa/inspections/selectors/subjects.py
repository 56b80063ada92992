"""Reading inspection subjects (检查对象): the filtered list, one subject with its visits and recusals.

Subjects are registered market entities (public register data): everyone in the county reads them
through data scoping (Subject.scope_rule is a directory rule), another county's subject is a 404. Its
visits are read through their own scoping, so a department sees the visits it organised or joined.
Queries per list page do not depend on the page size (select_related for every column shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from zhifa.inspections import policies
from zhifa.inspections.models import (
    Industry,
    InspectorConflict,
    RiskLevel,
    Subject,
    SubjectKind,
    Visit,
)
from zhifa.org.models import Person, PersonStatus, Region, RoleCode
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.org.scoping import get_visible_or_404, has_role, person_of, visible
from zhifa.org.selectors.people import PAGE_SIZE_DEFAULT, clamp_page_size

MAX_TERMS = 5  # each word costs one LIKE per field; more words add nothing
LIST_FILTERS = ("q", "township", "industry", "risk_level", "kind")


def subject_queryset() -> QuerySet[Subject]:
    """Subjects with what list rows and the detail page show, in one query."""
    return Subject.objects.select_related("industry", "township", "grid_cell")


def _pk(text: str) -> int:
    """A primary key from a query parameter; garbage (or a number too big for a key) gives 0: no match."""
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def _filtered(
    user: Any,
    *,
    q: str | None = None,
    township: str | None = None,
    industry: str | None = None,
    risk_level: str | None = None,
    kind: str | None = None,
) -> QuerySet[Subject]:
    subjects = visible(subject_queryset(), user)
    for term in (q or "").split()[:MAX_TERMS]:
        subjects = subjects.filter(Q(name__icontains=term) | Q(uscc__icontains=term.upper()))
    # Unknown filter values match nothing, so a typo never shows more than asked.
    if township:
        subjects = subjects.filter(township_id=_pk(township))
    if industry:
        subjects = subjects.filter(industry_id=_pk(industry))
    if risk_level:
        subjects = (
            subjects.filter(risk_level=risk_level) if risk_level in RiskLevel.values else subjects.none()
        )
    if kind:
        subjects = subjects.filter(kind=kind) if kind in SubjectKind.values else subjects.none()
    return subjects.order_by("township__adcode", "name", "id")


def subject_list(
    user: Any,
    *,
    q: str | None = None,
    township: str | None = None,
    industry: str | None = None,
    risk_level: str | None = None,
    kind: str | None = None,
    page: int | str | None = 1,
    page_size: int | str | None = PAGE_SIZE_DEFAULT,
) -> Page:
    """One page of the subjects `user` may read, filtered.

    q: words each found in the name or the USCC; township, industry: primary keys; risk_level: A-D;
    kind: a SubjectKind value.
    """
    subjects = _filtered(user, q=q, township=township, industry=industry, risk_level=risk_level, kind=kind)
    return Paginator(subjects, clamp_page_size(page_size)).get_page(page)


def subject_detail(user: Any, pk: int) -> Subject:
    """One subject the user may read (404 otherwise, also for another county's subject)."""
    return get_visible_or_404(subject_queryset(), user, pk=pk)


def subject_visits(user: Any, subject: Subject) -> list[Visit]:
    """The subject's visits the user may read, newest first, with the organising agency."""
    visits = Visit.objects.filter(subject_id=subject.pk).select_related("agency", "scenario")
    return list(visible(visits, user).order_by("-planned_on", "-id"))


def subject_conflicts(subject: Subject) -> list[InspectorConflict]:
    """The recusal declarations on the subject (APL Art. 43), with the person and their agency.

    Whoever may read the subject sees who must not inspect it: the draw and the team leaders rely on it.
    """
    return list(
        InspectorConflict.objects.filter(subject_id=subject.pk)
        .select_related("person__agency")
        .order_by("created_at", "id")
    )


def conflict_people(user: Any) -> QuerySet[Person]:
    """The people `user` may declare a recusal for: themself, and as a team leader their agency's people
    (the rule of services.subjects.conflict_declare)."""
    people = Person.objects.filter(status=PersonStatus.ACTIVE).select_related("agency")
    if getattr(user, "is_superuser", False):
        return visible(people, user).order_by("name", "id")
    own = person_of(user)
    allowed = Q(pk=own.pk) if own is not None else Q(pk__in=[])
    if has_role(user, RoleCode.TEAM_LEADER):
        allowed |= Q(agency_id__in=sorted(policies.own_agencies(user)))
    return people.filter(allowed).order_by("name", "id")


@dataclass
class SubjectFilterOptions:
    townships: list[Region]
    industries: list[Industry]
    risk_levels: list[tuple[str, str]]
    kinds: list[tuple[str, str]]


def readable_townships(user: Any) -> QuerySet[Region]:
    """Township-level regions the user may read (their county's directory)."""
    return visible(Region.objects.filter(level__in=TOWNSHIP_LEVELS), user).order_by("adcode")


def editable_townships(user: Any) -> list[Region]:
    """Townships in which `user` may register and edit subjects (policies.can_edit_subjects)."""
    return [t for t in readable_townships(user) if policies.can_edit_subjects(user, t)]


def subject_filter_options(user: Any) -> SubjectFilterOptions:
    """Choices for the filter bar."""
    return SubjectFilterOptions(
        townships=list(readable_townships(user)),
        industries=list(Industry.objects.order_by("code")),
        risk_levels=list(RiskLevel.choices),
        kinds=list(SubjectKind.choices),
    )
