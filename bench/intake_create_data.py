"""Data of the clue-creation benchmark (bench/intake_create.py): the demo county and a million clues.

`ensure_demo()` loads the demo county (zhifa.org.generate.demo.load_demo: 12 townships, 733 micro
grids) and the powers demo (zhifa.powers.demo.load_power_demo: the catalogue of 234 items, grant lists,
claims) when they are missing. `generate_clues(n)` then writes n clues as they would have piled up
over two years, with raw multi-row inserts in batches of 10,000 (PostgreSQL: COPY), not through the
ORM, in order of reporting time:

- position: a point inside a micro grid (points sampled inside each polygon), the grid's community
  and township as routing places them; busy grids get more clues (log-normal weights);
- time: uniform over the past 730 days; source: grid patrol 55 %, 12345 15 %, public form 10 %,
  inspection 8 %, hotline 5 %, Open311 4 %, referral 3 %; category: the 13 default categories with
  street trading and refuse the most frequent; text: one of the 440 labelled clue texts of
  zhifa/intake/data/classification_labelled.csv;
- status: clues older than 30 days are almost all final (closed 80 %, dismissed 8 %, transferred 6 %,
  merged 4 %, still open 2 %); newer ones spread over the open statuses; dispatched and later ones are
  assigned to their township's agency and team, closed ones carry a result and often a rating;
- steps: a `report` step (ClueStep) for every fifth clue.

No record events are written for them (the record's chain head is one row; its table's size does not
enter a new event's cost beyond one index insert). The generated clues' codes start with "XS" like real
ones; their tracking codes are distinct by construction.
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "zhifa" / "intake" / "data" / "classification_labelled.csv"
BATCH = 10_000
STEP_EVERY = 5  # one clue in five gets its report step
DAYS = 730
RECENT_DAYS = 30
SOURCES = (
    ("grid", 55),
    ("12345", 15),
    ("public", 10),
    ("inspection", 8),
    ("hotline", 5),
    ("open311", 4),
    ("referral", 3),
)
OLD_STATUSES = (
    ("closed", 80),
    ("dismissed", 8),
    ("transferred", 6),
    ("merged", 4),
    ("handling", 1),
    ("fed_back", 1),
)
RECENT_STATUSES = (
    ("reported", 12),
    ("dispatched", 10),
    ("handling", 18),
    ("handled", 8),
    ("fed_back", 8),
    ("verified", 4),
    ("joint", 2),
    ("closed", 30),
    ("dismissed", 4),
    ("transferred", 3),
    ("merged", 1),
)
CATEGORY_WEIGHTS = {"street-trading": 20, "refuse": 15, "illegal-building": 9, "pollution": 9, "other": 5}
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_MULTIPLIER = 492_876_847  # coprime with 31**10: n -> n*m mod 31**10 is a bijection


def clue_texts() -> list[str]:
    with open(TEXTS, encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def ensure_demo() -> Any:
    """The demo county and the powers demo (each loads only what is missing); the county's Region."""
    from zhifa.org.generate.demo import DEMO_ADCODE, load_demo
    from zhifa.org.models import Region
    from zhifa.powers.demo import load_power_demo
    from zhifa.powers.models import PowerItem

    load_demo()
    county = Region.objects.get(adcode=DEMO_ADCODE)
    if not PowerItem.objects.exists():
        load_power_demo(county)
    return county


def _encode(number: int, width: int) -> str:
    chars = []
    for _ in range(width):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def _choices(rng: random.Random, pairs, k: int) -> list:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=k)


