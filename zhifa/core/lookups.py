"""`__under`: "this division code lies under that prefix", as an index-friendly range.

Region codes are fixed-length digit strings (12 digits), so "starts with 3501" equals
"between 350100000000 and 350199999999". A range uses the B-tree index of the unique `adcode` column on
SQLite and PostgreSQL alike, where `LIKE '3501%'` cannot on SQLite (its LIKE is case-insensitive) and
needs a pattern-ops index on PostgreSQL. Data scoping filters every list with it.
"""

from __future__ import annotations

from django.db.models import CharField, Lookup

CODE_LENGTH = 12


def prefix_bounds(prefix: str, length: int = CODE_LENGTH) -> tuple[str, str]:
    """The smallest and largest code of `length` digits that start with `prefix`."""
    if not prefix.isdigit() or len(prefix) > length:
        raise ValueError(f"not a division-code prefix: {prefix!r}")
    pad = length - len(prefix)
    return prefix + "0" * pad, prefix + "9" * pad


@CharField.register_lookup
class Under(Lookup):
    lookup_name = "under"

    def get_db_prep_lookup(self, value, connection):
        return ("%s", list(prefix_bounds(str(value))))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} BETWEEN %s AND %s", [*lhs_params, *rhs_params]
