"""OnlineReader against a SQLite file and a real redis-server, both laid out as docs/online-tables.md says.

The stores are written here by hand in the Java writers' layout (SqliteOnlineStore's DDL and
upsert, RedisOnlineStore's hash fields in ValueCodec's text forms), so the test fails when the
reader and the documented layout drift apart.
"""

from __future__ import annotations

import math
import sqlite3
import time

import pytest
import redis

from eventstream_features import OnlineReader, OnlineTableError, redis_key

SQL_TYPES = {"STRING": "TEXT", "INT": "INTEGER", "LONG": "INTEGER", "TIMESTAMP_MILLIS": "INTEGER",
             "BOOLEAN": "INTEGER", "DOUBLE": "REAL"}

SPAM_ONLINE = [
    ("user_id", "LONG", False),
    ("event_time", "TIMESTAMP_MILLIS", False),
    ("account_age_seconds", "LONG", True),
    ("email_domain_class", "STRING", False),
    ("email_domain_hash", "STRING", True),
    ("member_project_count", "INT", False),
    ("seconds_since_previous_content_event", "LONG", True),
    ("notes_1h", "INT", False),
    ("links_1h", "INT", False),
]
FAR_FUTURE = 4_102_444_800_000  # 2100-01-01
NOW = 1_714_550_400_000  # 2024-05-01T08:00Z

USER_42 = {
    "user_id": 42,
    "event_time": 1_714_546_800_123,
    "account_age_seconds": 86_400,
    "email_domain_class": "disposable",
    "email_domain_hash": "0123456789012345",  # all digits: must stay a string
    "member_project_count": 0,
    "seconds_since_previous_content_event": None,
    "notes_1h": 12,
    "links_1h": 30,
}
USER_42_TEXT = {  # the same row as RedisOnlineStore writes it (null columns are absent fields)
    "user_id": "42",
    "event_time": "1714546800123",
    "account_age_seconds": "86400",
    "email_domain_class": "disposable",
    "email_domain_hash": "0123456789012345",
    "member_project_count": "0",
    "notes_1h": "12",
    "links_1h": "30",
}

GENERIC = [  # a table with every column type and a composite key (project_id, user_id)
    ("project_id", "LONG", False),
    ("user_id", "LONG", False),
    ("event_time", "TIMESTAMP_MILLIS", False),
    ("path", "STRING", True),
    ("reviews_30d", "INT", False),
    ("score", "DOUBLE", True),
    ("is_maintainer", "BOOLEAN", True),
]
GENERIC_FEATURE_SET = {
    "feature_set": {
        "schemas": {
            "review_expertise": {
                "time_column": "event_time",
                "columns": [{"name": n, "type": t, "nullable": nl, "description": ""} for n, t, nl in GENERIC],
            }
        }
    }
}


def create_sqlite_table(connection, table, columns, key):
    """The DDL of SqliteOnlineStore.createTable."""
    parts = [f'"{n}" {SQL_TYPES[t]}' + ("" if nullable else " NOT NULL") for n, t, nullable in columns]
    parts += ['"feature_set_version" TEXT NOT NULL', '"row_digest" TEXT NOT NULL', '"expires_at" INTEGER NOT NULL']
    parts.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in key) + ")")
    connection.execute(f'CREATE TABLE "{table}" (' + ", ".join(parts) + ")")
    connection.execute(f'CREATE INDEX "{table}_expires_at" ON "{table}" ("expires_at")')


