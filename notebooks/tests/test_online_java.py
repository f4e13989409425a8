"""Cross-language check: what the Java side writes and reads, the Python OnlineReader reads the same.

Java writes the online tables (``./eventstream demo`` for SQLite; ``./eventstream run reviewers`` on the
demo's first events into a real redis-server started here), and the Java readers report them through the CLI:
``./eventstream online dump`` (every live row, via ``OnlineTableReader``) and ``./eventstream
suggest-reviewers`` (via ``ReviewerCandidateReader``). Every row and every candidate list must be
equal, value and type, to what ``OnlineReader`` returns.

Needs ``EVENTSTREAM_DATA`` (the ``./eventstream demo`` output, with ``online/*.sqlite``; ``./run-tests``
sets it after ``mvn install``); skipped with a message otherwise.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from eventstream_features import OnlineReader, dataset_root, feature_set, reviewer_tiles

REPO = Path(__file__).resolve().parents[2]
SPAM_CONFIG = REPO / "deploy" / "config" / "spam.yaml"
REVIEWERS_CONFIG = REPO / "deploy" / "config" / "reviewers.yaml"
SPAM_TABLE = "spam_user_features"
USER_TABLE = "reviewer_project_user_features"
PATH_TABLE = "reviewer_project_user_path_features"
KEYS = {SPAM_TABLE: ("user_id",), USER_TABLE: ("project_id", "user_id"), PATH_TABLE: ("project_id", "user_id", "path_prefix")}


@pytest.fixture(scope="module")
def demo() -> Path:
    value = os.environ.get("EVENTSTREAM_DATA")
    if not value:
        pytest.skip("NOT RUN: set EVENTSTREAM_DATA to the output directory of ./eventstream demo (built Java jars) "
                    "to compare the Java and Python online readers")
    path = Path(value).resolve()
    if not (path / "online").is_dir():
        pytest.fail(f"EVENTSTREAM_DATA={value} has no online/ directory")
    return path


def eventstream(*args: str, env: dict[str, str] | None = None) -> list[dict]:
    """Runs the CLI; its stdout as JSON lines."""
    result = subprocess.run([str(REPO / "eventstream"), *args], capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, **(env or {})}, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"./eventstream {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def typed(value):
    """Values with their Python types, so that True and 1 or 1 and 1.0 do not pass as equal."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def assert_rows_read_alike(java_rows: list[dict], reader: OnlineReader, table: str) -> None:
    assert java_rows, f"the Java reader found no rows in {table}"
    for row in java_rows:
        key = tuple(row[k] for k in KEYS[table])
        assert typed(reader.get(table, *key)) == typed(row), f"{table} {key}"


def assert_candidates_read_alike(store: str, reader: OnlineReader, user_rows: list[dict],
                                 path_rows: list[dict], projects: int = 3, days_after: tuple[int, ...] = (3,)) -> int:
    """suggest-reviewers against reviewer_candidates for the largest projects, as of each number of days after the
    last event (the counts as of those request times); returns candidates compared."""
    last = datetime.fromtimestamp(max(r["event_time"] for r in user_rows) / 1000, tz=timezone.utc)
    compared = 0
    for days in days_after:
        compared += _candidates_read_alike(store, reader, user_rows, path_rows, projects, last + timedelta(days=days))
    return compared


def _candidates_read_alike(store, reader, user_rows, path_rows, projects, now) -> int:
    compared = 0
    for project, _ in Counter(r["project_id"] for r in user_rows).most_common(projects):
        users = sorted((r for r in user_rows if r["project_id"] == project),
                       key=lambda r: (-r["lookback_activity"], r["user_id"]))
        author = users[0]["user_id"]  # the strongest candidate: excluding the author changes the list
        prefixes = Counter(r["path_prefix"] for r in path_rows if r["project_id"] == project)
        paths = [f"{prefix}/serving_check.txt" for prefix, _ in prefixes.most_common(4)] + ["README.md"]
        java = eventstream("suggest-reviewers", "--online", store, "--config", str(REVIEWERS_CONFIG),
                           "--project", str(project), "--author", str(author), "--now", now.isoformat(),
                           *[arg for path in paths for arg in ("--path", path)])
        python = reader.reviewer_candidates(project, author, paths, now=now)
        assert typed(python) == typed(java), f"project {project}"
        assert all(c["candidate_id"] != author for c in python)
        compared += len(python)
    return compared


def test_sqlite_tables_of_the_demo_read_the_same_in_java_and_python(demo):
    spam_db = demo / "online" / f"{SPAM_TABLE}.sqlite"
    reviewer_db = demo / "online" / "reviewer_features.sqlite"
    spam_fs = feature_set(dataset_root(demo, "spam_features"), "spam_features")
    reviewer_fs = feature_set(dataset_root(demo, "reviewer_candidates"), "reviewer_candidates")

    spam_rows = eventstream("online", "dump", "--table", SPAM_TABLE, "--config", str(SPAM_CONFIG),
                            "--online", f"sqlite:{spam_db}")
    user_rows = eventstream("online", "dump", "--table", USER_TABLE, "--config", str(REVIEWERS_CONFIG),
                            "--online", f"sqlite:{reviewer_db}")
    path_rows = eventstream("online", "dump", "--table", PATH_TABLE, "--config", str(REVIEWERS_CONFIG),
                            "--online", f"sqlite:{reviewer_db}")
    now = int(datetime.now(timezone.utc).timestamp() * 1000)
    for db, table, rows in ((spam_db, SPAM_TABLE, spam_rows), (reviewer_db, USER_TABLE, user_rows),
                            (reviewer_db, PATH_TABLE, path_rows)):
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            live = connection.execute(f'SELECT count(*) FROM "{table}" WHERE expires_at > ?', (now,)).fetchone()[0]
        assert len(rows) == live, f"{table}: the Java dump has every live row"

    with OnlineReader.sqlite(spam_db, feature_set=spam_fs) as reader:
        assert_rows_read_alike(spam_rows, reader, SPAM_TABLE)
    with OnlineReader.sqlite(reviewer_db, feature_set=reviewer_fs) as reader:
        assert_rows_read_alike(user_rows, reader, USER_TABLE)
        assert_rows_read_alike(path_rows, reader, PATH_TABLE)
        assert assert_candidates_read_alike(f"sqlite:{reviewer_db}", reader, user_rows, path_rows) > 10
        # As of later request times the windows drop counts (the 30-day ones after a month, the 90-day lookback
        # after three: rankings change); both languages compute them from count_tiles alike.
        assert assert_candidates_read_alike(f"sqlite:{reviewer_db}", reader, user_rows, path_rows, projects=2,
                                            days_after=(31, 95)) > 10
        last = max(r["event_time"] for r in user_rows)
        project = Counter(r["project_id"] for r in user_rows).most_common(1)[0][0]
        stored = [r for r in user_rows if r["project_id"] == project]
        later = [reviewer_tiles.as_of(r, reviewer_tiles.count_columns(list(r), user_table=True), last + 95 * 86_400_000)
                 for r in stored]
        assert sum(r["lookback_activity"] for r in later) < sum(r["lookback_activity"] for r in stored), \
            "95 days later some lookback activity has left the window"


def test_redis_tables_written_by_the_java_job_read_the_same_in_python(demo, redis_url, tmp_path):
    """The reviewer job on the demo's first events into Redis (the spam table's Redis layout is covered by
    the hand-built tests of both languages; SQLite above compares it with Java)."""
    events = tmp_path / "events.jsonl"
    with (demo / "events.jsonl").open() as source, events.open("w") as head:
        for _, line in zip(range(20_000), source):
            head.write(line)
    # Database 1: the other tests flush database 0 of the shared server.
    store = redis_url.rsplit("/", 1)[0] + "/1"
    eventstream("run", "reviewers", "--config", str(REVIEWERS_CONFIG), "--input", str(events),
                "--out", str(tmp_path / "reviewers"), "--online", store)
    reviewer_fs = feature_set(tmp_path / "reviewers", "reviewer_candidates")

    user_rows = eventstream("online", "dump", "--table", USER_TABLE, "--config", str(REVIEWERS_CONFIG), "--online", store)
    path_rows = eventstream("online", "dump", "--table", PATH_TABLE, "--config", str(REVIEWERS_CONFIG), "--online", store)
    with OnlineReader.redis(store, feature_set=reviewer_fs) as reader:
        assert_rows_read_alike(user_rows, reader, USER_TABLE)
        assert_rows_read_alike(path_rows, reader, PATH_TABLE)
        # The Java job's index sets hold every user row of each project.
        for project in {r["project_id"] for r in user_rows}:
            assert sorted(r["user_id"] for r in reader.scan_prefix(USER_TABLE, project)) == sorted(
                r["user_id"] for r in user_rows if r["project_id"] == project)
        assert assert_candidates_read_alike(store, reader, user_rows, path_rows, projects=2) > 10


STATE_TABLE = "spam_user_state"
PENDING_NOTE = {"content_type": "note", "project_id": 3, "noteable_type": "Issue", "text_length": 120,
                "link_count": 2, "external_link_count": 1, "mention_count": 1, "uppercase_ratio": 0.25,
                "has_code_block": True, "text_hash": -1234567890123456789}


def test_spam_features_as_of_a_request_time_are_the_same_in_java_and_python(demo):
    """Every user of the demo's spam_user_state, read as of request times by the Java SpamOnlineReader
    (``online dump --at``) and by ``OnlineReader.spam_features_at``: at the newest event of the table (every
    window and age advanced for the others), 40 days later (past state.ttl: every user reads as unknown),
    and with a pending note (the spam_features row the job would write for it)."""
    spam_db = demo / "online" / f"{SPAM_TABLE}.sqlite"
    spam_fs = feature_set(dataset_root(demo, "spam_features"), "spam_features")
    store = f"sqlite:{spam_db}"
    rows = eventstream("online", "dump", "--table", STATE_TABLE, "--config", str(SPAM_CONFIG), "--online", store)
    assert len(rows) > 100
    newest = datetime.fromtimestamp(max(r["event_time"] for r in rows) / 1000, tz=timezone.utc)
    compared = 0
    with OnlineReader.sqlite(spam_db, feature_set=spam_fs) as reader:
        for at, pending in ((newest, None), (newest + timedelta(days=40), None), (newest, PENDING_NOTE)):
            args = ["--at", at.isoformat().replace("+00:00", "Z")]
            if pending is not None:
                args += ["--pending", json.dumps(pending)]
            java = eventstream("online", "dump", "--table", STATE_TABLE, "--config", str(SPAM_CONFIG),
                               "--online", store, *args)
            assert len(java) == len(rows)
            for answer in java:
                assert "error" not in answer, answer
                python = reader.spam_features_at(answer["user_id"], at, pending)
                assert typed(python) == typed(answer), f"user {answer['user_id']} at {at} pending {pending is not None}"
                compared += 1
            if at > newest:
                assert all(a["email_domain_class"] == "unknown" and a["account_age_seconds"] is None for a in java)
    assert compared == 3 * len(rows)
