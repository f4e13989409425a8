"""Point-in-time labelling, time split and the leakage check, on hand-built cases."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest

from eventstream_features import (
    REVIEWER_LABEL_KINDS,
    LeakageError,
    ReviewerLabelRule,
    SpamLabelRule,
    check_no_leakage,
    feature_matrix,
    load,
    time_split,
    training_set,
)
from layout import (
    candidate_rows,
    feature_row,
    label_row,
    ms,
    reviewer_candidates_writer,
    reviewer_label_row,
    reviewer_labels_writer,
    spam_features_writer,
    spam_labels_writer,
)

H = pd.Timedelta(hours=1)
MS = pd.Timedelta(milliseconds=1)


def features(*rows: tuple[str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"event_id": e, "event_time": ms(t), "user_id": u, "text_length": i} for i, (e, t, u) in enumerate(rows)]
    )


def labels(*rows: tuple[str, int, str] | tuple[str, int, str, str]) -> pd.DataFrame:
    out = []
    for i, row in enumerate(rows):
        t, u, label = row[:3]
        source = row[3] if len(row) > 3 else "spam_verdict"
        out.append({"label_event_id": f"l{i}", "label_time": ms(t), "user_id": u, "label": label, "source": source})
    return pd.DataFrame(out, columns=["label_event_id", "label_time", "user_id", "label", "source"])


def targets(frame: pd.DataFrame) -> dict[str, int]:
    return dict(zip(frame["event_id"], frame["target"]))


def test_horizon_is_open_at_the_event_and_closed_at_the_end():
    rows = features(
        ("same_ms", "2024-05-01T10:00", 1),
        ("at_end", "2024-05-01T10:00", 2),
        ("past_end", "2024-05-01T10:00", 3),
        ("just_after", "2024-05-01T10:00", 4),
        ("label_before", "2024-05-01T10:00", 5),
    )
    lab = labels(
        ("2024-05-01T10:00", 1, "spam"),  # exactly at event_time: not positive
        ("2024-05-01T11:00", 2, "spam"),  # exactly at event_time + horizon: positive
        ("2024-05-01T11:00:00.001", 3, "spam"),  # 1 ms too late
        ("2024-05-01T10:00:00.001", 4, "spam"),  # 1 ms after the event
        ("2024-05-01T09:59:59.999", 5, "spam"),  # before the event
    )
    out = training_set(rows, lab, horizon=H, as_of="2024-05-02")
    assert targets(out) == {"same_ms": 0, "at_end": 1, "past_end": 0, "just_after": 1, "label_before": 0}


def test_rows_whose_horizon_is_not_over_are_dropped_not_negative():
    rows = features(
        ("settled", "2024-05-01T10:00", 1),
        ("ends_at_cutoff", "2024-05-01T11:00", 1),
        ("open", "2024-05-01T11:00:00.001", 1),
        ("open_positive_so_far", "2024-05-01T11:30", 2),
    )
    lab = labels(("2024-05-01T11:45", 2, "spam"), ("2024-05-01T12:00", 9, "ham"))
    out = training_set(rows, lab, horizon=H)  # as_of = latest time in the data = 12:00
    assert targets(out) == {"settled": 0, "ends_at_cutoff": 0}
    assert out.attrs["as_of"] == ms("2024-05-01T12:00")
    assert out.attrs["dropped_unsettled"] == 2


def test_cutoff_is_the_latest_feature_time_when_features_end_later():
    rows = features(("a", "2024-05-01T10:00", 1), ("b", "2024-05-01T13:00", 1))
    out = training_set(rows, labels(("2024-05-01T10:30", 1, "spam")), horizon=H)
    assert targets(out) == {"a": 1}
    assert out.attrs["as_of"] == ms("2024-05-01T13:00")


def test_ham_labels_make_nothing_positive():
    rows = features(("a", "2024-05-01T10:00", 1), ("b", "2024-05-01T10:00", 2))
    lab = labels(("2024-05-01T10:30", 1, "ham"), ("2024-05-01T10:30", 2, "ham"), ("2024-05-01T10:40", 2, "spam"))
    assert targets(training_set(rows, lab, horizon=H, as_of="2024-05-02")) == {"a": 0, "b": 1}


def test_multiple_labels_and_users():
    rows = features(
        ("u1_before_both", "2024-05-01T08:00", 1),
        ("u1_between", "2024-05-01T09:30", 1),
        ("u1_after_both", "2024-05-01T12:00", 1),
        ("u2_no_labels", "2024-05-01T08:00", 2),
    )
    lab = labels(
        ("2024-05-01T09:00", 1, "spam"),
        ("2024-05-01T10:45", 1, "spam"),  # 1h15 after u1_between: outside its horizon
        ("2024-05-01T08:30", 3, "spam"),  # another user
    )
    out = training_set(rows, lab, horizon=H, as_of="2024-05-02")
    assert targets(out) == {"u1_before_both": 1, "u1_between": 0, "u1_after_both": 0, "u2_no_labels": 0}
    # A later label within the horizon counts even when an earlier one is outside it.
    out = training_set(rows, lab, horizon=pd.Timedelta(minutes=90), as_of="2024-05-02")
    assert targets(out)["u1_between"] == 1


def test_sources_filter_leaves_out_user_blocks():
    rows = features(("a", "2024-05-01T10:00", 1))
    lab = labels(("2024-05-01T10:30", 1, "spam", "user_block"))
    assert targets(training_set(rows, lab, horizon=H, as_of="2024-05-02")) == {"a": 1}
    rule = SpamLabelRule(sources=frozenset({"spam_verdict", "abuse_report"}))
    assert targets(training_set(rows, lab, horizon=H, as_of="2024-05-02", label_rule=rule)) == {"a": 0}


def test_output_keeps_feature_columns_order_and_index_and_adds_only_the_target():
    rows = features(("b", "2024-05-01T10:00", 2), ("a", "2024-05-01T09:00", 1)).set_axis([10, 20])
    out = training_set(rows, labels(("2024-05-01T09:30", 1, "spam")), horizon=H, as_of="2024-05-02")
    assert list(out.columns) == ["event_id", "event_time", "user_id", "text_length", "target"]
    assert list(out.index) == [10, 20]
    assert out["target"].tolist() == [0, 1]


def test_labels_after_the_cutoff_change_nothing():
    rows = features(("a", "2024-05-01T10:00", 1), ("b", "2024-05-01T10:30", 1), ("c", "2024-05-01T11:30", 1))
    lab = labels(("2024-05-01T10:20", 1, "spam"))
    before = training_set(rows, lab, horizon=H, as_of="2024-05-01T11:30")
    later = pd.concat([lab, labels(("2024-05-01T11:30:00.001", 1, "spam"), ("2024-05-01T11:31", 1, "spam"))])
    after = training_set(rows, later, horizon=H, as_of="2024-05-01T11:30")
    pd.testing.assert_frame_equal(before, after)
    assert targets(before) == {"a": 1, "b": 0}


def naive_targets(rows: pd.DataFrame, lab: pd.DataFrame, horizon: pd.Timedelta, as_of: pd.Timestamp) -> dict[str, int]:
    """The rule, written as plainly as possible: one loop over rows, one over labels."""
    out = {}
    for _, row in rows.iterrows():
        if row["event_time"] + horizon > as_of:
            continue
        positive = 0
        for _, label in lab.iterrows():
            if (
                label["user_id"] == row["user_id"]
                and label["label"] == "spam"
                and label["label_time"] <= as_of
                and row["event_time"] < label["label_time"] <= row["event_time"] + horizon
            ):
                positive = 1
        out[row["event_id"]] = positive
    return out


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_a_naive_implementation_on_random_data(seed):
    rnd = random.Random(seed)
    base = ms("2024-05-01T00:00")
    # Times on a coarse grid make exact ties and exact horizon ends frequent.
    t = lambda: base + pd.Timedelta(minutes=15 * rnd.randint(0, 40))  # noqa: E731
    rows = pd.DataFrame(
        [{"event_id": f"e{i}", "event_time": t(), "user_id": rnd.randint(1, 5)} for i in range(rnd.randint(0, 60))],
        columns=["event_id", "event_time", "user_id"],
    )
    lab = pd.DataFrame(
        [
            {"label_time": t(), "user_id": rnd.randint(1, 6), "label": rnd.choice(["spam", "spam", "ham"])}
            for _ in range(rnd.randint(0, 25))
        ],
        columns=["label_time", "user_id", "label"],
    )
    horizon = pd.Timedelta(minutes=15 * rnd.randint(1, 8))
    as_of = base + pd.Timedelta(minutes=15 * rnd.randint(10, 40))
    out = training_set(rows, lab, horizon=horizon, as_of=as_of)
    assert targets(out) == naive_targets(rows, lab, horizon, as_of)


def test_spam_rule_supplies_the_default_entity_and_horizon():
    rows = features(("a", "2024-05-01T10:00", 1), ("b", "2024-05-01T10:00", 2))
    lab = labels(("2024-05-08T10:00", 1, "spam"), ("2024-05-08T10:00:00.001", 2, "spam"))
    out = training_set(rows, lab, as_of="2024-05-09")
    assert out.attrs["horizon"] == pd.Timedelta(days=7)
    assert targets(out) == {"a": 1, "b": 0}


def test_reviewer_rule_joins_merge_request_and_candidate():
    candidates = pd.DataFrame(
        [
            {"event_id": "c1", "event_time": ms("2024-05-01T10:00"), "project_id": 7, "mr_iid": 1, "candidate_id": 100},
            {"event_id": "c2", "event_time": ms("2024-05-01T10:00"), "project_id": 7, "mr_iid": 1, "candidate_id": 101},
            {"event_id": "c3", "event_time": ms("2024-05-01T10:00"), "project_id": 7, "mr_iid": 1, "candidate_id": 102},
            {"event_id": "c4", "event_time": ms("2024-05-01T10:00"), "project_id": 8, "mr_iid": 1, "candidate_id": 100},
            {"event_id": "c5", "event_time": ms("2024-05-01T10:00"), "project_id": 7, "mr_iid": 2, "candidate_id": 101},
        ]
    )
    reviewer_labels = pd.DataFrame(
        [
            {"label_time": ms("2024-05-01T11:00"), "project_id": 7, "mr_iid": 1, "user_id": 100, "kind": "assigned_reviewer"},
            {"label_time": ms("2024-05-01T12:00"), "project_id": 7, "mr_iid": 1, "user_id": 101, "kind": "approved"},
            {"label_time": ms("2024-05-01T11:00"), "project_id": 7, "mr_iid": 1, "user_id": 102, "kind": "reviewed"},
            # Same user, other project / other MR: must not leak across merge requests.
            {"label_time": ms("2024-05-01T11:00"), "project_id": 9, "mr_iid": 1, "user_id": 100, "kind": "approved"},
            {"label_time": ms("2024-05-01T10:00"), "project_id": 7, "mr_iid": 2, "user_id": 101, "kind": "approved"},
        ]
    )
    out = training_set(candidates, reviewer_labels, label_rule=ReviewerLabelRule(), as_of="2024-05-03")
    assert targets(out) == {"c1": 1, "c2": 1, "c3": 0, "c4": 0, "c5": 0}
    only_assigned = ReviewerLabelRule(kinds=frozenset({"assigned_reviewer"}))
    out = training_set(candidates, reviewer_labels, label_rule=only_assigned, as_of="2024-05-03")
    assert targets(out) == {"c1": 1, "c2": 0, "c3": 0, "c4": 0, "c5": 0}
    with_commenters = ReviewerLabelRule(kinds=REVIEWER_LABEL_KINDS)
    out = training_set(candidates, reviewer_labels, label_rule=with_commenters, as_of="2024-05-03")
    assert targets(out) == {"c1": 1, "c2": 1, "c3": 1, "c4": 0, "c5": 0}


def test_reviewer_rule_rejects_kinds_the_job_does_not_write():
    with pytest.raises(ValueError, match=r"unknown: \['reviewer_assigned'\]"):
        ReviewerLabelRule(kinds=frozenset({"reviewer_assigned", "approved"}))
    with pytest.raises(ValueError, match="non-empty"):
        ReviewerLabelRule(kinds=frozenset())


def candidate_targets(frame: pd.DataFrame) -> dict[tuple[str, int], int]:
    return {(e, c): t for e, c, t in zip(frame["event_id"], frame["candidate_id"], frame["target"])}


def test_reviewer_rule_on_the_job_layout_with_its_defaults(tmp_path):
    reviewer_candidates_writer(tmp_path).write(
        candidate_rows("o71", "2024-05-01T10:00", 7, 1, [100, 101, 102, 103, 104])
        + candidate_rows("p71", "2024-05-01T12:00", 7, 1, [100, 101], trigger="paths_grew")
        + candidate_rows("o81", "2024-05-01T10:00", 8, 1, [100])
        # Opened 12 h before the end of the data: its reviewers may still be chosen.
        + candidate_rows("o72", "2024-05-02T20:00", 7, 2, [100, 101])
    )
    reviewer_labels_writer(tmp_path).write(
        [
            reviewer_label_row("r1", "2024-05-01T10:00", 7, 1, 104),  # by the opening event itself
            reviewer_label_row("r2", "2024-05-01T10:01", 7, 1, 1),  # the author assigns themself: no row
            reviewer_label_row("r3", "2024-05-01T10:05", 7, 1, 100),
            reviewer_label_row("r4", "2024-05-01T10:30", 7, 1, 103, kind="reviewed"),
            reviewer_label_row("r5", "2024-05-02T10:00", 7, 1, 101, kind="approved"),  # t + 1 day: in
            reviewer_label_row("r6", "2024-05-02T10:00:00.001", 7, 1, 102, kind="approved"),  # 1 ms late
            reviewer_label_row("r7", "2024-05-01T10:05", 8, 2, 100),  # project 8, another MR
            reviewer_label_row("r8", "2024-05-02T20:10", 7, 2, 101),
            reviewer_label_row("r9", "2024-05-03T08:00", 9, 1, 5, kind="approved"),  # the end of the data
        ]
    )
    candidates = load(tmp_path, "reviewer_candidates", as_pandas=True)
    reviewer_labels = load(tmp_path, "reviewer_labels", as_pandas=True)
    out = training_set(candidates, reviewer_labels, label_rule=ReviewerLabelRule())
    assert candidate_targets(out) == {
        ("o71", 100): 1, ("o71", 101): 1, ("o71", 102): 0, ("o71", 103): 0, ("o71", 104): 0,
        # 100 was assigned before this emission: not something it could predict.
        ("p71", 100): 0, ("p71", 101): 1,
        ("o81", 100): 0,
    }
    # Identifiers (MR, author, candidate) are not model inputs; the trigger string is not either.
    assert list(feature_matrix(out).columns) == ["candidate_rank", "is_member", "days_since_last_activity", "reviews_30d"]
    # o72 (horizon until 2024-05-03T20:00, after as_of) is dropped whole, its positive so far included.
    assert out.attrs == {"as_of": ms("2024-05-03T08:00"), "horizon": pd.Timedelta(days=1), "dropped_unsettled": 2}
    commenters = training_set(candidates, reviewer_labels, label_rule=ReviewerLabelRule(kinds=REVIEWER_LABEL_KINDS))
    assert candidate_targets(commenters)[("o71", 103)] == 1
    # Once the data reaches past its horizon, o72 is labelled.
    later = training_set(candidates, reviewer_labels, label_rule=ReviewerLabelRule(), as_of="2024-05-03T20:00")
    assert {k: v for k, v in candidate_targets(later).items() if k[0] == "o72"} == {("o72", 100): 0, ("o72", 101): 1}
    with pytest.raises(KeyError, match="feature rows have no column 'user_id'"):
        training_set(candidates, reviewer_labels, entity="user_id", label_rule=ReviewerLabelRule())


def naive_reviewer_targets(rows: pd.DataFrame, lab: pd.DataFrame, kinds: frozenset[str], horizon: pd.Timedelta,
                           as_of: pd.Timestamp) -> dict[tuple[str, int], int]:
    """The reviewer rule, written as plainly as possible: one loop over rows, one over labels."""
    out = {}
    for _, row in rows.iterrows():
        if row["event_time"] + horizon > as_of:
            continue
        positive = 0
        for _, label in lab.iterrows():
            if (
                (label["project_id"], label["mr_iid"], label["user_id"]) == (row["project_id"], row["mr_iid"], row["candidate_id"])
                and label["kind"] in kinds
                and label["label_time"] <= as_of
                and row["event_time"] < label["label_time"] <= row["event_time"] + horizon
            ):
                positive = 1
        out[(row["event_id"], row["candidate_id"])] = positive
    return out


@pytest.mark.parametrize("seed", range(10))
def test_reviewer_rule_agrees_with_a_naive_implementation_on_random_data(seed):
    rnd = random.Random(seed)
    base = ms("2024-05-01T00:00")
    t = lambda: base + pd.Timedelta(hours=6 * rnd.randint(0, 20))  # noqa: E731
    rows = []
    for emission in range(rnd.randint(4, 15)):
        project, mr, time = rnd.randint(1, 2), rnd.randint(1, 3), t()
        for candidate in rnd.sample(range(1, 6), rnd.randint(1, 4)):
            rows.append({"event_id": f"e{emission}", "event_time": time, "project_id": project, "mr_iid": mr,
                         "candidate_id": candidate})
    rows = pd.DataFrame(rows, columns=["event_id", "event_time", "project_id", "mr_iid", "candidate_id"])
    # Most labels name a (project, MR, candidate) of some row, so positives are frequent.
    keys = list(rows[["project_id", "mr_iid", "candidate_id"]].itertuples(index=False, name=None)) or [(1, 1, 1)]
    lab = pd.DataFrame(
        [
            (t(), *(rnd.choice(keys) if rnd.random() < 0.8 else (rnd.randint(1, 2), rnd.randint(1, 3), rnd.randint(1, 6))),
             rnd.choice(sorted(REVIEWER_LABEL_KINDS)))
            for _ in range(rnd.randint(20, 60))
        ],
        columns=["label_time", "project_id", "mr_iid", "user_id", "kind"],
    )
    kinds = frozenset(rnd.sample(sorted(REVIEWER_LABEL_KINDS), rnd.randint(1, 3)))
    horizon = pd.Timedelta(hours=6 * rnd.randint(1, 4))
    as_of = base + pd.Timedelta(hours=6 * rnd.randint(12, 24))
    out = training_set(rows, lab, horizon=horizon, label_rule=ReviewerLabelRule(kinds=kinds), as_of=as_of)
    assert candidate_targets(out) == naive_reviewer_targets(rows, lab, kinds, horizon, as_of)


def test_end_to_end_from_parquet(tmp_path):
    spam_features_writer(tmp_path).write(
        [
            feature_row("e1", "2024-05-01T07:10:00", 1),
            feature_row("e2", "2024-05-01T07:20:00", 2),
            feature_row("e3", "2024-05-01T08:15:00", 1),
            feature_row("e4", "2024-05-01T09:05:00", 2),
        ]
    )
    spam_labels_writer(tmp_path).write(
        [
            label_row("l1", "2024-05-01T08:10:00", 1, target_event_id="e1"),
            label_row("l2", "2024-05-01T09:30:00", 2, label="ham", decision="ALLOW"),
        ]
    )
    out = training_set(load(tmp_path, "spam_features"), load(tmp_path, "spam_labels"), horizon=H)
    # as_of = 09:30, the latest time in the data. e1: spam label 1 h later, on the horizon's closed end.
    # e2: only a ham label. e3: horizon over at 09:15, no label after it. e4: open until 10:05, dropped.
    assert targets(out) == {"e1": 1, "e2": 0, "e3": 0}
    assert out["event_time"].dt.tz is not None


def test_time_split_boundaries():
    rows = features(
        ("a", "2024-05-01T09:59:59.999", 1),
        ("b", "2024-05-01T10:00", 1),
        ("c", "2024-05-01T10:59:59.999", 2),
        ("d", "2024-05-01T11:00", 2),
    )
    train, test = time_split(rows, train_until="2024-05-01T10:00", test_from="2024-05-01T11:00")
    assert train["event_id"].tolist() == ["a"]
    assert test["event_id"].tolist() == ["d"]
    with pytest.raises(ValueError, match="overlap"):
        time_split(rows, train_until="2024-05-01T11:00", test_from="2024-05-01T10:00")


def test_leakage_check_accepts_a_proper_split():
    rows = features(("a", "2024-05-01T08:00", 1), ("b", "2024-05-01T09:00", 2), ("c", "2024-05-01T11:00", 1))
    train, test = time_split(rows, "2024-05-01T10:00", "2024-05-01T11:00")
    check_no_leakage(train, test, horizon=H)


def test_leakage_check_names_training_rows_after_test_from():
    train = features(("a", "2024-05-01T08:00", 1), ("late", "2024-05-01T12:00", 2))
    test = features(("t", "2024-05-01T11:00", 3))
    with pytest.raises(LeakageError) as raised:
        check_no_leakage(train, test)
    message = str(raised.value)
    assert "1 training row(s) at or after test_from 2024-05-01 11:00:00+00:00" in message
    assert "user_id=2 at 2024-05-01 12:00:00+00:00 event_id=late" in message
    assert "user(s)" not in message  # user 2 has no test rows: no per-user finding


def test_leakage_check_names_users_whose_future_is_in_training():
    rows = features(
        ("u1_a", "2024-05-01T08:00", 1), ("u1_b", "2024-05-01T09:00", 1), ("u1_c", "2024-05-01T10:00", 1),
        ("u2_a", "2024-05-01T08:00", 2), ("u2_b", "2024-05-01T09:00", 2),
    )
    # A row-wise split: u1's middle row is tested, its later row trained on.
    train, test = rows[rows["event_id"] != "u1_b"], rows[rows["event_id"] == "u1_b"]
    with pytest.raises(LeakageError) as raised:
        check_no_leakage(train, test, test_from="2024-05-01T09:00")
    message = str(raised.value)
    assert "the future of 1 user(s) is in the training rows" in message
    assert (
        "user_id=1: 1 training row(s) from 2024-05-01 10:00:00+00:00 to 2024-05-01 10:00:00+00:00, "
        "first test row at 2024-05-01 09:00:00+00:00"
    ) in message


def test_leakage_check_flags_label_windows_reaching_into_the_test_period():
    train = features(("early", "2024-05-01T08:00", 1), ("edge", "2024-05-01T09:00", 1), ("reaching", "2024-05-01T09:30", 2))
    test = features(("t", "2024-05-01T10:00", 3))
    check_no_leakage(train, test)  # without a horizon only the row times are checked
    with pytest.raises(LeakageError, match=r"1 training row\(s\) have a label window of 0 days 01:00:00 reaching past"
                                           r".*user_id=2 at 2024-05-01 09:30:00\+00:00 event_id=reaching"):
        check_no_leakage(train, test, horizon=H)


def test_feature_matrix_encodes_and_aligns(tmp_path):
    spam_features_writer(tmp_path).write(
        [
            feature_row("e1", "2024-05-01T07:10:00", 1, content_type="note", account_age_seconds=None, has_code_block=True),
            feature_row("e2", "2024-05-01T07:20:00", 2, content_type="issue", project_id=None, uppercase_ratio=0.5),
        ]
    )
    frame = training_set(load(tmp_path, "spam_features"), labels(), horizon=H, as_of="2024-05-02")
    train = feature_matrix(frame)
    assert list(train.columns) == [
        "content_type=issue", "content_type=note", "text_length", "uppercase_ratio", "has_code_block",
        "account_age_seconds", "notes_1h",
    ]
    assert train.to_dict("list") | {"account_age_seconds": None} == {
        "content_type=issue": [0.0, 1.0], "content_type=note": [1.0, 0.0], "text_length": [10.0, 10.0],
        "uppercase_ratio": [0.25, 0.5], "has_code_block": [1.0, 0.0], "account_age_seconds": None,
        "notes_1h": [1.0, 1.0],
    }
    assert math.isnan(train["account_age_seconds"].iloc[0]) and train["account_age_seconds"].iloc[1] == 3600.0
    test = feature_matrix(frame.assign(content_type=["merge_request", "note"]), columns=list(train.columns))
    assert list(test.columns) == list(train.columns)
    assert test["content_type=issue"].tolist() == [0.0, 0.0]
    assert test["content_type=note"].tolist() == [0.0, 1.0]
    # Nullable booleans arrive from Arrow as objects with None: still one float column.
    nullable = feature_matrix(pd.DataFrame({"is_project_member": pd.Series([True, None, False], dtype=object)}))
    assert nullable["is_project_member"].tolist()[::2] == [1.0, 0.0] and math.isnan(nullable["is_project_member"][1])
