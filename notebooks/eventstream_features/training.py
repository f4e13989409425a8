"""Point-in-time training sets, time-based splits and a leakage check.

The labelling rule, stated once (the README repeats it):

A feature row with time ``t`` (its ``event_time``: every feature in it is as of ``t``) is
**positive** when a matching label has ``label_time`` in ``(t, t + horizon]``: strictly after the
row (a label at the same millisecond was not caused by anything the row could predict, and the
job itself may already have used it) and at most ``horizon`` later (inclusive). It is
**negative** when no matching label falls in that interval *and the interval is over*:
``t + horizon <= as_of``. Rows whose interval is not over (``t + horizon > as_of``) are
**dropped**: a label may still come for them, so calling them negative would be a guess.
``as_of`` is the end of what is known: the latest ``label_time`` or feature time in the data
unless given explicitly; labels after ``as_of`` are ignored.

Which labels match is the :class:`LabelRule`:

- :class:`SpamLabelRule`: labels of the same user (``entity``) with ``label == "spam"``
  (optionally only from some ``source``\\ s). ``ham`` labels never make a row positive; they do
  not make it negative either: negatives are "no spam label within the horizon".
- :class:`ReviewerLabelRule`: labels of the same merge request (``project_id``, ``mr_iid``) and
  the same user as the row's candidate (``candidate_id``), with a ``kind`` in a set (by default
  ``assigned_reviewer`` and ``approved``: the candidate became a reviewer or an approver).

For reviewer rows the horizon stands in for the merge request's review period: the datasets do
not record when an MR is merged or closed, so an MR counts as open for labels until ``horizon``
after the row. Rows of MRs still in that period at ``as_of`` (an MR opened less than ``horizon``
before the end of the data) are dropped, not called negative: a reviewer may still be assigned.
All candidate rows of one emission share its ``event_time``, so an emission is kept or dropped
as a whole and a per-MR ranking never sees part of a candidate list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .datasets import to_utc

TARGET = "target"


class LeakageError(AssertionError):
    """Training data holds information from the test period (the message names users and times)."""


@dataclass(frozen=True)
class SpamLabelRule:
    """Spam: a row is positive when its user gets a spam label within the horizon.

    ``sources`` None takes every source (``spam_verdict``, ``abuse_report``, ``user_block``);
    e.g. ``{"spam_verdict", "abuse_report"}`` leaves out user blocks, the noisiest source.
    """

    positive_labels: frozenset[str] = frozenset({"spam"})
    sources: frozenset[str] | None = None
    label_column: str = "label"
    source_column: str = "source"
    #: The feature-row column naming the labelled user (``training_set``'s default ``entity``).
    entity: str = "user_id"
    #: ``training_set``'s default horizon: a spam verdict or report may come days after the content.
    horizon: pd.Timedelta = pd.Timedelta(days=7)

    def keys(self, entity: str) -> tuple[list[str], list[str]]:
        """Feature-row columns and the label columns they must equal, in the same order."""
        return [entity], [entity]

    def matching(self, labels: pd.DataFrame) -> pd.DataFrame:
        """The labels that can make a row positive."""
        keep = labels[self.label_column].isin(self.positive_labels)
        if self.sources is not None:
            keep &= labels[self.source_column].isin(self.sources)
        return labels[keep]


#: The ``kind`` values the reviewer job writes to ``reviewer_labels`` (docs/reviewer-features.md).
REVIEWER_LABEL_KINDS = frozenset({"assigned_reviewer", "approved", "reviewed"})


@dataclass(frozen=True)
class ReviewerLabelRule:
    """Reviewers: a candidate row is positive when that candidate became a reviewer/approver of that MR.

    Defaults match the reviewer job's datasets: ``reviewer_candidates`` rows keyed by
    (``project_id``, ``mr_iid``) and ``candidate_id``; ``reviewer_labels`` with the same merge
    request keys, the labelled user in ``user_id`` and ``kind`` one of
    :data:`REVIEWER_LABEL_KINDS`. A row is positive when a label of its MR and its candidate with
    a kind in ``kinds`` has ``label_time`` in ``(event_time, event_time + horizon]``:

    - a reviewer assigned before the row, or by the very event that emitted it (same
      millisecond; the row's ``open_review_load`` already counts that assignment), does not make
      that row positive. For a model that suggests reviewers when an MR is opened, train on the
      ``trigger == "opened"`` rows: at a later ``paths_grew`` row the reviewers already chosen
      are negatives;
    - ``reviewed`` (a first note or approval by someone other than the author) is a looser
      target: add it to ``kinds`` to count commenters too.

    ``horizon`` (default 1 day) is the default of :func:`training_set`: how long after the row a
    reviewer may still be chosen. In the demo's data reviewers are assigned within minutes and
    extending it to the whole week changes 5 of about 4,900 positives; on a real instance, choose
    it from the delays between MR opening and labels.
    """

    kinds: frozenset[str] = frozenset({"assigned_reviewer", "approved"})
    merge_request_keys: tuple[str, ...] = ("project_id", "mr_iid")
    label_user_column: str = "user_id"
    kind_column: str = "kind"
    #: The feature-row column naming the candidate (``training_set``'s default ``entity``).
    entity: str = "candidate_id"
    horizon: pd.Timedelta = pd.Timedelta(days=1)

    def __post_init__(self) -> None:
        # A misspelt kind would silently make every row negative.
        unknown = set(self.kinds) - REVIEWER_LABEL_KINDS
        if not self.kinds or unknown:
            raise ValueError(
                f"ReviewerLabelRule kinds must be a non-empty subset of {sorted(REVIEWER_LABEL_KINDS)}; "
                f"unknown: {sorted(unknown)}"
            )

    def keys(self, entity: str) -> tuple[list[str], list[str]]:
        return list(self.merge_request_keys) + [entity], list(self.merge_request_keys) + [self.label_user_column]

    def matching(self, labels: pd.DataFrame) -> pd.DataFrame:
        return labels[labels[self.kind_column].isin(self.kinds)]


LabelRule = SpamLabelRule | ReviewerLabelRule


def training_set(
    features: pd.DataFrame | pa.Table,
    labels: pd.DataFrame | pa.Table,
    entity: str | None = None,
    horizon: pd.Timedelta | str | None = None,
    label_rule: LabelRule = SpamLabelRule(),
    as_of: Any = None,
    time_col: str = "event_time",
    label_time_col: str = "label_time",
    target_col: str = TARGET,
) -> pd.DataFrame:
    """Labels feature rows point in time (see the module docstring for the exact rule).

    Returns the kept feature rows, in their input order with their input index, plus
    ``target_col`` (int 0/1). Rows whose horizon is not over at ``as_of`` are dropped; the
    returned frame's ``attrs`` record ``as_of``, ``horizon`` and how many rows were dropped.
    ``entity`` and ``horizon`` default to the rule's (``user_id`` and 7 days for spam,
    ``candidate_id`` and 1 day for reviewers).
    """
    features = _to_pandas(features)
    labels = _to_pandas(labels)
    entity = label_rule.entity if entity is None else entity
    horizon = pd.Timedelta(label_rule.horizon if horizon is None else horizon)
    if horizon <= pd.Timedelta(0):
        raise ValueError(f"horizon must be positive: {horizon}")
    if target_col in features.columns:
        raise ValueError(f"the feature rows already have a column {target_col!r}")
    feature_keys, label_keys = label_rule.keys(entity)
    for column in feature_keys + [time_col]:
        if column not in features.columns:
            raise KeyError(f"feature rows have no column {column!r}")
    for column in label_keys + [label_time_col]:
        if column not in labels.columns:
            raise KeyError(f"labels have no column {column!r}")

    event_time = _utc_millis(features[time_col])
    label_time = _utc_millis(labels[label_time_col])
    for name, times in ((time_col, event_time), (label_time_col, label_time)):
        if times.isna().any():
            raise ValueError(f"{name} has {int(times.isna().sum())} null value(s); every row needs a time")
    if as_of is None:
        known = [t.max() for t in (event_time, label_time) if len(t)]
        as_of_ts = max(known) if known else None
    else:
        as_of_ts = to_utc(as_of)

    # Times as int64 epoch millis inside: exact, and merge_asof needs one numeric dtype on both sides.
    row_ms = _epoch_millis(event_time)
    rows = pd.DataFrame({"_row": np.arange(len(features)), "_t": row_ms})
    for feature_key in feature_keys:
        rows[feature_key] = features[feature_key].to_numpy()
    matching = label_rule.matching(labels.assign(_label_ms=_epoch_millis(label_time)))
    if as_of_ts is not None:
        matching = matching[matching["_label_ms"] <= _epoch_millis(pd.Series([as_of_ts]))[0]]
    matching = pd.DataFrame(
        {feature_key: matching[label_key].to_numpy() for feature_key, label_key in zip(feature_keys, label_keys)}
        | {"_label_ms": matching["_label_ms"].to_numpy(dtype=np.int64)}
    ).dropna()
    for key in feature_keys:
        matching[key] = matching[key].astype(rows[key].dtype)

    # For each row the first matching label strictly after it: positive when that label is within the horizon.
    merged = pd.merge_asof(
        rows.sort_values("_t", kind="stable"),
        matching.sort_values("_label_ms", kind="stable"),
        left_on="_t",
        right_on="_label_ms",
        by=feature_keys,
        direction="forward",
        allow_exact_matches=False,
    ).set_index("_row")
    first_label_ms = merged["_label_ms"].reindex(np.arange(len(features))).to_numpy(dtype=np.float64)
    horizon_ms = horizon // pd.Timedelta(milliseconds=1)
    # NaN (no label after the row) compares False: negative.
    positive = first_label_ms <= (row_ms + horizon_ms)
    settled = (
        (row_ms + horizon_ms) <= _epoch_millis(pd.Series([as_of_ts]))[0]
        if as_of_ts is not None
        else np.zeros(len(features), bool)
    )

    out = features[settled].copy()
    out[target_col] = positive[settled].astype(np.int64)
    out.attrs.update(as_of=as_of_ts, horizon=horizon, dropped_unsettled=int((~settled).sum()))
    return out


def time_split(
    df: pd.DataFrame,
    train_until: Any,
    test_from: Any,
    time_col: str = "event_time",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Splits rows by time: train = ``time < train_until``, test = ``time >= test_from``.

    ``train_until`` may be earlier than ``test_from``; rows in between are in neither set. Leaving
    a gap of one label horizon keeps the training labels (observed up to ``t + horizon``) from
    the test period: ``train_until = test_from - horizon``.
    """
    train_until, test_from = to_utc(train_until), to_utc(test_from)
    if train_until > test_from:
        raise ValueError(f"train_until {train_until} is after test_from {test_from}: train and test would overlap")
    times = _utc_millis(df[time_col])
    return df[(times < train_until).to_numpy()], df[(times >= test_from).to_numpy()]


