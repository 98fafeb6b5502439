"""Every table of the app database, read in one transaction, and written back.

Values are kept as JSON with tags for what JSON has no type for (datetimes, bytes,
UUIDs, decimals, structured JSON columns), and fitted to the target column's type on the
way back, so a snapshot of SQLite restores into PostgreSQL and the other way round.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ARRAY, JSON, Engine, Integer, MetaData, String, Table, Uuid, select, text

from chat.database import VERSION_TABLE

Rows = list[dict[str, Any]]

_TAGS: dict[str, Callable[[Any], Any]] = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$bytes": base64.b64decode,
    "$decimal": Decimal,
    "$uuid": uuid.UUID,
    "$json": lambda value: value,
}


def encode(value: Any) -> Any:
    """A JSON-safe form of a column value that ``decode`` turns back into the same value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, dict | list | tuple):
        return {"$json": value}
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def decode(value: Any) -> Any:
    """The column value ``encode`` was given."""
    if isinstance(value, dict) and len(value) == 1:
        ((tag, inner),) = value.items()
        if tag in _TAGS:
            return _TAGS[tag](inner)
    return value


def read_tables(engine: Engine) -> dict[str, Rows]:
    """Every row of every table, encoded, from one consistent snapshot of the database."""
    tables: dict[str, Rows] = {}
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # pysqlite opens no transaction for reads: without BEGIN each SELECT would see
            # a different moment of a database that the app keeps writing.
            connection.exec_driver_sql("BEGIN")
        else:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        metadata = MetaData()
        metadata.reflect(connection)
        for table in _data_tables(metadata):
            query = select(table).order_by(*(table.primary_key.columns or table.columns))
            tables[table.name] = [
                {key: encode(value) for key, value in row._mapping.items()}
                for row in connection.execute(query)
            ]
        connection.rollback()
    return tables


def count_rows(engine: Engine) -> int:
    """How many rows all tables of the database hold together."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return sum(
            connection.execute(select(text("count(*)")).select_from(table)).scalar_one()
            for table in _data_tables(metadata)
        )


def write_tables(engine: Engine, tables: dict[str, Rows]) -> list[str]:
    """Replace the rows of the database's tables with the snapshot's, in one transaction.

    Returns the names of snapshot tables the database does not have (nothing is written then).
    """
    metadata = MetaData()
    metadata.reflect(engine)
    missing = sorted(set(tables) - set(metadata.tables) - {VERSION_TABLE})
    if missing:
        return missing
    data = _data_tables(metadata)
    with engine.begin() as connection:
        for table in reversed(data):
            connection.execute(table.delete())
        for table in data:
            rows = tables.get(table.name)
            if rows:
                connection.execute(table.insert(), [_fit_row(table, row) for row in rows])
        if engine.dialect.name == "postgresql":
            for table in data:
                _reset_sequence(connection, table)
    return []


def _data_tables(metadata: MetaData) -> list[Table]:
    """The reflected tables whose rows are the app's data, in dependency order."""
    return [table for table in metadata.sorted_tables if table.name != VERSION_TABLE]


def _fit_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {
        name: _fit(decode(value), table.columns[name].type)
        for name, value in row.items()
        if name in table.columns
    }


def _fit(value: Any, column_type: Any) -> Any:
    """Turn a value into what the target column stores (JSON text vs. JSONB, TEXT vs. UUID)."""
    if value is None:
        return None
    if isinstance(column_type, JSON | ARRAY) and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    if isinstance(column_type, Uuid) and isinstance(value, str):
        return uuid.UUID(value)
    if isinstance(column_type, String) and not isinstance(column_type, Uuid):
        if isinstance(value, dict | list | tuple):
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, uuid.UUID):
            return str(value)
    return value


def _reset_sequence(connection: Any, table: Table) -> None:
    """Move a serial primary key's sequence past the restored ids."""
    columns = list(table.primary_key.columns)
    if len(columns) != 1 or not isinstance(columns[0].type, Integer):
        return
    name, column = table.name, columns[0].name
    connection.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "
            f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{name}"'
        ),
        {"table": f'"{name}"', "column": column},
    )
