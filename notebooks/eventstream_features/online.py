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

Key prefixes (all users of a project): SQLite searches the primary key's leading columns; Redis
reads the index set ``<table>#prefix:<key1>...`` that the Java writer keeps for tables it indexes
(``reviewer_project_user_features`` by ``project_id``). Its members are the remaining key parts,
escaped and joined by ``:``; a member whose hash has expired is skipped.

:meth:`OnlineReader.reviewer_candidates` ranks candidate reviewers for a new merge request from the
two reviewer tables exactly as the Java ``ReviewerCandidateReader`` does (docs/reviewer-features.md,
"Ranking candidates online").

Both stores lose some type information (SQLite has no boolean; Redis has only text), so values
are decoded with the table's column types: taken from a ``_feature_set.json`` (its
``feature_set.schemas``) when one is given, else from the built-in layout of
``spam_user_features``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
import time
from pathlib import Path
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import unquote, urlsplit

from . import reviewer_tiles, spam_state

FEATURE_SET_VERSION = "feature_set_version"
ROW_DIGEST = "row_digest"
EXPIRES_AT = "expires_at"
SPAM_USER_FEATURES = "spam_user_features"
SPAM_USER_STATE = "spam_user_state"
REVIEWER_USER_FEATURES = "reviewer_project_user_features"
REVIEWER_PATH_FEATURES = "reviewer_project_user_path_features"
#: Tables whose Redis layout has a key-prefix index, and how many leading key columns it covers.
REDIS_PREFIX_INDEXES: dict[str, int] = {REVIEWER_USER_FEATURES: 1}
#: Output of :meth:`OnlineReader.reviewer_candidates`: event time of the candidate's user row.
AS_OF_TIME = "as_of_time"
_DAY_MILLIS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
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
#: Column types of spam_user_state (its layout does not depend on the configured windows).
SPAM_USER_STATE_TYPES: dict[str, str] = {
    "user_id": "LONG",
    "event_time": "TIMESTAMP_MILLIS",
    "signup_time": "TIMESTAMP_MILLIS",
    "email_domain_class": "STRING",
    "email_domain_hash": "STRING",
    "member_project_count": "INT",
    "last_content_event_time": "TIMESTAMP_MILLIS",
    "state": "STRING",
    "feature_set_version": "STRING",
}


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


FeatureSets = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


def _feature_sets(feature_set: FeatureSets) -> list[Mapping[str, Any]]:
    if not feature_set:
        return []
    if isinstance(feature_set, Mapping):
        return [feature_set]
    return list(feature_set)


def column_types(feature_set: FeatureSets) -> dict[str, dict[str, str]]:
    """Column types per table from ``_feature_set.json`` files (``feature_set.schemas``) or their definitions."""
    types: dict[str, dict[str, str]] = {}
    for one in _feature_sets(feature_set):
        definition = one.get("feature_set", one)
        for table, schema in definition.get("schemas", {}).items():
            types[table] = {c["name"]: c["type"] for c in schema["columns"]}
    return types


def directory_prefixes(path: str, depth: int) -> list[str]:
    """A path's directory prefixes at depths 1..depth, without trailing slash (the job's rule).

    ``src/main/App.java`` gives ``src``, ``src/main``; ``README.md`` none; empty segments (a leading or
    doubled slash) are not prefixes.
    """
    prefixes: list[str] = []
    start = 0
    while len(prefixes) < depth:
        slash = path.find("/", start)
        if slash < 0:
            break
        if slash > start:
            prefixes.append(path[:slash])
        start = slash + 1
    return prefixes


def candidate_sort_key(row: Mapping[str, Any]) -> tuple[int, bool, int, int]:
    """Sort key of a reviewer candidate (a ``reviewer_project_user_features`` row, counts as of now): the job's order.

    ``lookback_activity`` descending, then ``last_activity_time`` descending with None (no activity)
    last, then ``user_id`` ascending (docs/reviewer-features.md, "Candidates"; Java
    ``ReviewerCandidateOrder``). Checked against the cases shared with the Java tests
    (``features/src/test/resources/reviewers/candidate-order-cases.json``).
    """
    last = row["last_activity_time"]
    return (-row["lookback_activity"], last is None, 0 if last is None else -last, row["user_id"])


class OnlineReader:
    """Reads rows of online tables from SQLite or Redis, decoded to Python values.

    Values: STRING → str, INT/LONG → int, DOUBLE → float, BOOLEAN → bool, TIMESTAMP_MILLIS → int
    epoch millis; null → None. Every row also has ``feature_set_version``. A missing or expired
    entity gives None.

    >>> reader = OnlineReader.sqlite("out/demo/online/spam_user_features.sqlite")
    >>> reader.get_user_features(42)["notes_1h"]
    """

    def __init__(
        self,
        fetch: Callable[[str, tuple[Any, ...]], dict[str, Any] | None],
        close: Callable[[], None],
        fetch_many: Callable[[str, list[tuple[Any, ...]]], list[dict[str, Any] | None]] | None = None,
        scan_prefix: Callable[[str, tuple[Any, ...]], list[dict[str, Any]]] | None = None,
        feature_set: FeatureSets = None,
    ):
        self._fetch = fetch
        self._close = close
        self._fetch_many = fetch_many or (lambda table, keys: [fetch(table, key) for key in keys])
        self._scan_prefix = scan_prefix
        self._feature_sets = _feature_sets(feature_set)
        # (fingerprint, layout) of the spam feature set, made at the first spam_features_at: the
        # fingerprint renders the whole definition, far more work than answering one request.
        self._spam_reading: tuple[str | None, spam_state.SpamFeatureLayout] | None = None

    @classmethod
    def sqlite(
        cls,
        path: str | Path,
        feature_set: FeatureSets = None,
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

        def layout(table: str) -> tuple[list[str], list[str]]:
            """Selected columns and key columns (in key order) of a table."""
            info = connection.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
            if not info:
                raise OnlineTableError(f"no table {table} in SQLite online store {path}")
            key_columns = [row[1] for row in sorted((r for r in info if r[5] > 0), key=lambda r: r[5])]
            return [row[1] for row in info if row[1] not in (ROW_DIGEST, EXPIRES_AT)], key_columns

        def select(table: str, selected: list[str], where: list[str], values: tuple[Any, ...]) -> list[dict[str, Any]]:
            sql = (
                f"SELECT {', '.join(_quote(c) for c in selected)} FROM {_quote(table)} WHERE "
                + " AND ".join(f"{_quote(k)} = ?" for k in where)
                + f" AND {_quote(EXPIRES_AT)} > ?"
            )
            table_types = _types_of(table, types)
            return [
                {name: _from_sqlite(table_types(name), value) for name, value in zip(selected, row)}
                for row in connection.execute(sql, (*values, clock())).fetchall()
            ]

        def fetch(table: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
            selected, key_columns = layout(table)
            if len(key) != len(key_columns):
                raise OnlineTableError(f"key of {table} has {len(key_columns)} part(s) {key_columns}, got {len(key)}")
            rows = select(table, selected, key_columns, key)
            return rows[0] if rows else None

        def scan_prefix(table: str, prefix: tuple[Any, ...]) -> list[dict[str, Any]]:
            selected, key_columns = layout(table)
            if not 0 < len(prefix) < len(key_columns):
                raise OnlineTableError(f"a key prefix of {table} has 1 to {len(key_columns) - 1} part(s) of {key_columns}")
            # The primary key's leading columns: a search, not a pass over the table.
            return select(table, selected, key_columns[: len(prefix)], prefix)

        return cls(fetch, connection.close, scan_prefix=scan_prefix, feature_set=feature_set)

    @classmethod
    def redis(cls, url: str, feature_set: FeatureSets = None) -> "OnlineReader":
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

        def decoder(table: str) -> Callable[[dict[str, str]], dict[str, Any] | None]:
            known = types.get(table) or (SPAM_USER_FEATURE_TYPES if table == SPAM_USER_FEATURES else None)
            if known is None:
                # Redis keeps only text: without column types a value cannot be decoded faithfully.
                raise OnlineTableError(
                    f"no column types for {table}: pass feature_set= (a _feature_set.json listing it)"
                )
            table_types = _types_of(table, types)

            def decode(fields: dict[str, str]) -> dict[str, Any] | None:
                if not fields:
                    return None
                names = list(known) + [f for f in fields if f not in known and f != ROW_DIGEST]
                if FEATURE_SET_VERSION not in names:
                    names.append(FEATURE_SET_VERSION)
                return {
                    name: decode_text(table_types(name), fields[name]) if name in fields else None for name in names
                }

            return decode

        def fetch(table: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
            decode = decoder(table)
            return decode(client.hgetall(redis_key(table, *key)))

        def fetch_many(table: str, keys: list[tuple[Any, ...]]) -> list[dict[str, Any] | None]:
            decode = decoder(table)
            pipeline = client.pipeline(transaction=False)
            for key in keys:
                pipeline.hgetall(redis_key(table, *key))
            return [decode(fields) for fields in pipeline.execute()]

        def scan_prefix(table: str, prefix: tuple[Any, ...]) -> list[dict[str, Any]]:
            indexed = REDIS_PREFIX_INDEXES.get(table, 0)
            if len(prefix) != indexed:
                raise OnlineTableError(
                    f"{table} in Redis has no index on its first {len(prefix)} key column(s); "
                    "reading that prefix would scan the whole keyspace"
                )
            decode = decoder(table)
            index = table + "#prefix:" + redis_key(table, *prefix)[len(table) + 1 :]
            members = sorted(client.smembers(index))
            pipeline = client.pipeline(transaction=False)
            for member in members:
                pipeline.hgetall(redis_key(table, *prefix) + ":" + member)
            # A member whose hash expired reads as empty: skipped (the Java reader also prunes it).
            return [row for row in (decode(fields) for fields in pipeline.execute()) if row is not None]

        return cls(fetch, client.close, fetch_many=fetch_many, scan_prefix=scan_prefix, feature_set=feature_set)

    def get(self, table: str, *key: Any) -> dict[str, Any] | None:
        """The row of ``table`` with this key (one value per key column, in key order), or None."""
        if not key:
            raise OnlineTableError(f"a key is needed to read {table}")
        return self._fetch(table, key)

    def get_user_features(self, user_id: int) -> dict[str, Any] | None:
        """The latest spam features of a user (table ``spam_user_features``), or None."""
        return self.get(SPAM_USER_FEATURES, int(user_id))

    def spam_features_at(self, user_id: int, at: datetime | int, pending: Mapping[str, Any] | None = None,
                         ) -> dict[str, Any]:
        """A user's spam features as of request time ``at``, from ``spam_user_state``, as the Java
        ``SpamOnlineReader`` gives them (see :func:`eventstream_features.spam_state.features_at`).

        Needs the spam feature set (``feature_set=`` the ``spam_features`` ``_feature_set.json``). A user
        without a live row reads as a user without events. ``feature_set_version`` is added to the answer.
        """
        if self._spam_reading is None:
            definition = self._spam_feature_set()
            # The fingerprint is None for a bare definition: rows are not checked then.
            self._spam_reading = (online_fingerprint(definition), spam_state.SpamFeatureLayout(definition))
        fingerprint, layout = self._spam_reading
        row = self.get(SPAM_USER_STATE, int(user_id))
        state = None
        if row is not None:
            if fingerprint is not None and row[FEATURE_SET_VERSION] != fingerprint:
                raise OnlineTableError(f"spam_user_state row of user {user_id} was written by feature set "
                                       f"{row[FEATURE_SET_VERSION]}, not {fingerprint}")
            state = spam_state.SpamUserState.decode(row["state"])
        values = spam_state.features_at(layout, int(user_id), state, _epoch_millis(at), pending)
        values[FEATURE_SET_VERSION] = row[FEATURE_SET_VERSION] if row is not None else fingerprint
        return values

    def _spam_feature_set(self) -> Mapping[str, Any]:
        for recorded in self._feature_sets:
            if recorded.get("feature_set", recorded).get("feature_set") == "spam":
                return recorded
        raise OnlineTableError(
            "spam_features_at needs the spam feature set: pass feature_set= the _feature_set.json of "
            "spam_features (eventstream_features.feature_set(root, 'spam_features'))"
        )

    def scan_prefix(self, table: str, *key_prefix: Any) -> list[dict[str, Any]]:
        """The live rows of ``table`` whose leading key values are ``key_prefix`` (e.g. a project's users).

        SQLite: any prefix shorter than the key. Redis: only the prefixes the writer indexes
        (:data:`REDIS_PREFIX_INDEXES`); others raise rather than scan the keyspace.
        """
        if self._scan_prefix is None:
            raise OnlineTableError("this reader cannot read key prefixes")
        return self._scan_prefix(table, key_prefix)

    def reviewer_candidates(
        self,
        project_id: int,
        author_id: int,
        changed_paths: Sequence[str],
        now: datetime | int | None = None,
    ) -> list[dict[str, Any]]:
        """Candidate reviewers for a new merge request, best first, as the Java ReviewerCandidateReader gives them.

        Needs the reviewer feature set (``feature_set=`` the ``reviewer_candidates`` ``_feature_set.json``):
        its prefix depth, ``max_candidates``, windows and column types. Each candidate is a dict with the
        columns of ``reviewer_candidates`` the online tables can give, in a fixed order: ``project_id``,
        ``author_id``, ``candidate_id``, ``candidate_rank``, ``changed_path_count``, ``path_prefix_count``,
        ``is_member``, ``access_level``, ``days_since_last_activity``, ``lookback_activity``,
        ``open_review_load``, the windowed ``reviews_*``, ``approvals_*``, ``mr_comments_*``,
        ``prefix_commits_*``, ``prefix_reviews_*``, then ``as_of_time`` (epoch millis of the user row).

        ``now``: the request time (datetime with a time zone, or epoch millis; default the system
        clock). The windowed counts (``lookback_activity`` included, so the ranking too) are as of it,
        computed from each row's ``count_tiles`` (a row newer than ``now`` as of its own event_time),
        and ``days_since_last_activity`` counts to it.
        """
        if isinstance(changed_paths, str):
            raise OnlineTableError("changed_paths is a list of paths, not one string")
        recorded = self._reviewer_feature_set()
        definition = recorded.get("feature_set", recorded)
        fingerprint = recorded.get("fingerprint")
        depth = int(definition["prefix_depth"])
        now_millis = _epoch_millis(now)
        project_id, author_id = int(project_id), int(author_id)

        def checked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            for row in rows:
                if fingerprint is not None and row[FEATURE_SET_VERSION] != fingerprint:
                    raise OnlineTableError(
                        f"online reviewer tables hold rows of feature set {row[FEATURE_SET_VERSION]} but the "
                        f"feature set given is {fingerprint}; read them with the one the job ran with"
                    )
            return rows

        # Every windowed count as of now, from the rows' count_tiles (reviewer_tiles), before ranking.
        schemas = definition["schemas"]
        user_counts = reviewer_tiles.count_columns(
            [c["name"] for c in schemas[REVIEWER_USER_FEATURES]["columns"]], user_table=True)
        path_counts = reviewer_tiles.count_columns(
            [c["name"] for c in schemas[REVIEWER_PATH_FEATURES]["columns"]], user_table=False)
        users = [
            row
            for row in (reviewer_tiles.as_of(r, user_counts, now_millis)
                        for r in checked(self.scan_prefix(REVIEWER_USER_FEATURES, project_id)))
            if row["project_id"] == project_id
            and row["user_id"] != author_id
            and (row["is_member"] or row["lookback_activity"] > 0)
        ]
        users.sort(key=candidate_sort_key)
        chosen = users[: int(definition["max_candidates"])]
        prefixes = sorted({p for path in changed_paths for p in directory_prefixes(path, depth)})
        keys = [(project_id, user["user_id"], prefix) for user in chosen for prefix in prefixes]
        found = checked([r for r in self._fetch_many(REVIEWER_PATH_FEATURES, keys) if r is not None]) if keys else []
        path_rows = {(r["user_id"], r["path_prefix"]): reviewer_tiles.as_of(r, path_counts, now_millis) for r in found}

        candidates = []
        for rank, user in enumerate(chosen, start=1):
            last = user["last_activity_time"]
            row: dict[str, Any] = {
                "project_id": project_id,
                "author_id": author_id,
                "candidate_id": user["user_id"],
                "candidate_rank": rank,
                "changed_path_count": len(set(changed_paths)),
                "path_prefix_count": len(prefixes),
                "is_member": user["is_member"],
                "access_level": user["access_level"],
                "days_since_last_activity": None if last is None else (now_millis - last) // _DAY_MILLIS,
                "lookback_activity": user["lookback_activity"],
                "open_review_load": user["open_review_load"],
            }
            for feature, windows in definition["features"].items():
                for window in windows:
                    name = f"{feature}_{window}"
                    if feature in ("reviews", "approvals", "mr_comments"):
                        row[name] = user[name]
                    elif feature in ("prefix_commits", "prefix_reviews"):
                        source = ("commits_" if feature == "prefix_commits" else "reviews_") + window
                        row[name] = sum(
                            path_rows[(user["user_id"], p)][source]
                            for p in prefixes
                            if (user["user_id"], p) in path_rows
                        )
                    # path_commits and the author pair counts are not in the online tables.
            row[AS_OF_TIME] = user["event_time"]
            candidates.append(row)
        return candidates

    def _reviewer_feature_set(self) -> Mapping[str, Any]:
        for recorded in self._feature_sets:
            if recorded.get("feature_set", recorded).get("feature_set") == "reviewers":
                return recorded
        raise OnlineTableError(
            "reviewer_candidates needs the reviewer feature set: pass feature_set= the _feature_set.json of "
            "reviewer_candidates (eventstream_features.feature_set(root, 'reviewer_candidates'))"
        )

    def close(self) -> None:
        self._close()

    def __enter__(self) -> "OnlineReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _epoch_millis(now: datetime | int | None) -> int:
    if now is None:
        return time.time_ns() // 1_000_000
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise OnlineTableError("now must carry a time zone (e.g. datetime.now(timezone.utc))")
        return (now - _EPOCH) // timedelta(milliseconds=1)
    return int(now)


def _types_of(table: str, types: dict[str, dict[str, str]]) -> Callable[[str], str | None]:
    """Type of a column: from the feature set, else the built-in spam layout; None = as stored."""
    if table in types:
        given = types[table]
        return lambda name: "STRING" if name == FEATURE_SET_VERSION else given.get(name)
    if table == SPAM_USER_FEATURES:
        return lambda name: SPAM_USER_FEATURE_TYPES.get(name, _SPAM_WINDOWED_DEFAULT)
    if table == SPAM_USER_STATE:
        return SPAM_USER_STATE_TYPES.get
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


def online_fingerprint(recorded: Mapping[str, Any]) -> str | None:
    """The ``feature_set_version`` the online rows of a dataset's feature set carry.

    A dataset hashed under a key records the key's id (``hash_key_id``) in its definition, so its
    fingerprint changes with the key; the online rows carry the fingerprint of the definition
    without it (a reader has no key to check against). Computed as the Java side does: SHA-256 of
    the definition as ``FeatureSetJson.render`` writes it (Jackson's pretty printer, two-space
    indent, `` : `` between name and value), first 16 hex characters.
    """
    definition = recorded.get("feature_set")
    if not isinstance(definition, Mapping) or "hash_key_id" not in definition:
        return recorded.get("fingerprint")
    without_key = {name: value for name, value in definition.items() if name != "hash_key_id"}
    text = _render_definition(without_key) + "\n"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _render_definition(value: Any, depth: int = 0) -> str:
    pad = "  " * depth
    inner = "  " * (depth + 1)
    if isinstance(value, Mapping):
        if not value:
            return "{ }"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)} : {_render_definition(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[ ]"
        return "[\n" + ",\n".join(inner + _render_definition(v, depth + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)
