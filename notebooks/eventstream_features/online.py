"""Reading the online feature tables the jobs write (see docs/online-tables.md).

SQLite: one table per online table, named after it, one typed column per feature column (STRING
as TEXT; INT, LONG, TIMESTAMP_MILLIS and BOOLEAN as INTEGER, booleans 0/1; DOUBLE as REAL), then
``feature_set_version TEXT``, ``row_digest TEXT`` and ``expires_at INTEGER`` (epoch millis); the
primary key is the entity key. Rows with ``expires_at <= now`` have expired and are not returned.

Redis: one hash per entity at ``<table>:<key1>[:<key2>...]`` (string key parts escape ``\\`` as
``\\\\`` and ``:`` as ``\\:``). Each non-null column is a field holding the value's text: numbers
and timestamps (epoch millis) in decimal, doubles in Java's ``Double.toString`` form (``0.25``,
``1.0E10``, ``NaN``, ``Infinity``), booleans ``1``/``0``. Null columns are absent fields. Fields
``feature_set_version`` and ``row_digest`` come with every row; Redis expires the key itself.

Both stores lose some type information (SQLite has no boolean; Redis has only text), so values
are decoded with the table's column types: taken from a ``_feature_set.json`` (its
``feature_set.schemas``) when one is given, else from the built-in layout of
``spam_user_features``.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable, Mapping
from urllib.parse import unquote, urlsplit

FEATURE_SET_VERSION = "feature_set_version"
ROW_DIGEST = "row_digest"
EXPIRES_AT = "expires_at"
SPAM_USER_FEATURES = "spam_user_features"
#: Environment variable with the Redis password when the URL has none (as on the Java side).
REDIS_PASSWORD_ENV = "EVENTSTREAM_REDIS_PASSWORD"

#: Column types of spam_user_features that are not windowed counts; every windowed count
#: (``<feature>_<window>``, whatever windows the job is configured with) is an INT.
SPAM_USER_FEATURE_TYPES: dict[str, str] = {
    "user_id": "LONG",
    "event_time": "TIMESTAMP_MILLIS",
    "feature_set_version": "STRING",
    "account_age_seconds": "LONG",
    "email_domain_class": "STRING",
    "email_domain_hash": "STRING",
    "member_project_count": "INT",
    "seconds_since_previous_content_event": "LONG",
}
_SPAM_WINDOWED_DEFAULT = "INT"


class OnlineTableError(Exception):
    """An online table cannot be read as asked (missing table, bad key, undecodable value)."""


def decode_text(column_type: str, text: str) -> Any:
    """A typed value from the text form used in Redis hashes."""
    if column_type == "STRING":
        return text
    if column_type in ("INT", "LONG", "TIMESTAMP_MILLIS"):
        return int(text)
    if column_type == "DOUBLE":
        return float(text)  # accepts Java's 1.0E10, NaN, Infinity, -Infinity
    if column_type == "BOOLEAN":
        if text == "1":
            return True
        if text == "0":
            return False
        raise OnlineTableError("boolean field must be 1 or 0")
    raise OnlineTableError(f"unknown column type {column_type}")


def redis_key(table: str, *key: Any) -> str:
    """The Redis key of an entity: ``<table>:<key1>[:<key2>...]`` with string parts escaped."""
    parts = [table]
    for part in key:
        if isinstance(part, str):
            parts.append(part.replace("\\", "\\\\").replace(":", "\\:"))
        elif isinstance(part, bool) or not isinstance(part, int):
            raise OnlineTableError(f"key parts are strings or integers, not {type(part).__name__}")
        else:
            parts.append(str(part))
    return ":".join(parts)


def column_types(feature_set: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """Column types per table from a ``_feature_set.json`` (``feature_set.schemas``) or its definition."""
    if not feature_set:
        return {}
    definition = feature_set.get("feature_set", feature_set)
    schemas = definition.get("schemas", {})
    return {table: {c["name"]: c["type"] for c in schema["columns"]} for table, schema in schemas.items()}


class OnlineReader:
    """Reads rows of online tables from SQLite or Redis, decoded to Python values.

    Values: STRING → str, INT/LONG → int, DOUBLE → float, BOOLEAN → bool, TIMESTAMP_MILLIS → int
    epoch millis; null → None. Every row also has ``feature_set_version``. A missing or expired
    entity gives None.

    >>> reader = OnlineReader.sqlite("out/demo/online/spam_user_features.sqlite")
    >>> reader.get_user_features(42)["notes_1h"]
    """

    def __init__(self, fetch: Callable[[str, tuple[Any, ...]], dict[str, Any] | None], close: Callable[[], None]):
        self._fetch = fetch
        self._close = close

    @classmethod
    def sqlite(
        cls,
        path: str | Path,
        feature_set: Mapping[str, Any] | None = None,
        now_millis: Callable[[], int] | None = None,
    ) -> "OnlineReader":
        """A reader of the SQLite file the job writes (opened read-only).

        ``now_millis`` supplies "now" for expiry (default: the system clock).
        """
        path = Path(path)
        if not path.is_file():
            raise OnlineTableError(f"no SQLite online store file {path}")
        connection = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        types = column_types(feature_set)
        clock = now_millis or (lambda: time.time_ns() // 1_000_000)

        def fetch(table: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
            info = connection.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
            if not info:
                raise OnlineTableError(f"no table {table} in SQLite online store {path}")
            columns = [row[1] for row in info]
            key_columns = [row[1] for row in sorted((r for r in info if r[5] > 0), key=lambda r: r[5])]
            if len(key) != len(key_columns):
                raise OnlineTableError(f"key of {table} has {len(key_columns)} part(s) {key_columns}, got {len(key)}")
            selected = [c for c in columns if c not in (ROW_DIGEST, EXPIRES_AT)]
            sql = (
                f"SELECT {', '.join(_quote(c) for c in selected)} FROM {_quote(table)} WHERE "
                + " AND ".join(f"{_quote(k)} = ?" for k in key_columns)
                + f" AND {_quote(EXPIRES_AT)} > ?"
            )
            row = connection.execute(sql, (*key, clock())).fetchone()
            if row is None:
                return None
            table_types = _types_of(table, types)
            return {name: _from_sqlite(table_types(name), value) for name, value in zip(selected, row)}

        return cls(fetch, connection.close)

    @classmethod
    def redis(cls, url: str, feature_set: Mapping[str, Any] | None = None) -> "OnlineReader":
        """A reader of the Redis the job writes: ``redis://[[user]:password@]host[:port][/db]`` or ``rediss://``.

        Without a password in the URL, ``EVENTSTREAM_REDIS_PASSWORD`` supplies it.
        """
        import redis  # only needed for this backend

        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise OnlineTableError("Redis URL must be redis://host[:port][/db] or rediss://...")
        database_text = parts.path[1:] if parts.path not in ("", "/") else "0"
        if not database_text.isdigit():
            raise OnlineTableError("the path of a Redis URL is a database number, as in redis://host:6379/0")
        database = int(database_text)
        client = redis.Redis(
            host=parts.hostname,
            port=parts.port or 6379,
            db=database,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else os.environ.get(REDIS_PASSWORD_ENV) or None,
            ssl=parts.scheme == "rediss",
            decode_responses=True,
            socket_timeout=30,
            socket_connect_timeout=5,
        )
        types = column_types(feature_set)

        def fetch(table: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
            known = types.get(table) or (SPAM_USER_FEATURE_TYPES if table == SPAM_USER_FEATURES else None)
            if known is None:
                # Redis keeps only text: without column types a value cannot be decoded faithfully.
                raise OnlineTableError(
                    f"no column types for {table}: pass feature_set= (a _feature_set.json listing it)"
                )
            fields = client.hgetall(redis_key(table, *key))
            if not fields:
                return None
            table_types = _types_of(table, types)
            names = list(known) + [f for f in fields if f not in known and f != ROW_DIGEST]
            if FEATURE_SET_VERSION not in names:
                names.append(FEATURE_SET_VERSION)
            return {
                name: decode_text(table_types(name), fields[name]) if name in fields else None for name in names
            }

        return cls(fetch, client.close)

    def get(self, table: str, *key: Any) -> dict[str, Any] | None:
        """The row of ``table`` with this key (one value per key column, in key order), or None."""
        if not key:
            raise OnlineTableError(f"a key is needed to read {table}")
        return self._fetch(table, key)

    def get_user_features(self, user_id: int) -> dict[str, Any] | None:
        """The latest spam features of a user (table ``spam_user_features``), or None."""
        return self.get(SPAM_USER_FEATURES, int(user_id))

    def close(self) -> None:
        self._close()

    def __enter__(self) -> "OnlineReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _types_of(table: str, types: dict[str, dict[str, str]]) -> Callable[[str], str | None]:
    """Type of a column: from the feature set, else the built-in spam layout; None = as stored."""
    if table in types:
        given = types[table]
        return lambda name: "STRING" if name == FEATURE_SET_VERSION else given.get(name)
    if table == SPAM_USER_FEATURES:
        return lambda name: SPAM_USER_FEATURE_TYPES.get(name, _SPAM_WINDOWED_DEFAULT)
    return lambda name: "STRING" if name == FEATURE_SET_VERSION else None


def _from_sqlite(column_type: str | None, value: Any) -> Any:
    if value is None or column_type is None:
        return value
    if column_type == "BOOLEAN":
        return bool(value)
    if column_type == "DOUBLE":
        return float(value)
    if column_type in ("INT", "LONG", "TIMESTAMP_MILLIS"):
        if isinstance(value, float) and not math.isfinite(value):
            raise OnlineTableError("non-finite value in an integer column")
        return int(value)
    return value


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
