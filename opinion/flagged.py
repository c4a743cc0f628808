"""Which documents are flagged, and how many: one definition for the explorer and the report.

Three figures, disjoint for the duplicates, so they add up and read the same everywhere
(the explorer's Overview cards, the report's overview, ``run.csv``'s ``corpus`` rows):

- ``duplicates``: exact copies of an earlier document (``duplicate_of``, set at load);
- ``near_duplicates``: the members of a cluster of near-identical texts other than the
  one kept, its earliest post (``near_duplicate_of``, :mod:`opinion.flags`), exact copies
  not counted again;
- ``spam``: documents flagged ``is_spam`` (a spam post may be a duplicate too).

Without the ``flags`` table (``prepare`` not run yet) only exact duplicates are known and the
other two are ``None``. The rule is written once, as DuckDB SQL (:func:`flag_columns_sql`):
the explorer builds its ``facts`` columns from it and :func:`workspace_flag_counts` counts
with it over the workspace's Parquet. This module imports no pandas, so the explorer's
start-up (:mod:`opinion.explore.facts`) stays light.

Example:
    >>> print(flag_columns_sql(flags=None))
    c.duplicate_of IS NOT NULL AS is_exact_duplicate, false AS is_near_duplicate, false AS is_spam
    >>> FlagCounts(duplicates=77, near_duplicates=189, spam=12).figures()
    [('duplicates', 77), ('near_duplicates', 189), ('spam', 12)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from opinion import schema as S
from opinion.i18n import text

if TYPE_CHECKING:
    from opinion.io.workspace import Workspace

# The definitions, as run.csv's ``definition`` rows state them.
DEFINITIONS = {name: text(f"definition.{name}", lang="en")  # the report shows them in the reader's language
               for name in ("duplicates", "near_duplicates", "spam")}
COUNTS_SQL = ("count(*) FILTER (is_exact_duplicate) AS duplicates, "
              "count(*) FILTER (is_near_duplicate) AS near_duplicates, count(*) FILTER (is_spam) AS spam")


@dataclass(frozen=True)
class FlagCounts:
    """The three figures; ``near_duplicates`` and ``spam`` are None without the ``flags`` table."""

    duplicates: int
    near_duplicates: int | None = None
    spam: int | None = None

    def figures(self) -> list[tuple[str, int]]:
        """``(name, count)`` of the figures known, in the order they are shown."""
        found = [("duplicates", self.duplicates), ("near_duplicates", self.near_duplicates), ("spam", self.spam)]
        return [(name, int(n)) for name, n in found if n is not None]


def flag_columns_sql(*, corpus: str = "c", flags: str | None = "g") -> str:
    """SELECT items of the three per-document flags (``is_exact_duplicate``,
    ``is_near_duplicate``, ``is_spam``) from the corpus aliased ``corpus`` joined with the flags
    table aliased ``flags`` (None: no flags table; then only exact duplicates are flagged)."""
    exact = f"{corpus}.{S.DUPLICATE_OF} IS NOT NULL"
    if flags is None:
        return f"{exact} AS is_exact_duplicate, false AS is_near_duplicate, false AS is_spam"
    return (f"{exact} AS is_exact_duplicate, "
            f"({flags}.{S.NEAR_DUPLICATE_OF} IS NOT NULL AND {corpus}.{S.DUPLICATE_OF} IS NULL) AS is_near_duplicate, "
            f"coalesce({flags}.{S.IS_SPAM}, false) AS is_spam")


def count_flags(con: Any, relation: str, *, flagged: bool) -> FlagCounts:
    """Count the flags of ``relation`` (a DuckDB table or subquery with the columns of
    :func:`flag_columns_sql`) on the DuckDB connection ``con``; ``flagged``: whether the
    ``flags`` table was joined (else the near-duplicates and spam are unknown: None)."""
    exact, near, spam = con.execute(f"SELECT {COUNTS_SQL} FROM {relation}").fetchone()
    return FlagCounts(int(exact), int(near) if flagged else None, int(spam) if flagged else None)


def workspace_flag_counts(ws: Workspace) -> FlagCounts:
    """:class:`FlagCounts` of a workspace, read from its ``corpus`` and ``flags`` Parquet."""
    import duckdb

    def parquet(name: str) -> str:
        return "read_parquet('" + ws.glob(name).replace("'", "''") + "', union_by_name=true)"

    flagged = ws.has(S.FLAGS)
    join = f"LEFT JOIN {parquet(S.FLAGS)} g USING ({S.DOC_ID})" if flagged else ""
    relation = (f"(SELECT {flag_columns_sql(flags='g' if flagged else None)} "
                f"FROM {parquet(S.CORPUS)} c {join})")
    with duckdb.connect() as con:
        return count_flags(con, relation, flagged=flagged)
