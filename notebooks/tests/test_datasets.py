"""load / feature_set / versions on hand-built Parquet in the job's exact layout."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventstream_features import (
    DatasetNotFoundError,
    FeatureSetMismatchError,
    VersionNotFoundError,
    dataset_root,
    feature_set,
    load,
    partitions,
    versions,
    windows,
)
from layout import feature_row, ms, spam_features_writer, spam_labels_writer

DEFINITION = {
    "feature_set": "spam",
    "windows": [
        {"name": "1h", "length": "1h", "hop": "5m", "length_millis": 3600000, "hop_millis": 300000},
        {"name": "24h", "length": "24h", "hop": "1h", "length_millis": 86400000, "hop_millis": 3600000},
    ],
    "features": {"notes": ["1h"], "issues": ["1h", "24h"]},
    "state_ttl_millis": 2592000000,
}


@pytest.fixture
def root(tmp_path):
    """spam_features v1 over three hours: 07 and 08 complete, 09 still open; plus spam_labels v1."""
    writer = spam_features_writer(tmp_path, 1, DEFINITION, fingerprint="aaaaaaaaaaaaaaaa")
    writer.write(
        [
            feature_row("e1", "2024-05-01T07:00:00.000", 1),
            feature_row("e2", "2024-05-01T07:59:59.999", 2, project_id=None, account_age_seconds=None),
            feature_row("e3", "2024-05-01T08:00:00.000", 1, has_code_block=True, uppercase_ratio=1.0),
            feature_row("e4", "2024-05-01T08:30:00.000", 3, notes_1h=5),
        ]
    )
    writer.write([feature_row("e5", "2024-05-01T09:10:00.000", 1)], complete=False)
    spam_labels_writer(tmp_path).write([])
    return tmp_path


def event_ids(table) -> list[str]:
    return table.column("event_id").to_pylist()


def test_hand_built_files_have_the_job_layout(root):
    parts = partitions(root, "spam_features")
    assert [(p.start, p.complete) for p in parts] == [
        (ms("2024-05-01T07:00"), True),
        (ms("2024-05-01T08:00"), True),
        (ms("2024-05-01T09:00"), False),
    ]
    assert parts[0].path == root / "spam_features" / "v1" / "dt=2024-05-01" / "hour=07"
    parquet_schema = pq.ParquetFile(parts[0].files()[0]).schema
    event_time = parquet_schema.column(1)
    assert event_time.physical_type == "INT64"
    assert str(event_time.logical_type) == "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, force_set_converted_type=false)"
    assert event_time.max_definition_level == 0  # required
    assert parquet_schema.column(3).max_definition_level == 1  # project_id optional


def test_load_reads_complete_partitions_with_the_recorded_types(root):
    table = load(root, "spam_features")
    assert event_ids(table) == ["e1", "e2", "e3", "e4"]  # hour 09 has no _SUCCESS
    assert table.schema.field("event_time").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("text_length").type == pa.int32()
    assert table.schema.field("user_id").type == pa.int64()
    assert table.schema.field("has_code_block").type == pa.bool_()
    assert table.column("project_id").to_pylist() == [7, None, 7, 7]
    assert table.column("account_age_seconds").to_pylist() == [3600, None, 3600, 3600]
    assert table.column("event_time").to_pylist()[1] == ms("2024-05-01T07:59:59.999").to_pydatetime()


def test_complete_only_false_also_reads_the_open_partition(root):
    assert event_ids(load(root, "spam_features", complete_only=False)) == ["e1", "e2", "e3", "e4", "e5"]


def test_files_being_written_are_never_read(root):
    hour = root / "spam_features" / "v1" / "dt=2024-05-01" / "hour=07"
    (hour / ".part-0-abc.parquet.inprogress").write_bytes(b"not parquet yet")
    assert event_ids(load(root, "spam_features")) == ["e1", "e2", "e3", "e4"]


def test_start_end_keep_rows_in_the_half_open_interval(root):
    table = load(root, "spam_features", start="2024-05-01T07:59:59.999", end="2024-05-01T08:30:00", complete_only=False)
    assert event_ids(table) == ["e2", "e3"]
    # Zoned times are converted to UTC; naive ones are UTC.
    table = load(root, "spam_features", start=pd.Timestamp("2024-05-01T11:00:00+03:00"))
    assert event_ids(table) == ["e3", "e4"]
    table = load(root, "spam_features", end=datetime(2024, 5, 1, 8, 0))
    assert event_ids(table) == ["e1", "e2"]


def test_partitions_outside_start_end_are_not_opened(root):
    # A corrupt file in hour 07: reading it would fail, so success proves the partition was pruned.
    (root / "spam_features" / "v1" / "dt=2024-05-01" / "hour=07" / "part-9-corrupt.parquet").write_bytes(b"garbage")
    assert event_ids(load(root, "spam_features", start="2024-05-01T08:00")) == ["e3", "e4"]
    with pytest.raises(Exception):
        load(root, "spam_features", start="2024-05-01T07:30")


def test_empty_selection_is_an_empty_table_with_the_schema(root):
    table = load(root, "spam_features", start="2024-06-01")
    assert table.num_rows == 0
    assert table.schema.names[:3] == ["event_id", "event_time", "user_id"]
    assert load(root, "spam_labels").num_rows == 0


def test_columns_and_pandas(root):
    frame = load(root, "spam_features", columns=["user_id", "event_id"], as_pandas=True)
    assert list(frame.columns) == ["user_id", "event_id"]
    assert frame["user_id"].tolist() == [1, 2, 1, 3]
    with pytest.raises(Exception, match="no column.*notes_7d"):
        load(root, "spam_features", columns=["notes_7d"])


def test_latest_version_and_explicit_versions(root):
    v2 = spam_features_writer(root, 2, DEFINITION, fingerprint="bbbbbbbbbbbbbbbb")
    v2.write([feature_row("n1", "2024-05-02T00:00:00", 9)])
    # An interrupted version creation (no _feature_set.json) is not a version.
    (root / "spam_features" / "v3").mkdir()
    assert versions(root, "spam_features") == [1, 2]
    assert event_ids(load(root, "spam_features")) == ["n1"]
    assert event_ids(load(root, "spam_features", version=1)) == ["e1", "e2", "e3", "e4"]
    assert event_ids(load(root, "spam_features", version="v1")) == ["e1", "e2", "e3", "e4"]
    assert feature_set(root, "spam_features")["fingerprint"] == "bbbbbbbbbbbbbbbb"
    with pytest.raises(VersionNotFoundError, match=r"no version v3; existing versions: v1, v2"):
        load(root, "spam_features", version=3)


def test_missing_dataset_lists_the_existing_ones(root):
    with pytest.raises(DatasetNotFoundError, match=r"no dataset reviewer_candidates .*datasets there: spam_features, spam_labels"):
        load(root, "reviewer_candidates")
    with pytest.raises(DatasetNotFoundError, match="does not exist"):
        load(root / "nowhere", "spam_features")


def test_dataset_root_finds_datasets_directly_or_one_level_down(root, tmp_path_factory):
    assert dataset_root(root, "spam_features") == root
    other = tmp_path_factory.mktemp("out")
    spam_features_writer(other / "datasets").write([])
    assert dataset_root(other, "spam_features") == other / "datasets"
    with pytest.raises(DatasetNotFoundError):
        dataset_root(other, "spam_labels")


def test_expected_fingerprint_and_config(root):
    assert feature_set(root, "spam_features", expect="aaaaaaaaaaaaaaaa")["version"] == 1
    assert windows(feature_set(root, "spam_features"))["1h"]["hop"] == "5m"
    with pytest.raises(FeatureSetMismatchError, match="fingerprint: expected 'cccccccccccccccc', found 'aaaaaaaaaaaaaaaa'"):
        load(root, "spam_features", expect="cccccccccccccccc")
    expected_windows = [
        {"name": "1h", "length": "1h", "hop": "10m"},
        {"name": "7d", "length": "7d"},
    ]
    with pytest.raises(FeatureSetMismatchError) as raised:
        load(root, "spam_features", expect={"windows": expected_windows, "features": {"notes": ["1h", "24h"]}})
    assert raised.value.differences == [
        "windows[7d]: expected, missing",
        "windows[24h]: present, not expected",
        "windows[1h].hop: expected '10m', found '5m'",
        "features.notes: expected ['1h', '24h'], found ['1h']",
    ]
    # Entries that match raise nothing; only the named entries are compared.
    load(root, "spam_features", expect={"state_ttl_millis": 2592000000, "features": {"issues": ["1h", "24h"]}})


def test_duckdb_and_polars_read_the_same_rows(root):
    version = root / "spam_features" / "v1"
    glob = str(version / "*" / "*" / "*.parquet")
    table = load(root, "spam_features", complete_only=False)
    ours = table.to_pandas()
    ours["event_time"] = table.column("event_time").cast(pa.int64()).to_pylist()

    via_duckdb = duckdb.sql(
        f"select *, epoch_ms(event_time) as event_ms from read_parquet('{glob}', hive_partitioning = true) order by event_id"
    ).df()
    via_polars = (
        pl.scan_parquet(glob, hive_partitioning=True)
        .with_columns(pl.col("event_time").dt.epoch("ms").alias("event_ms"))
        .sort("event_id")
        .collect()
        .to_pandas()
    )
    for other in (via_duckdb, via_polars):
        assert other["event_id"].tolist() == ours["event_id"].tolist()
        assert other["event_ms"].tolist() == ours["event_time"].tolist()
        assert other["user_id"].tolist() == ours["user_id"].tolist()
        assert other["project_id"].isna().tolist() == ours["project_id"].isna().tolist()
        assert other["uppercase_ratio"].tolist() == ours["uppercase_ratio"].tolist()
        assert [bool(b) for b in other["has_code_block"]] == ours["has_code_block"].tolist()
        # Hive partition columns come from the paths.
        assert [str(d)[:10] for d in other["dt"]] == ["2024-05-01"] * 5  # a date to both
        assert [int(h) for h in other["hour"]] == [7, 7, 8, 8, 9]
