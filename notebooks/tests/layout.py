"""Writes hand-built datasets in the exact layout of the Java dataset sink, for tests.

``<root>/<dataset>/v<N>/_feature_set.json`` and ``dt=YYYY-MM-DD/hour=HH/part-<subtask>-<uuid>.parquet``
partitioned by the UTC hour of the time column, ``_SUCCESS`` in complete hours, TIMESTAMP columns
as INT64 TIMESTAMP(MILLIS, isAdjustedToUTC=true), non-nullable columns ``required``.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from eventstream_features.datasets import ARROW_TYPES

PARQUET_TYPES = {
    "STRING": "optional binary {name} (STRING)",
    "INT": "optional int32 {name}",
    "LONG": "optional int64 {name}",
    "DOUBLE": "optional double {name}",
    "BOOLEAN": "optional boolean {name}",
    "TIMESTAMP_MILLIS": "optional int64 {name} (TIMESTAMP(MILLIS,true))",
}

SPAM_FEATURE_COLUMNS = [
    ("event_id", "STRING", False),
    ("event_time", "TIMESTAMP_MILLIS", False),
    ("user_id", "LONG", False),
    ("project_id", "LONG", True),
    ("content_type", "STRING", False),
    ("text_length", "INT", False),
    ("uppercase_ratio", "DOUBLE", False),
    ("has_code_block", "BOOLEAN", False),
    ("account_age_seconds", "LONG", True),
    ("notes_1h", "INT", False),
]

SPAM_LABEL_COLUMNS = [
    ("label_event_id", "STRING", False),
    ("label_time", "TIMESTAMP_MILLIS", False),
    ("user_id", "LONG", False),
    ("label", "STRING", False),
    ("source", "STRING", False),
    ("decision", "STRING", False),
    ("decided_by", "STRING", True),
    ("target_type", "STRING", True),
    ("target_id", "LONG", True),
    ("target_event_id", "STRING", True),
]

# The first columns of reviewer_candidates (names, types and nullability as the job writes them)
# and a few features; the training code needs no more.
REVIEWER_CANDIDATE_COLUMNS = [
    ("event_id", "STRING", False),
    ("event_time", "TIMESTAMP_MILLIS", False),
    ("project_id", "LONG", False),
    ("mr_iid", "LONG", False),
    ("mr_id", "LONG", False),
    ("author_id", "LONG", True),
    ("candidate_id", "LONG", False),
    ("trigger", "STRING", False),
    ("candidate_rank", "INT", False),
    ("is_member", "BOOLEAN", False),
    ("days_since_last_activity", "LONG", True),
    ("reviews_30d", "INT", False),
]

REVIEWER_LABEL_COLUMNS = [
    ("project_id", "LONG", False),
    ("mr_iid", "LONG", False),
    ("user_id", "LONG", False),
    ("label_time", "TIMESTAMP_MILLIS", False),
    ("kind", "STRING", False),
    ("label_event_id", "STRING", False),
]


def ms(text: str) -> pd.Timestamp:
    """A UTC timestamp from ISO text, e.g. ``ms("2024-05-01T07:00:00.001")``."""
    return pd.Timestamp(text, tz="UTC")


def columns_json(columns: Iterable[tuple[str, str, bool]]) -> list[dict[str, Any]]:
    out = []
    for name, column_type, nullable in columns:
        parquet = PARQUET_TYPES[column_type].format(name=name)
        out.append(
            {
                "name": name,
                "type": column_type,
                "nullable": nullable,
                "parquet_type": parquet if nullable else parquet.replace("optional", "required"),
                "description": f"test column {name}",
            }
        )
    return out


class DatasetWriter:
    """One version of one dataset; ``write`` adds rows to their hour partitions."""

    def __init__(
        self,
        root: str | Path,
        dataset: str,
        version: int,
        columns: list[tuple[str, str, bool]],
        time_column: str,
        definition: Mapping[str, Any] | None = None,
        fingerprint: str = "0123456789abcdef",
    ):
        self.dir = Path(root) / dataset / f"v{version}"
        self.columns = columns
        self.time_column = time_column
        self.schema = pa.schema(
            [pa.field(name, ARROW_TYPES[column_type], nullable=nullable) for name, column_type, nullable in columns]
        )
        self.dir.mkdir(parents=True, exist_ok=True)
        feature_set = {
            "dataset": dataset,
            "version": version,
            "fingerprint": fingerprint,
            "created_at": "2024-05-01T00:00:00Z",
            "time_column": time_column,
            "partitioning": f"dt=YYYY-MM-DD/hour=HH, UTC hour of {time_column}",
            "columns": columns_json(columns),
            "feature_set": dict(definition or {"feature_set": "test"}),
        }
        (self.dir / "_feature_set.json").write_text(json.dumps(feature_set, indent=2), encoding="utf-8")

    def write(self, rows: list[Mapping[str, Any]], complete: bool = True, subtask: int = 0) -> list[Path]:
        """Writes the rows, one part file per hour they fall in; ``_SUCCESS`` there when ``complete``."""
        frame = pd.DataFrame(rows, columns=[c[0] for c in self.columns])
        frame[self.time_column] = pd.to_datetime(frame[self.time_column], utc=True)
        written = []
        for hour, group in frame.groupby(frame[self.time_column].dt.floor("h"), sort=True):
            partition = self.partition_dir(hour)
            partition.mkdir(parents=True, exist_ok=True)
            table = pa.Table.from_pandas(group, schema=self.schema, preserve_index=False)
            path = partition / f"part-{subtask}-{uuid.uuid4()}.parquet"
            pq.write_table(table, path, compression="zstd", coerce_timestamps="ms")
            written.append(path)
            if complete:
                (partition / "_SUCCESS").touch()
        return written

    def partition_dir(self, hour: pd.Timestamp) -> Path:
        hour = pd.Timestamp(hour).tz_convert("UTC")
        return self.dir / f"dt={hour:%Y-%m-%d}" / f"hour={hour:%H}"


def spam_features_writer(root: str | Path, version: int = 1, definition: Mapping[str, Any] | None = None,
                         fingerprint: str = "0123456789abcdef") -> DatasetWriter:
    return DatasetWriter(root, "spam_features", version, SPAM_FEATURE_COLUMNS, "event_time", definition, fingerprint)


def spam_labels_writer(root: str | Path, version: int = 1) -> DatasetWriter:
    return DatasetWriter(root, "spam_labels", version, SPAM_LABEL_COLUMNS, "label_time")


def feature_row(event_id: str, event_time: str, user_id: int, **values: Any) -> dict[str, Any]:
    row = {
        "event_id": event_id,
        "event_time": ms(event_time),
        "user_id": user_id,
        "project_id": 7,
        "content_type": "note",
        "text_length": 10,
        "uppercase_ratio": 0.25,
        "has_code_block": False,
        "account_age_seconds": 3600,
        "notes_1h": 1,
    }
    row.update(values)
    return row


def label_row(label_event_id: str, label_time: str, user_id: int, label: str = "spam",
              source: str = "spam_verdict", **values: Any) -> dict[str, Any]:
    row = {
        "label_event_id": label_event_id,
        "label_time": ms(label_time),
        "user_id": user_id,
        "label": label,
        "source": source,
        "decision": "DISALLOW" if label == "spam" else "ALLOW",
        "decided_by": "spamcheck",
        "target_type": "Note",
        "target_id": None,
        "target_event_id": None,
    }
    row.update(values)
    return row


def reviewer_candidates_writer(root: str | Path, version: int = 1) -> DatasetWriter:
    return DatasetWriter(root, "reviewer_candidates", version, REVIEWER_CANDIDATE_COLUMNS, "event_time")


def reviewer_labels_writer(root: str | Path, version: int = 1) -> DatasetWriter:
    return DatasetWriter(root, "reviewer_labels", version, REVIEWER_LABEL_COLUMNS, "label_time")


def candidate_rows(event_id: str, event_time: str, project_id: int, mr_iid: int, candidate_ids: list[int],
                   trigger: str = "opened", author_id: int | None = 1) -> list[dict[str, Any]]:
    """One emission: a row per candidate, ranked in the given order."""
    return [
        {
            "event_id": event_id,
            "event_time": ms(event_time),
            "project_id": project_id,
            "mr_iid": mr_iid,
            "mr_id": 1000 * project_id + mr_iid,
            "author_id": author_id,
            "candidate_id": candidate_id,
            "trigger": trigger,
            "candidate_rank": rank,
            "is_member": True,
            "days_since_last_activity": None,
            "reviews_30d": 0,
        }
        for rank, candidate_id in enumerate(candidate_ids, start=1)
    ]


def reviewer_label_row(label_event_id: str, label_time: str, project_id: int, mr_iid: int, user_id: int,
                       kind: str = "assigned_reviewer") -> dict[str, Any]:
    return {
        "project_id": project_id,
        "mr_iid": mr_iid,
        "user_id": user_id,
        "label_time": ms(label_time),
        "kind": kind,
        "label_event_id": label_event_id,
    }