def micro_grids(rng: random.Random, per_cell: int = 40) -> list[dict[str, Any]]:
    """Every micro grid with points inside it, its region and township (as routing places them)."""
    import numpy as np
    import shapely
    from shapely.geometry import shape

    from zhifa.intake import routing
    from zhifa.org.models import GridCell, GridLevel

    cells = []
    for cell in GridCell.objects.filter(level=GridLevel.MICRO_GRID, geometry__isnull=False).order_by("id"):
        polygon = shape(cell.geometry)
        x0, y0, x1, y1 = polygon.bounds
        points: list[tuple[float, float]] = []
        while len(points) < per_cell:
            xs = np.array([rng.uniform(x0, x1) for _ in range(per_cell * 2)])
            ys = np.array([rng.uniform(y0, y1) for _ in range(per_cell * 2)])
            inside = shapely.contains_xy(polygon, xs, ys)
            points += [(float(x), float(y)) for x, y, ok in zip(xs, ys, inside, strict=True) if ok]
        points = points[:per_cell]
        placed = routing.place(*points[0])
        if placed.cell_id != cell.pk:
            continue  # overlapped by a finer or lower-coded cell: never the answer of routing
        cells.append(
            {
                "id": cell.pk,
                "region_id": placed.region_id,
                "township_id": placed.township_id,
                "points": points,
                "weight": rng.lognormvariate(0, 0.8),
            }
        )
    return cells


def _people() -> tuple[dict[int, tuple[int, int | None]], list[tuple[int, str]]]:
    """Township id -> (its agency, its first team); the grid workers (user id, name) who report."""
    from zhifa.org.models import Agency, AgencyKind, Person, RoleCode, Team

    agencies = {}
    for agency in Agency.objects.filter(kind=AgencyKind.TOWNSHIP_GOVERNMENT):
        team = Team.objects.filter(agency=agency).order_by("id").values_list("id", flat=True).first()
        agencies[agency.region_id] = (agency.pk, team)
    workers = list(
        Person.objects.filter(roles__code=RoleCode.GRID_WORKER, user__isnull=False)
        .order_by("id")
        .values_list("user_id", "name")
    )
    return agencies, workers


def _stamp(moment: datetime.datetime, postgres: bool) -> str:
    """How Django stores an aware time: naive UTC text on SQLite, with the offset for PostgreSQL COPY."""
    text = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return text + "+00:00" if postgres else text


CLUE_COLUMNS = (
    "id", "code", "tracking_code", "source", "category_id", "priority", "text", "address", "lng", "lat",
    "grid_cell_id", "township_id", "region_id", "outside_grid", "status", "assigned_agency_id",
    "assigned_team_id", "result", "reported_by_id", "reporter_name", "reporter_phone", "client_key",
    "merged_into_id", "step_started_at", "step_due_at", "rating", "rating_comment", "reported_at",
    "closed_at", "version",
)  # fmt: skip
STEP_COLUMNS = ("clue_id", "kind", "actor_id", "actor_name", "note", "at", "due_at", "late", "data")
OPEN = {"reported", "joint", "dispatched", "handling", "handled", "fed_back", "verified"}
ASSIGNED = OPEN - {"reported", "joint"} | {"closed"}
RESULTS = ("case_filed", "rectified", "rectified", "rectified", "no_violation")


def _defaults(model: Any, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple]:
    """Columns of `model` the generator does not know (added since), with their defaults."""
    from django.db import connection

    extra, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key:
            continue
        if not field.null and not field.has_default():
            raise SystemExit(f"{model.__name__}.{field.name} is new and has no default: update the generator")
        extra.append(field.column)
        default = field.get_default() if field.has_default() else None
        values.append(field.get_db_prep_save(default, connection))
    return tuple(extra), tuple(values)