def check_no_leakage(
    train: pd.DataFrame,
    test: pd.DataFrame,
    entity: str = "user_id",
    time_col: str = "event_time",
    test_from: Any = None,
    horizon: pd.Timedelta | str | None = None,
    max_listed: int = 10,
) -> None:
    """Raises :class:`LeakageError` when the training rows know something of the test period.

    Checks, each naming the offending users, times (and ``event_id`` when present):

    1. no training row at or after ``test_from`` (default: the earliest test row's time);
    2. no user's future in training: no training row of a user at or after that user's first
       test row (catches row-wise random splits);
    3. with ``horizon``: no training row whose label window ``(t, t + horizon]`` reaches past
       ``test_from`` (its label was observed during the test period).
    """
    train_t = _utc_millis(train[time_col])
    test_t = _utc_millis(test[time_col])
    if len(test) == 0:
        return
    start = to_utc(test_from) if test_from is not None else test_t.min()
    problems: list[str] = []

    late = train[(train_t >= start).to_numpy()]
    if len(late):
        problems.append(
            f"{len(late)} training row(s) at or after test_from {start}: " + _describe(late, entity, time_col, max_listed)
        )

    first_test = pd.DataFrame({entity: test[entity].to_numpy(), "_t": test_t.to_numpy()}).groupby(entity)["_t"].min()
    user_first = train[entity].map(first_test)
    future = train[(train_t.to_numpy() >= user_first.to_numpy()) & user_first.notna().to_numpy()]
    if len(future):
        lines = []
        for user, rows in list(future.groupby(entity, sort=True))[:max_listed]:
            times = _utc_millis(rows[time_col])
            lines.append(
                f"{entity}={user}: {len(rows)} training row(s) from {times.min()} to {times.max()}, "
                f"first test row at {first_test[user]}"
            )
        problems.append(
            f"the future of {future[entity].nunique()} user(s) is in the training rows:\n    " + "\n    ".join(lines)
        )

    if horizon is not None:
        reaching = train[((train_t + pd.Timedelta(horizon)) > start).to_numpy()]
        if len(reaching):
            problems.append(
                f"{len(reaching)} training row(s) have a label window of {pd.Timedelta(horizon)} reaching past "
                f"test_from {start}: " + _describe(reaching, entity, time_col, max_listed)
            )
    if problems:
        raise LeakageError("leakage between training and test rows:\n  " + "\n  ".join(problems))


