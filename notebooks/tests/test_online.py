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
from eventstream_features.reviewer_tiles import CountTilesError, counts_at

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


# ---------------------------------------------------------------- reviewer candidates

REVIEWER_USER = [
    ("project_id", "LONG", False),
    ("user_id", "LONG", False),
    ("event_time", "TIMESTAMP_MILLIS", False),
    ("is_member", "BOOLEAN", False),
    ("access_level", "INT", True),
    ("last_activity_time", "TIMESTAMP_MILLIS", True),
    ("lookback_activity", "INT", False),
    ("open_review_load", "INT", False),
    ("reviews_30d", "INT", False),
    ("approvals_30d", "INT", False),
    ("mr_comments_30d", "INT", False),
    ("count_tiles", "STRING", False),
]
REVIEWER_PATH = [
    ("project_id", "LONG", False),
    ("user_id", "LONG", False),
    ("path_prefix", "STRING", False),
    ("event_time", "TIMESTAMP_MILLIS", False),
    ("commits_30d", "INT", False),
    ("reviews_30d", "INT", False),
    ("count_tiles", "STRING", False),
]
REVIEWER_VERSION = "fsreviewers00001"
REVIEWER_FEATURE_SET = {  # the parts of reviewer_candidates' _feature_set.json the reader uses
    "fingerprint": REVIEWER_VERSION,
    "feature_set": {
        "feature_set": "reviewers",
        "prefix_depth": 2,
        "max_candidates": 4,
        "features": {f: ["30d"] for f in ("reviews", "approvals", "mr_comments", "path_commits", "prefix_commits",
                                           "prefix_reviews", "reviews_of_author", "reviews_by_author")},
        "schemas": {
            table: {"time_column": "event_time",
                    "columns": [{"name": n, "type": t, "nullable": nl, "description": ""} for n, t, nl in columns]}
            for table, columns in (("reviewer_project_user_features", REVIEWER_USER),
                                   ("reviewer_project_user_path_features", REVIEWER_PATH))
        },
    },
}
T = NOW  # request time of the candidate reads
HOUR = 3_600_000
DAY = 24 * HOUR
CHANGED = ["src/main/App.java", "docs/x.md", "build.gradle"]  # prefixes at depth 2: docs, src, src/main


def varint(value):
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def count_tiles(time, counts, lengths):
    """count_tiles as ReviewerCountTiles.singleTile writes it: each count its own series (daily hop), one tile at time."""
    import base64
    body = bytes([1]) + varint(len(counts))
    for count in counts:
        tile = time // DAY
        body += varint(DAY) + (varint(1) + varint(tile << 1) + varint(count) if count else varint(0))
    body += varint(len(counts))
    for i, length in enumerate(lengths):
        body += varint(i) + varint(length)
    return base64.b64encode(body).decode()


def reviewer_user(project, user, time, member, access, last, activity, load, reviews, approvals, comments):
    # The counts in the daily tile of the row's time: lookback 90 days, the others 30 days.
    tiles = count_tiles(time, [activity, reviews, approvals, comments], [90 * DAY, 30 * DAY, 30 * DAY, 30 * DAY])
    return dict(zip([n for n, _, _ in REVIEWER_USER],
                    [project, user, time, member, access, last, activity, load, reviews, approvals, comments, tiles]))


def reviewer_path(project, user, prefix, commits, reviews):
    return dict(zip([n for n, _, _ in REVIEWER_PATH], [project, user, prefix, T - DAY, commits, reviews,
                                                       count_tiles(T - DAY, [commits, reviews], [30 * DAY, 30 * DAY])]))


