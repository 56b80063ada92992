"""The intake part of the demo county: categories linked to their domains and usual items, a few step
time limits, and 40 clues round every status of the closed loop (issue 4).

Seeds 000-003 tell what grid workers, the 12345 hotline and the public report (street trading, refuse,
fire hazards, electric fishing, river sand, work safety ...). Each clue is made by the real services
with the demo users: reported by a grid worker of its community (or by the dispatcher from the hotline,
or by the public without login) at a representative point of one of its micro grids, classified with
the category's usual items, routed by the competence resolver (the township's team, the joint meeting
or a clue transfer to the department), then signed for, handled, fed back, verified, closed and
evaluated as far as its status needs. Some are overdue, one is sent back, one reopened after a failed
verification, one waits for the joint meeting, one is merged into a duplicate, two are dismissed.

A working week at a glance: after the services made a clue, its step times are moved into the past
(minutes to days, from a fixed seed) so that the countdowns differ and some limits have passed; the
record events keep the moment of loading. Idempotent: nothing is done when the county already has
clues. Runs in the caller's transaction (load_demo) or its own.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape

from zhifa.intake.demo_clues import CATEGORY_ITEMS, CLUES, HANDLING, LIMITS, ClueSpec
from zhifa.intake.models import Clue, ClueCategory, ClueSource, ClueStatus, ClueStep, StepKind
from zhifa.intake.services import dispatch, loop
from zhifa.intake.services.categories import category_link, step_limit_set
from zhifa.intake.services.report import ClueInput, clue_report, clue_report_public
from zhifa.org.models import EnforcementDomain, GridCell, GridLevel, Person, PersonStatus, Region, RoleCode
from zhifa.org.models.structure import TOWNSHIP_LEVELS
from zhifa.powers.models import Claim, PowerItem
from zhifa.powers.resolver import grant_list_in_force

SEED = 20260401
# Minutes between one step and the one before it (a range; the seed picks within it).
GAPS: dict[str, tuple[int, int]] = {
    StepKind.CLASSIFY: (3, 9),
    StepKind.DISPATCH: (1, 5),
    StepKind.JOINT: (1, 5),
    StepKind.TRANSFER: (1, 5),
    StepKind.ACCEPT: (4, 20),
    StepKind.SEND_BACK: (5, 20),
    StepKind.HANDLE: (60, 300),
    StepKind.FEEDBACK: (10, 60),
    StepKind.VERIFY: (60, 240),
    StepKind.REOPEN: (60, 240),
    StepKind.CLOSE: (10, 60),
    StepKind.EVALUATE: (60, 600),
    StepKind.MERGE: (5, 20),
    StepKind.DISMISS: (5, 20),
}
# Steps that do not restart the running step's clock (services.common.transition).
NO_CLOCK = {StepKind.CLASSIFY, StepKind.EVALUATE}


@dataclass
class IntakeDemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Context:
    county: Region
    townships: list[Region]
    dispatcher: Any
    claimed: set[tuple[int, str]]
    items: dict[str, PowerItem]
    rng: random.Random
    county_centre: tuple[float, float] = (0.0, 0.0)
    cells: dict[int, list[GridCell]] = field(default_factory=dict)  # township id -> micro grids
    made: dict[str, Clue] = field(default_factory=dict)
    people: dict[tuple[int, str], list[Person]] = field(default_factory=dict)
    categories: dict[str, ClueCategory] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, username: str) -> Any:
        if username not in self.users:
            self.users[username] = _user(username)
        return self.users[username]

    ages: list[tuple[Clue, float]] = field(default_factory=list)


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username, is_active=True).first()


def _people(ctx: _Context, township: Region, role: str) -> list[Person]:
    """Active people with an account of `role` in the township or its communities (cached)."""
    key = (township.pk, role)
    if key not in ctx.people:
        ctx.people[key] = list(
            Person.objects.filter(
                roles__code=role, status=PersonStatus.ACTIVE, user__isnull=False, user__is_active=True
            )
            .filter(Q(region=township) | Q(region__parent=township))
            .select_related("user", "region")
            .order_by("pk")
        )
    return ctx.people[key]


def link_categories(*, actor: Any = None) -> int:
    """Give the default categories their domain and usual items where they have none yet."""
    domains = {d.code: d for d in EnforcementDomain.objects.all()}
    items = {
        i.code: i
        for i in PowerItem.objects.filter(code__in=[c for cs in CATEGORY_ITEMS.values() for c in cs])
    }
    linked = 0
    from zhifa.intake.categories import DEFAULT_CATEGORIES

    domain_of = {code: domain for code, _name, domain, _sort in DEFAULT_CATEGORIES}
    for category in ClueCategory.objects.filter(code__in=list(CATEGORY_ITEMS)).prefetch_related("items"):
        if category.domain_id is not None or category.items.exists():
            continue  # configured already: the demo does not override an administrator
        chosen = [items[c] for c in CATEGORY_ITEMS[category.code] if c in items]
        domain = domains.get(domain_of.get(category.code, ""))
        if domain is None and not chosen:
            continue
        category_link(actor=actor, category=category, domain=domain, items=chosen)
        linked += 1
    return linked


def set_limits(*, actor: Any = None) -> int:
    """The demo's time limits for a few categories (fire hazards are urgent; street trading is quick)."""
    categories = {c.code: c for c in ClueCategory.objects.filter(code__in=[row[0] for row in LIMITS])}
    made = 0
    for code, step, minutes in LIMITS:
        category = categories.get(code)
        if category is None or category.limits.filter(step=step, priority="").exists():
            continue
        step_limit_set(actor=actor, category=category, step=step, minutes=minutes)
        made += 1
    return made


def _claimed(county: Region, today: datetime.date) -> set[tuple[int, str]]:
    """(township id, item code) the township is competent for today (as the resolver decides it)."""
    grant_list = grant_list_in_force(county, today)
    if grant_list is None:
        return set()
    claims = Claim.objects.filter(grant_list=grant_list, claimed_on__lte=today).exclude(
        withdrawn_on__lte=today
    )
    return set(claims.values_list("township_id", "item__code"))


def _agency_key(ctx: _Context, township: Region, code: str) -> str:
    return "township" if (township.pk, code) in ctx.claimed else ctx.items[code].domain.code


def _pick_items(ctx: _Context, spec: ClueSpec, township: Region) -> list[PowerItem] | None:
    """Items that give the spec's route in `township` (those its text describes first; None if none do)."""

    def usable(codes: tuple[str, ...], shuffle: bool = True) -> list[str]:
        known = [c for c in codes if c in ctx.items and ctx.items[c].domain_id]
        return ctx.rng.sample(known, len(known)) if shuffle else known

    preferred = usable(spec.items, shuffle=False)
    codes = preferred + [c for c in usable(CATEGORY_ITEMS.get(spec.category, ())) if c not in preferred]
    if spec.route == "joint":
        others = preferred + usable(CATEGORY_ITEMS.get(spec.second, ()))
        for a in codes:
            for b in others:
                if a != b and _agency_key(ctx, township, a) != _agency_key(ctx, township, b):
                    return [ctx.items[a], ctx.items[b]]
        return None
    for code in codes:
        by_township = _agency_key(ctx, township, code) == "township"
        if by_township == (spec.route == "team"):
            return [ctx.items[code]]
    return None


def _place(ctx: _Context, spec: ClueSpec) -> tuple[Region, list[PowerItem] | None]:
    """The township (the spec's, else the next one where the route works) and the clue's items."""
    if spec.near:
        township = ctx.made[spec.near].township
        return township, _pick_items(ctx, spec, township) if spec.route else None
    order = ctx.townships[spec.town :] + ctx.townships[: spec.town]
    for township in order:
        items = _pick_items(ctx, spec, township) if spec.route else None
        if not spec.route or items is not None:
            return township, items
    return ctx.townships[spec.town], None


def _micro_grids(ctx: _Context, township: Region) -> list[GridCell]:
    if township.pk not in ctx.cells:
        ctx.cells[township.pk] = list(
            GridCell.objects.filter(level=GridLevel.MICRO_GRID, region__parent=township)
            .exclude(geometry=None)
            .order_by("code")
        )
    return ctx.cells[township.pk]


def _report(ctx: _Context, spec: ClueSpec, township: Region) -> Clue:
    reporters = list(_people(ctx, township, RoleCode.GRID_WORKER))
    if township == ctx.townships[0]:
        demo = ctx.user("demo_grid_worker")
        reporters.sort(key=lambda p: p.user_id != getattr(demo, "pk", None))
    reporter = reporters[spec.reporter % len(reporters)] if reporters else None
    lng = lat = None
    if spec.near:
        lng, lat = ctx.made[spec.near].lng, ctx.made[spec.near].lat
    elif spec.outside:
        lng, lat = ctx.county_centre[0] + 0.45, ctx.county_centre[1] + 0.38
    elif not spec.no_position:
        cells = _micro_grids(ctx, township)
        if reporter is not None and spec.source == ClueSource.GRID:
            own = [c for c in cells if c.region_id == reporter.region_id]
            cells = own or cells
        point = shape(ctx.rng.choice(cells).geometry).representative_point()
        lng, lat = round(point.x, 6), round(point.y, 6)
    data = ClueInput(
        source=spec.source,
        category=ctx.categories[spec.category],
        text=spec.text,
        lng=lng,
        lat=lat,
        address=spec.address,
        region=None if spec.outside else township,
        priority=spec.priority,
        reporter_name=spec.contact[0] if spec.contact else "",
        reporter_phone=spec.contact[1] if spec.contact else "",
    )
    if spec.source == ClueSource.PUBLIC:
        return clue_report_public(data=data)
    actor = reporter.user if spec.source == ClueSource.GRID and reporter is not None else ctx.dispatcher
    return clue_report(actor=actor, data=data)


def _team_actors(ctx: _Context, township: Region) -> tuple[Any, Any]:
    """Who signs for and handles (an officer), and who feeds back (the team leader)."""
    if township == ctx.townships[0]:
        officer, leader = ctx.user("demo_officer"), ctx.user("demo_team_leader")
        if officer is not None and leader is not None:
            return officer, leader
    leaders = _people(ctx, township, RoleCode.TEAM_LEADER)
    officers = [p for p in _people(ctx, township, RoleCode.OFFICER) if p.team_id is not None] or leaders
    return officers[0].user, (leaders or officers)[0].user


def _walk(ctx: _Context, spec: ClueSpec, clue: Clue, items: list[PowerItem] | None) -> Clue:
    """Take the clue through the services as far as its spec says."""
    dispatcher = ctx.dispatcher
    if spec.status == ClueStatus.DISMISSED:
        return dispatch.clue_dismiss(actor=dispatcher, clue=clue, reason=spec.note)
    if spec.status == ClueStatus.MERGED:
        return dispatch.clue_merge(actor=dispatcher, clue=clue, into=ctx.made[spec.near])
    if not items:
        return clue
    clue = dispatch.clue_classify(actor=dispatcher, clue=clue, items=items)
    if spec.status == ClueStatus.REPORTED and not spec.send_back:
        return clue
    clue = dispatch.clue_dispatch(actor=dispatcher, clue=clue, note=spec.dispatch_note)
    if clue.status != ClueStatus.DISPATCHED:
        return clue  # the joint meeting or a transfer
    officer, leader = _team_actors(ctx, clue.township)
    if spec.send_back:
        return loop.clue_send_back(actor=officer, clue=clue, reason=spec.note)
    reporter = clue.reported_by if clue.reported_by_id and clue.source == ClueSource.GRID else dispatcher
    result, handled, fed_back = HANDLING.get(spec.category, HANDLING["other"])
    steps = [
        (ClueStatus.DISPATCHED, lambda c: loop.clue_accept(actor=officer, clue=c)),
        (ClueStatus.HANDLING, lambda c: loop.clue_handle(actor=officer, clue=c, result=result, note=handled)),
        (ClueStatus.HANDLED, lambda c: loop.clue_feedback(actor=leader, clue=c, note=fed_back)),
        (
            ClueStatus.FED_BACK,
            lambda c: loop.clue_verify(actor=reporter, clue=c, passed=True, note="现场核查，已整改到位。"),
        ),
        (
            ClueStatus.VERIFIED,
            lambda c: loop.clue_close(actor=dispatcher, clue=c, note="经核查整改到位，予以结案。"),
        ),
    ]
    target = ClueStatus.FED_BACK if spec.reopen else spec.status
    for before, call in steps:
        if clue.status == target:
            break
        if clue.status == before:
            clue = call(clue)
    if spec.reopen and clue.status == ClueStatus.FED_BACK:
        # A failed verification on site reopens handling (the note says what is still wrong).
        return loop.clue_verify(actor=reporter, clue=clue, passed=False, note=spec.note)
    if spec.rating and clue.status == ClueStatus.CLOSED and clue.reported_by_id:
        clue = loop.clue_evaluate(
            actor=clue.reported_by, clue=clue, rating=spec.rating[0], comment=spec.rating[1]
        )
    return clue