def _describe(rows: pd.DataFrame, entity: str, time_col: str, max_listed: int) -> str:
    times = _utc_millis(rows[time_col])
    listed = rows.assign(_t=times.to_numpy()).sort_values("_t").head(max_listed)
    parts = []
    for _, row in listed.iterrows():
        event = f" event_id={row['event_id']}" if "event_id" in rows.columns else ""
        parts.append(f"{entity}={row[entity]} at {row['_t']}{event}")
    more = f" (and {len(rows) - len(listed)} more)" if len(rows) > len(listed) else ""
    return "; ".join(parts) + more


def _to_pandas(frame: pd.DataFrame | pa.Table) -> pd.DataFrame:
    return frame.to_pandas() if isinstance(frame, pa.Table) else frame


def _utc_millis(series: pd.Series) -> pd.Series:
    """The column as UTC timestamps with millisecond resolution, whatever the input's resolution or zone."""
    times = pd.to_datetime(series, utc=True)
    return times.astype("datetime64[ms, UTC]")


def _epoch_millis(times: pd.Series) -> np.ndarray:
    """Epoch millis (int64) of non-null UTC millisecond timestamps."""
    return _utc_millis(times).astype("int64").to_numpy()


#: Columns that identify a row or an entity rather than describe it: never model inputs.
IDENTIFIER_COLUMNS = (
    "event_id", "event_time", "user_id", "project_id", "email_domain_hash", "label_time",
    "mr_id", "mr_iid", "author_id", "candidate_id",  # reviewer_candidates
)
#: String columns of spam_features that are categories, one-hot encoded by :func:`feature_matrix`.
CATEGORICAL_COLUMNS = ("content_type", "noteable_type", "email_domain_class")


def feature_matrix(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    exclude: tuple[str, ...] = (),
    categorical: tuple[str, ...] = CATEGORICAL_COLUMNS,
    target_col: str = TARGET,
) -> pd.DataFrame:
    """Model inputs from feature rows: numbers and booleans as float64 (nulls stay NaN), categories one-hot.

    Identifiers, times, hashes and the target are left out, as are ``exclude``. Give the training
    matrix's ``columns`` when building the test matrix so both have the same columns in the same
    order (a category unseen in training is dropped, one missing in test is all zeros).
    """
    skip = set(IDENTIFIER_COLUMNS) | set(exclude) | {target_col}
    parts = []
    for name in frame.columns:
        if name in skip:
            continue
        column = frame[name]
        if name in categorical:
            dummies = pd.get_dummies(column.astype("object").fillna("(null)"), prefix=name, prefix_sep="=")
            parts.append(dummies.astype("float64"))
        elif pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            parts.append(column.astype("float64").rename(name).to_frame())
        elif column.dtype == object and column.dropna().map(lambda v: isinstance(v, bool)).all():
            parts.append(column.astype("float64").rename(name).to_frame())  # nullable booleans from Arrow
    matrix = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)
    if columns is not None:
        matrix = matrix.reindex(columns=columns, fill_value=0.0)
    return matrix