# The rows of the Java ReviewerCandidateReaderTest, as the store holds them after its writes.
LIVE_USERS = [
    reviewer_user(7, 1, T - HOUR, True, 40, T - HOUR, 9, 0, 5, 5, 5),             # the author
    reviewer_user(7, 2, T - 3 * DAY, True, 30, None, 0, 1, 0, 0, 0),              # member without activity: 5th
    reviewer_user(7, 3, T - 10 * DAY, False, None, T - 40 * DAY, 0, 0, 2, 0, 3),  # neither member nor active
    reviewer_user(7, 4, T - 2 * DAY, False, None, T - 2 * DAY, 3, 0, 1, 0, 2),
    reviewer_user(7, 5, T - 2 * DAY, True, 30, T - 2 * DAY, 3, 2, 2, 1, 0),       # ties 4: the smaller id first
    reviewer_user(7, 6, T - 5 * HOUR, True, 40, T - 5 * HOUR, 7, 1, 4, 2, 9),
    reviewer_user(7, 8, T - 30 * DAY, True, 20, T - 30 * DAY, 1, 0, 0, 1, 0),
    reviewer_user(8, 9, T - HOUR, True, 50, T - HOUR, 50, 0, 0, 0, 0),            # another project
]
EXPIRED_USER = reviewer_user(7, 10, T - HOUR, True, 30, T - HOUR, 99, 0, 1, 1, 1)  # would rank first
LIVE_PATHS = [
    reviewer_path(7, 6, "src", 2, 1), reviewer_path(7, 6, "src/main", 1, 1), reviewer_path(7, 4, "docs", 0, 3),
    reviewer_path(7, 5, "lib", 9, 9), reviewer_path(8, 6, "src", 100, 100), reviewer_path(7, 1, "src", 8, 8),
]
EXPIRED_PATH = reviewer_path(7, 5, "src", 50, 50)


def expected_candidate(user, rank, member, access, days, activity, load, reviews, approvals, comments, prefix_commits,
                       prefix_reviews, as_of):
    return {
        "project_id": 7, "author_id": 1, "candidate_id": user, "candidate_rank": rank, "changed_path_count": 3,
        "path_prefix_count": 3, "is_member": member, "access_level": access, "days_since_last_activity": days,
        "lookback_activity": activity, "open_review_load": load, "reviews_30d": reviews, "approvals_30d": approvals,
        "mr_comments_30d": comments, "prefix_commits_30d": prefix_commits, "prefix_reviews_30d": prefix_reviews,
        "as_of_time": as_of,
    }


# By hand, as in the Java test: 6 (activity 7); 4 and 5 (activity 3, same last activity: id order); 8; then 2 is
# cut by max 4, 3 is no candidate, 1 is the author, 10 expired. User 6: commits 2 + 1, reviews 1 + 1 under src,
# src/main; user 4: reviews 3 under docs; user 5: its "src" row expired and "lib" is not a prefix of the MR.
EXPECTED_CANDIDATES = [
    expected_candidate(6, 1, True, 40, 0, 7, 1, 4, 2, 9, 3, 2, T - 5 * HOUR),
    expected_candidate(4, 2, False, None, 2, 3, 0, 1, 0, 2, 0, 3, T - 2 * DAY),
    expected_candidate(5, 3, True, 30, 2, 3, 2, 2, 1, 0, 0, 0, T - 2 * DAY),
    expected_candidate(8, 4, True, 20, 30, 1, 0, 0, 1, 0, 0, 0, T - 30 * DAY),
]


@pytest.fixture
def reviewer_sqlite(tmp_path):
    path = tmp_path / "reviewer_features.sqlite"
    with sqlite3.connect(path) as connection:
        create_sqlite_table(connection, "reviewer_project_user_features", REVIEWER_USER, ["project_id", "user_id"])
        create_sqlite_table(connection, "reviewer_project_user_path_features", REVIEWER_PATH,
                            ["project_id", "user_id", "path_prefix"])
        for row in LIVE_USERS:
            insert_sqlite_row(connection, "reviewer_project_user_features", REVIEWER_USER, row, REVIEWER_VERSION)
        insert_sqlite_row(connection, "reviewer_project_user_features", REVIEWER_USER, EXPIRED_USER, REVIEWER_VERSION,
                          expires_at=NOW)
        for row in LIVE_PATHS:
            insert_sqlite_row(connection, "reviewer_project_user_path_features", REVIEWER_PATH, row, REVIEWER_VERSION)
        insert_sqlite_row(connection, "reviewer_project_user_path_features", REVIEWER_PATH, EXPIRED_PATH,
                          REVIEWER_VERSION, expires_at=NOW)
    connection.close()
    return path


def as_text(row, columns):
    """A row in RedisOnlineStore's text forms: null columns absent, booleans 1/0."""
    text = {}
    for name, column_type, _ in columns:
        value = row[name]
        if value is not None:
            text[name] = ("1" if value else "0") if column_type == "BOOLEAN" else str(value)
    return text


def write_reviewer_redis(client):
    """The layout RedisOnlineStore writes for the two tables, the user table with its project index set."""
    for row in LIVE_USERS:
        write_hash(client, redis_key("reviewer_project_user_features", row["project_id"], row["user_id"]),
                   as_text(row, REVIEWER_USER), REVIEWER_VERSION)
        client.sadd(f"reviewer_project_user_features#prefix:{row['project_id']}", str(row["user_id"]))
    # User 10's hash has expired; its member stays in the set until a Java reader prunes it.
    client.sadd("reviewer_project_user_features#prefix:7", "10")
    for row in LIVE_PATHS:
        write_hash(client, redis_key("reviewer_project_user_path_features", row["project_id"], row["user_id"],
                                     row["path_prefix"]), as_text(row, REVIEWER_PATH), REVIEWER_VERSION)


def test_sqlite_reviewer_candidates_are_the_hand_computed_ones(reviewer_sqlite):
    with OnlineReader.sqlite(reviewer_sqlite, feature_set=REVIEWER_FEATURE_SET, now_millis=lambda: NOW) as reader:
        candidates = reader.reviewer_candidates(7, 1, CHANGED, now=T)
        assert [list(c) for c in candidates] == [list(EXPECTED_CANDIDATES[0])] * 4  # the documented column order
        assert candidates == EXPECTED_CANDIDATES
        assert typed(candidates[1]) == typed(EXPECTED_CANDIDATES[1])
        assert reader.reviewer_candidates(99, 1, CHANGED, now=T) == []
        # The same instant as a datetime.
        from datetime import datetime, timezone
        at = datetime.fromtimestamp(T / 1000, tz=timezone.utc)
        assert reader.reviewer_candidates(7, 1, CHANGED, now=at) == EXPECTED_CANDIDATES
        assert [r["user_id"] for r in reader.scan_prefix("reviewer_project_user_features", 7)] == [1, 2, 3, 4, 5, 6, 8]


def test_count_tiles_decode_as_the_java_reader_does():
    # The bytes ReviewerCountTilesTest pins: hop 60000 ms, tile 5 -> 2, one 120000 ms window.
    import base64
    encoded = base64.b64encode(bytes.fromhex("0101e0d403010a020100c0a907")).decode()
    assert counts_at(encoded, 5 * 60_000) == [2]
    assert counts_at(encoded, 8 * 60_000 - 1) == [2]  # tiles 5..7
    assert counts_at(encoded, 8 * 60_000) == [0]      # tiles 6..8: tile 5 has left
    # ReviewerCountTilesTest's daily example: tiles 100 -> 2, 103 -> 1, 110 -> 4 under a 7-day and a 30-day window.
    body = (bytes([1]) + varint(1) + varint(DAY) + varint(3) + varint(200) + varint(2) + varint(3) + varint(1)
            + varint(7) + varint(4) + varint(2) + varint(0) + varint(7 * DAY) + varint(0) + varint(30 * DAY))
    daily = base64.b64encode(body).decode()
    for at, expected in ((110 * DAY + 5 * HOUR, [5, 7]), (111 * DAY - 1, [5, 7]), (111 * DAY, [4, 7]),
                         (118 * DAY, [0, 7]), (131 * DAY, [0, 5]), (134 * DAY, [0, 4]), (141 * DAY, [0, 0])):
        assert counts_at(daily, at) == expected, at
    with pytest.raises(CountTilesError, match="base64"):
        counts_at("not base64!", 0)
    with pytest.raises(CountTilesError, match="format version 2"):
        counts_at(base64.b64encode(bytes([2, 0, 0])).decode(), 0)
    with pytest.raises(CountTilesError, match="corrupt"):
        counts_at(base64.b64encode(bytes([1, 1])).decode(), 0)


def test_reviewer_candidates_count_as_of_the_request_time(reviewer_sqlite):
    """Later request times drop what left the windows, by hand: every count is in the daily tile of its row's time."""
    with OnlineReader.sqlite(reviewer_sqlite, feature_set=REVIEWER_FEATURE_SET, now_millis=lambda: NOW) as reader:
        # T + 1 day: user 8's row (T - 30 days) has left the 30-day windows (approvals 1 -> 0) but not the 90-day
        # lookback; the path rows (T - 1 day) are still in theirs.
        day_later = reader.reviewer_candidates(7, 1, CHANGED, now=T + DAY)
        assert [c["candidate_id"] for c in day_later] == [6, 4, 5, 8]
        assert day_later[3]["approvals_30d"] == 0 and day_later[3]["lookback_activity"] == 1
        assert day_later[0]["prefix_commits_30d"] == 3 and day_later[0]["reviews_30d"] == 4
        # T + 30 days: the path rows' tile (T - 1 day) has left the 30-day window.
        month_later = reader.reviewer_candidates(7, 1, CHANGED, now=T + 30 * DAY)
        assert [c["prefix_commits_30d"] + c["prefix_reviews_30d"] for c in month_later] == [0, 0, 0, 0]
        # T + 61 days: user 8's tile (T - 30 days) has left the 90-day lookback: activity 0, still a member.
        later = reader.reviewer_candidates(7, 1, CHANGED, now=T + 61 * DAY)
        assert [(c["candidate_id"], c["lookback_activity"]) for c in later] == [(6, 7), (4, 3), (5, 3), (8, 0)]
        # T + 89 days: 4 and 5 (T - 2 days) have left the lookback too; 4 is no member: out. 6 remains, then the
        # members without lookback activity by last activity (null last): 5, 8, 2.
        much_later = reader.reviewer_candidates(7, 1, CHANGED, now=T + 89 * DAY)
        assert [(c["candidate_id"], c["lookback_activity"]) for c in much_later] == [(6, 7), (5, 0), (8, 0), (2, 0)]


def test_redis_reviewer_candidates_equal_the_sqlite_ones(redis_url, redis_client):
    write_reviewer_redis(redis_client)
    with OnlineReader.redis(redis_url, feature_set=REVIEWER_FEATURE_SET) as reader:
        assert reader.reviewer_candidates(7, 1, CHANGED, now=T) == EXPECTED_CANDIDATES
        assert sorted(r["user_id"] for r in reader.scan_prefix("reviewer_project_user_features", 7)) == [1, 2, 3, 4, 5, 6, 8]
        with pytest.raises(OnlineTableError, match="no index on its first 2 key column"):
            reader.scan_prefix("reviewer_project_user_path_features", 7, 6)


def test_reviewer_candidates_need_the_matching_reviewer_feature_set(reviewer_sqlite):
    with OnlineReader.sqlite(reviewer_sqlite, now_millis=lambda: NOW) as reader:
        with pytest.raises(OnlineTableError, match="needs the reviewer feature set"):
            reader.reviewer_candidates(7, 1, CHANGED, now=T)
    other = dict(REVIEWER_FEATURE_SET, fingerprint="fsanother0000001")
    with OnlineReader.sqlite(reviewer_sqlite, feature_set=[GENERIC_FEATURE_SET, other], now_millis=lambda: NOW) as reader:
        with pytest.raises(OnlineTableError, match=f"hold rows of feature set {REVIEWER_VERSION}"):
            reader.reviewer_candidates(7, 1, CHANGED, now=T)


def test_directory_prefixes_follow_the_job_rule():
    from eventstream_features.online import directory_prefixes
    assert directory_prefixes("src/main/java/App.java", 3) == ["src", "src/main", "src/main/java"]
    assert directory_prefixes("src/main/java/App.java", 2) == ["src", "src/main"]
    assert directory_prefixes("README.md", 3) == []
    assert directory_prefixes("/a//b/c.txt", 3) == ["/a", "/a//b"]


def test_reviewer_candidate_order_puts_no_activity_time_last_and_breaks_ties_by_id(reviewer_sqlite):
    with sqlite3.connect(reviewer_sqlite) as connection:
        for row in (reviewer_user(9, 1, T - DAY, True, 30, None, 0, 0, 0, 0, 0),
                    reviewer_user(9, 3, T - DAY, True, 30, T - DAY, 0, 0, 0, 0, 0),
                    reviewer_user(9, 2, T - DAY, True, 30, T - DAY, 0, 0, 0, 0, 0),
                    reviewer_user(9, 4, T - DAY, False, None, T - 2 * DAY, 1, 0, 0, 0, 0)):
            insert_sqlite_row(connection, "reviewer_project_user_features", REVIEWER_USER, row, REVIEWER_VERSION)
    connection.close()
    with OnlineReader.sqlite(reviewer_sqlite, feature_set=REVIEWER_FEATURE_SET, now_millis=lambda: NOW) as reader:
        ranked = reader.reviewer_candidates(9, 99, [], now=T)
        assert [(c["candidate_id"], c["candidate_rank"]) for c in ranked] == [(4, 1), (2, 2), (3, 3), (1, 4)]
        assert [c["days_since_last_activity"] for c in ranked] == [2, 1, 1, None]
        assert {(c["changed_path_count"], c["path_prefix_count"], c["prefix_commits_30d"]) for c in ranked} == {(0, 0, 0)}
        with pytest.raises(OnlineTableError, match="a list of paths, not one string"):
            reader.reviewer_candidates(9, 99, "src/main/App.java", now=T)