def _write(table: str, columns: tuple[str, ...], rows: list[tuple], postgres: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def generate_clues(total: int, seed: int = 4) -> dict[str, int]:
    """Write `total` clues (and a report step for one in five); see the module docstring."""
    import numpy as np
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from zhifa.intake.models import Clue, ClueCategory, ClueStep

    rng = random.Random(seed)
    gen = np.random.default_rng(seed)
    postgres = connection.vendor == "postgresql"
    cells = micro_grids(rng)
    weights = np.array([c["weight"] for c in cells])
    categories = list(ClueCategory.objects.filter(is_active=True).values_list("id", "code"))
    category_p = np.array([CATEGORY_WEIGHTS.get(code, 6) for _id, code in categories], dtype=float)
    texts = clue_texts()
    agencies, workers = _people()
    now = timezone.now().replace(tzinfo=None)  # naive UTC
    first_id = (Clue.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    ages = np.sort(gen.uniform(0, DAYS * 86400, total))[::-1]  # seconds before now, oldest first
    cell_of = gen.choice(len(cells), size=total, p=weights / weights.sum())
    point_of = gen.integers(0, len(cells[0]["points"]), size=total)
    category_of = gen.choice(len(categories), size=total, p=category_p / category_p.sum())
    text_of = gen.integers(0, len(texts), size=total)
    names, p = zip(*SOURCES, strict=True)
    source_of = gen.choice(len(names), size=total, p=np.array(p) / sum(p))
    old_names, old_p = zip(*OLD_STATUSES, strict=True)
    new_names, new_p = zip(*RECENT_STATUSES, strict=True)
    old_of = gen.choice(len(old_names), size=total, p=np.array(old_p) / sum(old_p))
    new_of = gen.choice(len(new_names), size=total, p=np.array(new_p) / sum(new_p))
    extra = gen.uniform(0, 1, size=(total, 3))
    counts = {"clues": 0, "steps": 0}
    clue_extra, step_extra = _defaults(Clue, CLUE_COLUMNS), _defaults(ClueStep, STEP_COLUMNS)
    for start in range(0, total, BATCH):
        clues, steps = [], []
        for i in range(start, min(total, start + BATCH)):
            reported = now - datetime.timedelta(seconds=float(ages[i]))
            recent = ages[i] < RECENT_DAYS * 86400
            status = new_names[new_of[i]] if recent else old_names[old_of[i]]
            cell = cells[cell_of[i]]
            lng, lat = cell["points"][point_of[i]]
            source = names[source_of[i]]
            worker = workers[i % len(workers)] if source == "grid" and workers else None
            agency, team = agencies.get(cell["township_id"], (None, None))
            assigned = status in ASSIGNED
            closed = status not in OPEN
            closed_at = reported + datetime.timedelta(hours=2 + 70 * float(extra[i, 0])) if closed else None
            step_started = None if closed else reported + datetime.timedelta(minutes=30 * float(extra[i, 1]))
            rated = status == "closed" and extra[i, 2] < 0.4
            local_day = (reported + datetime.timedelta(hours=8)).strftime("%Y%m%d")
            clue_id = first_id + i
            clues.append(
                (
                    clue_id,
                    f"XS{local_day}-{_encode(clue_id, 6)}",
                    _encode(clue_id * TRACKING_MULTIPLIER % 31**10, 10),
                    source,
                    categories[category_of[i]][0],
                    "urgent" if extra[i, 1] > 0.95 else "normal",
                    texts[text_of[i]],
                    "",
                    lng,
                    lat,
                    cell["id"],
                    cell["township_id"],
                    cell["region_id"],
                    False,
                    status,
                    agency if assigned else None,
                    team if assigned else None,
                    RESULTS[int(extra[i, 2] * 5) % 5] if status == "closed" else "",
                    worker[0] if worker else None,
                    "",
                    "",
                    None,
                    None,
                    _stamp(step_started, postgres) if step_started else None,
                    _stamp(step_started + datetime.timedelta(days=2), postgres) if step_started else None,
                    3 + int(extra[i, 0] * 3) if rated else None,
                    "",
                    _stamp(reported, postgres),
                    _stamp(closed_at, postgres) if closed_at else None,
                    1 if status == "reported" else 4 if not closed else 8,
                )
            )
            if i % STEP_EVERY == 0:
                actor = worker[0] if worker else None
                name = worker[1] if worker else ""
                steps.append(
                    (clue_id, "report", actor, name, "", _stamp(reported, postgres), None, False, "{}")
                )
        if clue_extra[0]:
            clues = [row + clue_extra[1] for row in clues]
        if step_extra[0]:
            steps = [row + step_extra[1] for row in steps]
        with transaction.atomic():
            _write("intake_clue", CLUE_COLUMNS + clue_extra[0], clues, postgres)
            _write("intake_cluestep", STEP_COLUMNS + step_extra[0], steps, postgres)
        counts["clues"] += len(clues)
        counts["steps"] += len(steps)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('intake_clue', 'id'), MAX(id)) FROM intake_clue"
            )
            # Settled as autovacuum would leave them (else it runs, on 2 cores, during the measurement).
            cursor.execute("VACUUM ANALYZE intake_clue")
            cursor.execute("VACUUM ANALYZE intake_cluestep")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts
