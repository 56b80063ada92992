"""Search terms of publications: the public fields cut into terms that both databases index.

Chinese has no spaces, so the text is cut into overlapping character bigrams (the usual unit of Chinese
full-text search); runs of Latin letters and digits stay whole words (decision numbers, USCC). The same
function cuts the query, so a query matches when all its terms are among a publication's terms.

The index over `Publication.search_terms` (migration 0002_search, written by `install`):

- PostgreSQL: a stored generated column `search_vector` = strip(to_tsvector('simple', search_terms))
  with a GIN index, queried with plainto_tsquery('simple', ...) (its words AND-ed); and a GIN index on
  penalty_types for the penalty-type filter. The planner's statistics on the column (most common
  elements) let it scan newest-first and test each row for a common term, or read the GIN index for a
  rare one.
- SQLite: an FTS5 table `disclosure_publication_fts` (contentless, rowids only) holding, for each
  published row, its terms and its facet tokens (`_a` area prefixes, `_g` agency, `_d` domain, `_k`
  kind, `_p` penalty types), kept in step by triggers. A search is one FTS5 AND query over terms and
  facets, read newest-first (descending rowid) and stopped at the page: a common word ("罚款") with a
  township costs the township's rows, not the word's.
- Without either (FTS5 not compiled in, or a later SQLite table rebuild dropped the triggers): LIKE on
  search_terms, correct but slow (`backend()` says which one is in use).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9A-Za-z]+")
MAX_TERMS = 400

# The query: what the portal accepts and how much of it it searches.
MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 40

FTS_TABLE = "disclosure_publication_fts"
PG_COLUMN = "search_vector"
PG_INDEX = "disclosure_pub_search_gin"
PG_PENALTY_INDEX = "disclosure_pub_penalty_gin"
TRIGGERS = ("disclosure_pub_fts_ai", "disclosure_pub_fts_ad", "disclosure_pub_fts_au")

FTS5, TSVECTOR, LIKE = "fts5", "tsvector", "like"


def terms(text: str) -> list[str]:
    """The distinct terms of `text` in order of first appearance: CJK bigrams (a lone character stays a
    unigram) and lower-cased Latin/digit words."""
    seen: dict[str, None] = {}
    for run in _CJK.findall(text or ""):
        if len(run) == 1:
            seen.setdefault(run, None)
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    for word in _WORD.findall(text or ""):
        seen.setdefault(word.lower(), None)
    return list(seen)[:MAX_TERMS]


def search_terms_for(parts: Iterable[str]) -> str:
    """The stored `search_terms` of a publication: its public fields' terms, space-separated."""
    return " ".join(terms(" ".join(p for p in parts if p)))


@dataclass(frozen=True)
class Query:
    """A visitor's search text, made harmless: at most MAX_QUERY_CHARS characters, control characters
    removed, cut into the terms the index holds. `dropped` are lone Chinese characters (the index holds
    bigrams, so one character alone cannot be searched)."""

    text: str
    terms: tuple[str, ...]
    truncated: bool = False
    dropped: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms


def clean_text(raw: object) -> tuple[str, bool]:
    """`raw` as a one-line string without control or unpaired surrogate characters, cut to
    MAX_QUERY_CHARS; and whether it was cut."""
    text = raw if isinstance(raw, str) else ""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch
        for ch in text
        if unicodedata.category(ch) != "Cs"
    )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        return text[:MAX_QUERY_CHARS], True
    return text, False


def parse_query(raw: object) -> Query:
    """The search terms of a visitor's query (see `Query`). Never raises, whatever `raw` holds."""
    text, truncated = clean_text(raw)
    found: dict[str, None] = {}
    dropped: dict[str, None] = {}
    for run in _CJK.findall(text):
        if len(run) == 1:
            dropped.setdefault(run, None)
        for i in range(len(run) - 1):
            found.setdefault(run[i : i + 2], None)
    for word in _WORD.findall(text):
        found.setdefault(word.lower(), None)
    chosen = list(found)
    if len(chosen) > MAX_QUERY_TERMS:
        chosen, truncated = chosen[:MAX_QUERY_TERMS], True
    return Query(text=text, terms=tuple(chosen), truncated=truncated, dropped=tuple(dropped))


# --- facets (SQLite FTS5 only) -------------------------------------------------------------------------


def facet_area(prefix: str) -> str:
    """The facet token of a county (6 digits) or township (9 digits) code prefix."""
    return f"_a{prefix}"


def facet_agency(agency_id: int) -> str:
    return f"_g{int(agency_id)}"


def facet_domain(domain_id: int) -> str:
    return f"_d{int(domain_id)}"


def facet_kind(kind: str) -> str:
    return f"_k{kind}"


def facet_penalty(penalty_type: str) -> str:
    return f"_p{penalty_type}"


# Every published row carries it: the whole province, newest first, without any other filter.
FACET_ALL = "_x"


def facet_month(year: int, month: int) -> str:
    return f"_m{year:04d}{month:02d}"


def facet_year(year: int) -> str:
    return f"_y{year:04d}"


def date_cover(first: datetime.date, last: datetime.date) -> list[str]:
    """Month and year facet tokens whose union covers the publication days first..last (a few tokens:
    whole years in the middle, months at the ends). The exact days are checked on the rows."""
    if last < first:
        return []
    if first.year == last.year:
        if first.month == 1 and last.month == 12:
            return [facet_year(first.year)]
        return [facet_month(first.year, m) for m in range(first.month, last.month + 1)]
    head = date_cover(first, datetime.date(first.year, 12, 31))
    tail = date_cover(datetime.date(last.year, 1, 1), last)
    return head + [facet_year(y) for y in range(first.year + 1, last.year)] + tail


def fts_quote(token: str) -> str:
    """`token` as an FTS5 string: whatever it holds, it is one literal, never query syntax."""
    return '"' + token.replace('"', '""') + '"'


def fts_match(tokens: Iterable[str], any_of: Iterable[str] = ()) -> str:
    """An FTS5 MATCH expression: all of `tokens`, and (when given) at least one of `any_of`."""
    parts = [fts_quote(token) for token in tokens]
    options = [fts_quote(token) for token in any_of]
    if options:
        parts.append("(" + " OR ".join(options) + ")")
    return " AND ".join(parts)


def _fts_document(row: str) -> str:
    """SQL (SQLite) of the FTS5 document of the publication row `row` ("new" or "old" in a trigger, or
    the table name): its terms and facet tokens. The delete of a contentless FTS5 row must repeat
    exactly the tokens inserted, so insert and delete use this one expression."""
    return (
        f"{row}.search_terms || ' {FACET_ALL} _k' || {row}.kind"
        f" || ' _a' || substr({row}.adcode, 1, 6) || ' _a' || substr({row}.adcode, 1, 9)"
        f" || ' _g' || {row}.agency_id || coalesce(' _d' || {row}.domain_id, '')"
        f" || coalesce(' _y' || substr({row}.published_on, 1, 4) || ' _m' || substr({row}.published_on, 1, 4)"
        f" || substr({row}.published_on, 6, 2), '')"
        " || coalesce((SELECT ' ' || group_concat('_p' || value, ' ')"
        f" FROM json_each({row}.penalty_types)), '')"
    )


def sqlite_install_sql() -> list[str]:
    """Statements creating the FTS5 table from the rows present, its merge and the triggers."""
    table = "disclosure_publication"
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(doc, content='', detail=none, columnsize=0,"
        " tokenize=\"ascii tokenchars '_'\")",
        f"INSERT INTO {FTS_TABLE}(rowid, doc) SELECT id, {_fts_document(table)} FROM {table}"
        " WHERE state = 'published' ORDER BY id",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')",
        f"CREATE TRIGGER {TRIGGERS[0]} AFTER INSERT ON {table} WHEN new.state = 'published' BEGIN"
        f" INSERT INTO {FTS_TABLE}(rowid, doc) VALUES (new.id, {_fts_document('new')}); END",
        f"CREATE TRIGGER {TRIGGERS[1]} AFTER DELETE ON {table} WHEN old.state = 'published' BEGIN"
        f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, doc)"
        f" VALUES ('delete', old.id, {_fts_document('old')}); END",
        f"CREATE TRIGGER {TRIGGERS[2]} AFTER UPDATE OF state, search_terms, kind, adcode, agency_id,"
        f" domain_id, penalty_types, published_on ON {table} BEGIN"
        f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, doc)"
        f" SELECT 'delete', old.id, {_fts_document('old')} WHERE old.state = 'published';"
        f" INSERT INTO {FTS_TABLE}(rowid, doc) SELECT new.id, {_fts_document('new')}"
        " WHERE new.state = 'published'; END",
    ]


def sqlite_uninstall_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS] + [f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def postgres_install_sql() -> list[str]:
    return [
        f"ALTER TABLE disclosure_publication ADD COLUMN {PG_COLUMN} tsvector GENERATED ALWAYS AS"
        " (strip(to_tsvector('simple'::regconfig, search_terms))) STORED",
        # The planner's list of most common terms grows from ~1,000 to ~10,000 entries: rarer words get
        # their own frequency instead of a guess (selectors.portal_search_sql chooses plans by it).
        f"ALTER TABLE disclosure_publication ALTER COLUMN {PG_COLUMN} SET STATISTICS 1000",
        f"CREATE INDEX {PG_INDEX} ON disclosure_publication USING gin ({PG_COLUMN})",
        f"CREATE INDEX {PG_PENALTY_INDEX} ON disclosure_publication USING gin (penalty_types jsonb_path_ops)",
    ]


def postgres_uninstall_sql() -> list[str]:
    return [
        f"DROP INDEX IF EXISTS {PG_PENALTY_INDEX}",
        f"DROP INDEX IF EXISTS {PG_INDEX}",
        f"ALTER TABLE disclosure_publication DROP COLUMN IF EXISTS {PG_COLUMN}",
    ]


def install(connection) -> None:
    """Create the search index of the connection's database (see the module docstring). On SQLite
    without FTS5 nothing is created and the search uses LIKE."""
    from django.db import DatabaseError, transaction

    if connection.vendor == "postgresql":
        statements = postgres_install_sql()
    elif connection.vendor == "sqlite":
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute("CREATE VIRTUAL TABLE temp.zhifa_fts5_probe USING fts5(x)")
                cursor.execute("DROP TABLE temp.zhifa_fts5_probe")
        except DatabaseError:
            return
        statements = sqlite_install_sql()
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    forget_backend()


def uninstall(connection) -> None:
    """Drop what `install` created (the reverse of migration 0002_search)."""
    if connection.vendor == "postgresql":
        statements = postgres_uninstall_sql()
    elif connection.vendor == "sqlite":
        statements = sqlite_uninstall_sql()
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    forget_backend()


_BACKENDS: dict[tuple[str, str], str] = {}


def forget_backend() -> None:
    """Forget which index each database has (after installing or dropping it)."""
    _BACKENDS.clear()


def backend(connection=None) -> str:
    """FTS5, TSVECTOR or LIKE: the search index the database has, looked up once per database.

    SQLite needs the FTS5 table and all three triggers: Django rebuilds a SQLite table to alter it,
    which drops its triggers, and a stale index would hide new publications; LIKE is slow but right.
    """
    from django.db import connection as default_connection

    connection = connection or default_connection
    key = (connection.vendor, str(connection.settings_dict.get("NAME")))
    found = _BACKENDS.get(key)
    if found is not None:
        return found
    found = LIKE
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE (type = 'table' AND name = %s)"
                " OR (type = 'trigger' AND name IN (%s, %s, %s))",
                [FTS_TABLE, *TRIGGERS],
            )
            if cursor.fetchone()[0] == 1 + len(TRIGGERS):
                found = FTS5
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = 'disclosure_publication'"
                " AND column_name = %s",
                [PG_COLUMN],
            )
            if cursor.fetchone()[0]:
                found = TSVECTOR
    _BACKENDS[key] = found
    return found
