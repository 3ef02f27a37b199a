"""Bulk writes for evaluations that write hundreds of thousands of rows.

Core ``executemany`` instead of ORM units of work, driver-level ``executemany`` of plain tuples
where SQLAlchemy's per-row processing would dominate, and primary keys reserved up front so rows
can reference each other without ``RETURNING``. Callers scope rows to their organisation (the
tuple insert prepends it); every statement names only our own models' tables and columns, and
every value is a bound parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, Boolean, Float, func, select
from sqlalchemy.orm import Session

_CHUNK = 5000


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


class _Memo:
    """A bind processor that converts a value passed again (the same object) only once, as
    the evaluation timestamp every row of a batch carries."""

    __slots__ = ("_convert", "_last_in", "_last_out")

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self._convert = convert
        self._last_in: object = None
        self._last_out: object = None

    def __call__(self, value: object) -> object:
        if value is not self._last_in:
            self._last_in, self._last_out = value, self._convert(value)
        return self._last_out


def _converted(
    row: Sequence[object], converting: Sequence[tuple[int, Callable[[Any], Any]]]
) -> list[object]:
    """``row`` with the values at the given positions converted (None stays None)."""
    out = list(row)
    for position, convert in converting:
        value = out[position]
        if value is not None:
            out[position] = convert(value)
    return out


def insert_dicts(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Core executemany of mappings (no ORM bookkeeping)."""
    table = model.__table__
    connection = session.connection()
    for chunk in _chunks(rows):
        connection.execute(table.insert(), chunk)


def insert_tuples(
    session: Session,
    model: Any,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    organisation_id: int,
) -> None:
    """Driver-level executemany of plain tuples (no per-row SQLAlchemy processing).

    Values pass through the columns' bind processors where a type has one (JSON, UTC
    timestamps). ``organisation_id`` is prepended to every row. The models' Python-side
    defaults are not applied: rows give every column that has no server default.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    table = model.__table__
    names = ["organisation_id", *columns]
    types = [table.c[name].type for name in names]
    processors = [t.bind_processor(dialect) for t in types]
    if any(
        isinstance(t, JSON) and convert is None
        for t, convert in zip(types, processors, strict=True)
    ):  # the driver adapts JSON itself (psycopg): let SQLAlchemy build the statement
        connection.execute(
            table.insert(),
            [dict(zip(names, (organisation_id, *row), strict=True)) for row in rows],
        )
        return
    # e.g. JSON and UTC timestamps: convert as SQLAlchemy would; Python booleans and floats
    # go to every DB-API driver as they are (SQLite stores booleans as 0/1, as the
    # processor does, and its float processor only turns Decimals into floats)
    converting = [
        (position, _Memo(convert))
        for position, (t, convert) in enumerate(zip(types[1:], processors[1:], strict=True))
        if convert is not None and not isinstance(t, Boolean | Float)
    ]
    if converting:
        rows = [_converted(row, converting) for row in rows]
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    # names are our model's own table and columns, quoted; every value is a bound parameter
    column_list = ", ".join(quote(n) for n in names)
    values = ", ".join([marker] * len(names))
    sql = f"INSERT INTO {quote(model.__tablename__)} ({column_list}) VALUES ({values})"  # noqa: S608
    for start in range(0, len(rows), _CHUNK * 4):
        connection.exec_driver_sql(
            sql, [(organisation_id, *row) for row in rows[start : start + _CHUNK * 4]]
        )


def reserve_ids(session: Session, model: Any, count: int) -> list[int]:
    """``count`` fresh primary keys for ``model`` (inserting with explicit ids is much faster
    than RETURNING for large batches).

    PostgreSQL draws them from the column's sequence. On SQLite the caller must already hold
    the database's write lock (e.g. it cleared old rows first in the same transaction), so no
    other writer can take the ids between this read and the insert.
    """
    if count == 0:
        return []
    table = model.__table__
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        sequence = connection.exec_driver_sql(
            "SELECT pg_get_serial_sequence(%(t)s, 'id')", {"t": table.name}
        ).scalar_one()
        return list(
            connection.exec_driver_sql(
                "SELECT nextval(%(s)s) FROM generate_series(1, %(n)s)",
                {"s": sequence, "n": count},
            ).scalars()
        )
    start = (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    return list(range(start, start + count))


def insert_returning(session: Session, model: Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert mappings with reserved ids; the ids in input order."""
    ids = reserve_ids(session, model, len(rows))
    insert_dicts(session, model, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids
