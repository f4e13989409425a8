"""The Python reviewer candidate order against the cases the Java ReviewerCandidateOrderTest checks.

The cases (features/src/test/resources/reviewers/candidate-order-cases.json) were computed by hand
from the documented order; the same file checks the Java ReviewerCandidateOrder, so the two readers
rank alike. Checked twice: the sort key alone, and OnlineReader.reviewer_candidates on a SQLite store
holding the cases' candidates as user rows.
"""

from __future__ import annotations

import copy
import json
import random
import sqlite3
from pathlib import Path

import pytest

from eventstream_features import OnlineReader
from eventstream_features.online import candidate_sort_key
from test_online import (
    DAY,
    REVIEWER_FEATURE_SET,
    REVIEWER_USER,
    REVIEWER_VERSION,
    T,
    create_sqlite_table,
    insert_sqlite_row,
    reviewer_user,
)

CASES_FILE = Path(__file__).resolve().parents[2] / "features/src/test/resources/reviewers/candidate-order-cases.json"
CASES = json.loads(CASES_FILE.read_text())["cases"]
PROJECT = 7
AUTHOR = 99_999  # the MR's author: never a candidate, whatever the rank of its row


def offer_orders(candidates):
    """The file's order, its reverse and a few fixed shuffles: the ranks must not depend on them."""
    orders = [list(candidates), list(reversed(candidates))]
    shuffler = random.Random(15)
    for _ in range(5):
        shuffled = list(candidates)
        shuffler.shuffle(shuffled)
        orders.append(shuffled)
    return orders


def test_the_cases_file_is_read():
    assert len(CASES) >= 10
    assert all(len(case["expected"]) <= case["max"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_sort_key_orders_every_case_as_expected(case):
    for offered in offer_orders(case["candidates"]):
        ranked = sorted(offered, key=candidate_sort_key)[: case["max"]]
        assert [c["user_id"] for c in ranked] == case["expected"], offered


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_reader_ranks_every_case_as_expected(case, tmp_path):
    path = tmp_path / "reviewers.sqlite"
    with sqlite3.connect(path) as connection:
        create_sqlite_table(connection, "reviewer_project_user_features", REVIEWER_USER, ["project_id", "user_id"])
        # Every candidate a member (so none is dropped for inactivity), its activity counted a day before the
        # request, inside the lookback window; and the author with more activity than any.
        rows = [reviewer_user(PROJECT, AUTHOR, T - DAY, True, 40, T - DAY, 1_000, 0, 0, 0, 0)]
        for c in case["candidates"]:
            rows.append(reviewer_user(PROJECT, c["user_id"], T - DAY, True, 30, c["last_activity_time"],
                                      c["lookback_activity"], 0, 0, 0, 0))
        for row in rows:
            insert_sqlite_row(connection, "reviewer_project_user_features", REVIEWER_USER, row, REVIEWER_VERSION)
    connection.close()
    feature_set = copy.deepcopy(REVIEWER_FEATURE_SET)
    feature_set["feature_set"]["max_candidates"] = case["max"]
    with OnlineReader.sqlite(path, feature_set=feature_set, now_millis=lambda: T) as reader:
        ranked = reader.reviewer_candidates(PROJECT, AUTHOR, [], now=T)
    assert [c["candidate_id"] for c in ranked] == case["expected"]
    assert [c["candidate_rank"] for c in ranked] == list(range(1, len(case["expected"]) + 1))