def _age(ctx: _Context, clue: Clue, last_minutes: float) -> None:
    """Move the clue's steps into the past: the last `last_minutes` ago, the others GAPS apart."""
    steps = list(ClueStep.objects.filter(clue=clue).order_by("at", "id"))
    now = timezone.now()
    times = [now - datetime.timedelta(minutes=last_minutes)]
    for step in reversed(steps[1:]):
        low, high = GAPS.get(step.kind, (5, 30))
        times.insert(0, times[0] - datetime.timedelta(minutes=ctx.rng.uniform(low, high)))
    clock = datetime.timedelta(0)
    for step, at in zip(steps, times, strict=True):
        delta = at - step.at
        if step.due_at is not None:
            step.due_at += clock
        step.at = at
        step.late = step.due_at is not None and step.at > step.due_at
        is_merge_target = step.kind == StepKind.MERGE and "from" in (step.data or {})
        if step.kind not in NO_CLOCK and not is_merge_target:
            clock = delta
    ClueStep.objects.bulk_update(steps, ["at", "due_at", "late"])
    changes: dict[str, Any] = {"reported_at": times[0]}
    if clue.step_started_at is not None:
        changes["step_started_at"] = clue.step_started_at + clock
    if clue.step_due_at is not None:
        changes["step_due_at"] = clue.step_due_at + clock
    if clue.closed_at is not None:
        changes["closed_at"] = clue.closed_at + clock
    Clue.objects.filter(pk=clue.pk).update(**changes)


def load_intake_demo(county: Region) -> IntakeDemoResult:
    """Give the demo county its categories, limits and 40 clues; nothing when it has clues already."""
    if Clue.objects.filter(region__adcode__startswith=county.prefix).exists():
        return IntakeDemoResult(False)
    dispatcher = _user("demo_dispatcher")
    if dispatcher is None:
        return IntakeDemoResult(False)
    counts: Counter = Counter()
    with transaction.atomic():
        counts["intake.cluecategory"] += link_categories()
        counts["intake.steplimit"] += set_limits()
        townships = list(Region.objects.filter(parent=county, level__in=TOWNSHIP_LEVELS).order_by("adcode"))
        codes = {c for cs in CATEGORY_ITEMS.values() for c in cs} | {c for spec in CLUES for c in spec.items}
        ctx = _Context(
            county=county,
            townships=townships,
            dispatcher=dispatcher,
            claimed=_claimed(county, timezone.localdate()),
            items={
                i.code: i
                for i in PowerItem.objects.filter(code__in=codes, is_active=True).select_related("domain")
            },
            rng=random.Random(SEED),
            categories={c.code: c for c in ClueCategory.objects.all()},
        )
        ctx.county_centre = _centre(county, townships)
        for spec in CLUES:
            township, items = _place(ctx, spec)
            clue = _report(ctx, spec, township)
            clue = _walk(ctx, spec, clue, items)
            ctx.made[spec.key] = clue
            ctx.ages.append((clue, spec.last))
        for clue, last in ctx.ages:
            clue.refresh_from_db()
            _age(ctx, clue, last)
        for clue, _last in ctx.ages:
            counts[f"intake.clue.{clue.status}"] += 1
        counts["intake.clue"] += len(ctx.ages)
    return IntakeDemoResult(True, dict(counts))


def _centre(county: Region, townships: list[Region]) -> tuple[float, float]:
    """A point of the county's grid (the outside-grid clue lies well beyond it)."""
    cell = GridCell.objects.filter(region=county).exclude(geometry=None).first()
    if cell is None:
        cell = GridCell.objects.filter(region__in=townships).exclude(geometry=None).first()
    point = shape(cell.geometry).centroid
    return point.x, point.y