def insert_sqlite_row(connection, table, columns, row, version="fs0123456789abcd", expires_at=FAR_FUTURE):
    names = [n for n, _, _ in columns] + ["feature_set_version", "row_digest", "expires_at"]
    values = []
    for name, column_type, _ in columns:
        value = row[name]
        values.append(int(value) if column_type == "BOOLEAN" and value is not None else value)
    values += [version, "0000000000000000042", expires_at]
    connection.execute(
        f'INSERT INTO "{table}" (' + ", ".join(f'"{n}"' for n in names) + ") VALUES (" + ", ".join("?" * len(names)) + ")",
        values,
    )


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "online" / "spam_user_features.sqlite"
    path.parent.mkdir()
    with sqlite3.connect(path) as connection:
        create_sqlite_table(connection, "spam_user_features", SPAM_ONLINE, ["user_id"])
        insert_sqlite_row(connection, "spam_user_features", SPAM_ONLINE, USER_42)
        expired = dict(USER_42, user_id=7)
        insert_sqlite_row(connection, "spam_user_features", SPAM_ONLINE, expired, expires_at=NOW)
        create_sqlite_table(connection, "review_expertise", GENERIC, ["project_id", "user_id"])
        insert_sqlite_row(connection, "review_expertise", GENERIC, {
            "project_id": 5, "user_id": 42, "event_time": 1_714_546_800_000, "path": "app/models",
            "reviews_30d": 3, "score": 0.25, "is_maintainer": True,
        })
        insert_sqlite_row(connection, "review_expertise", GENERIC, {
            "project_id": 5, "user_id": 43, "event_time": 1_714_546_800_000, "path": None,
            "reviews_30d": 0, "score": None, "is_maintainer": False,
        })
    connection.close()
    return path


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.close()


def write_hash(client, key, fields, version="fs0123456789abcd", ttl_ms=60_000):
    """What RedisOnlineStore's upsert script leaves: the whole hash replaced, then PEXPIRE."""
    client.delete(key)
    client.hset(key, mapping=fields | {"feature_set_version": version, "row_digest": "0000000000000000042"})
    client.pexpire(key, ttl_ms)


def typed(row: dict) -> dict:
    return {k: (type(v).__name__, v) for k, v in row.items()}


def test_sqlite_user_features_are_typed_values(sqlite_file):
    with OnlineReader.sqlite(sqlite_file, now_millis=lambda: NOW) as reader:
        row = reader.get_user_features(42)
    assert typed(row) == typed(USER_42 | {"feature_set_version": "fs0123456789abcd"})
    assert "row_digest" not in row and "expires_at" not in row


def test_sqlite_expired_and_missing_rows_read_as_none(sqlite_file):
    with OnlineReader.sqlite(sqlite_file, now_millis=lambda: NOW - 1) as reader:
        assert reader.get_user_features(7)["user_id"] == 7  # expires_at = NOW is still ahead
    with OnlineReader.sqlite(sqlite_file, now_millis=lambda: NOW) as reader:
        assert reader.get_user_features(7) is None  # expires_at <= now: expired
        assert reader.get_user_features(99) is None
    with OnlineReader.sqlite(sqlite_file) as reader:  # the real clock is long past 2024
        assert reader.get_user_features(7) is None
        assert reader.get_user_features(42)["notes_1h"] == 12


def test_sqlite_generic_table_with_composite_key_and_feature_set_types(sqlite_file):
    with OnlineReader.sqlite(sqlite_file, feature_set=GENERIC_FEATURE_SET) as reader:
        assert typed(reader.get("review_expertise", 5, 42)) == typed({
            "project_id": 5, "user_id": 42, "event_time": 1_714_546_800_000, "path": "app/models",
            "reviews_30d": 3, "score": 0.25, "is_maintainer": True, "feature_set_version": "fs0123456789abcd",
        })
        row = reader.get("review_expertise", 5, 43)
        assert (row["path"], row["score"], row["is_maintainer"]) == (None, None, False)
        assert reader.get("review_expertise", 6, 42) is None
        with pytest.raises(OnlineTableError, match=r"key of review_expertise has 2 part\(s\) \['project_id', 'user_id'\], got 1"):
            reader.get("review_expertise", 5)
        with pytest.raises(OnlineTableError, match="no table reviewer_workload"):
            reader.get("reviewer_workload", 5)
    # Without the feature set SQLite's declared types are all there is: booleans stay 0/1.
    with OnlineReader.sqlite(sqlite_file) as reader:
        assert reader.get("review_expertise", 5, 42)["is_maintainer"] == 1


def test_sqlite_missing_file(tmp_path):
    with pytest.raises(OnlineTableError, match="no SQLite online store file"):
        OnlineReader.sqlite(tmp_path / "absent.sqlite")


def test_redis_user_features_match_the_sqlite_reader(redis_url, redis_client, sqlite_file):
    write_hash(redis_client, "spam_user_features:42", USER_42_TEXT)
    with OnlineReader.redis(redis_url) as reader:
        from_redis = reader.get_user_features(42)
        assert reader.get_user_features(43) is None
    with OnlineReader.sqlite(sqlite_file, now_millis=lambda: NOW) as reader:
        from_sqlite = reader.get_user_features(42)
    assert typed(from_redis) == typed(from_sqlite)


def test_redis_decodes_java_text_forms(redis_url, redis_client):
    key = redis_key("review_expertise", 5, 42)
    assert key == "review_expertise:5:42"
    cases = {"1.0E10": 1.0e10, "0.25": 0.25, "-3.5E-7": -3.5e-7, "Infinity": math.inf, "-Infinity": -math.inf}
    with OnlineReader.redis(redis_url, feature_set=GENERIC_FEATURE_SET) as reader:
        for text, value in cases.items():
            write_hash(redis_client, key, {"project_id": "5", "user_id": "42", "event_time": "1714546800000",
                                           "reviews_30d": "3", "score": text, "is_maintainer": "0"})
            row = reader.get("review_expertise", 5, 42)
            assert row["score"] == value and isinstance(row["score"], float)
            assert row["is_maintainer"] is False
            assert row["path"] is None  # absent field = null column
        write_hash(redis_client, key, {"project_id": "5", "user_id": "42", "event_time": "1714546800000",
                                       "reviews_30d": "3", "score": "NaN", "is_maintainer": "1"})
        row = reader.get("review_expertise", 5, 42)
        assert math.isnan(row["score"]) and row["is_maintainer"] is True
        write_hash(redis_client, key, {"project_id": "5", "user_id": "42", "event_time": "1714546800000",
                                       "reviews_30d": "3", "is_maintainer": "yes"})
        with pytest.raises(OnlineTableError, match="boolean field must be 1 or 0"):
            reader.get("review_expertise", 5, 42)


def test_redis_string_keys_are_escaped(redis_url, redis_client):
    assert redis_key("path_expertise", 42, "app:models\\x") == "path_expertise:42:app\\:models\\\\x"
    feature_set = {"feature_set": {"schemas": {"path_expertise": {"columns": [
        {"name": "user_id", "type": "LONG"}, {"name": "path", "type": "STRING"}, {"name": "changes_90d", "type": "INT"},
    ]}}}}
    write_hash(redis_client, "path_expertise:42:app\\:models\\\\x", {"user_id": "42", "path": "app:models\\x",
                                                                     "changes_90d": "8"})
    with OnlineReader.redis(redis_url, feature_set=feature_set) as reader:
        assert reader.get("path_expertise", 42, "app:models\\x")["changes_90d"] == 8
        assert reader.get("path_expertise", 42, "app") is None


def test_redis_expired_key_reads_as_none(redis_url, redis_client):
    write_hash(redis_client, "spam_user_features:42", USER_42_TEXT, ttl_ms=500)
    with OnlineReader.redis(redis_url) as reader:
        assert reader.get_user_features(42)["user_id"] == 42
        deadline = time.monotonic() + 5
        while reader.get_user_features(42) is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert reader.get_user_features(42) is None


def test_redis_unknown_table_needs_column_types(redis_url):
    with OnlineReader.redis(redis_url) as reader:
        with pytest.raises(OnlineTableError, match="no column types for reviewer_workload: pass feature_set="):
            reader.get("reviewer_workload", 1)
    with pytest.raises(OnlineTableError, match="database number"):
        OnlineReader.redis("redis://127.0.0.1:1/x")
