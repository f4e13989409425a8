"""The package reads datasets the jobs wrote to a real S3 API server or a real HDFS.

Needs a server and datasets on it: ``EVENTSTREAM_TEST_REMOTE_ROOT`` (the jobs' dataset root there:
``s3://bucket/path``, with the endpoint and credentials in the usual ``AWS_*`` variables, or
``webhdfs://namenode-http/path``) and ``EVENTSTREAM_TEST_LOCAL_COPY`` (a local copy of the same
root). The Java test ``PythonReadsSharedStorageTest`` (``storage-tests``) starts s3proxy and an
HDFS, runs the spam job into each and runs this file once per server; ``./run-tests`` runs that
test once the notebooks' venv exists. Skipped only when no server is given.
"""

from __future__ import annotations

import os

import polars as pl
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest

from eventstream_features import feature_set, load, partitions, versions
from eventstream_features.datasets import datasets, s3_filesystem, webhdfs_filesystem

REMOTE_ROOT = os.environ.get("EVENTSTREAM_TEST_REMOTE_ROOT")
LOCAL_COPY = os.environ.get("EVENTSTREAM_TEST_LOCAL_COPY")
ON_S3 = bool(REMOTE_ROOT) and REMOTE_ROOT.startswith("s3://")

pytestmark = pytest.mark.skipif(
    not (REMOTE_ROOT and LOCAL_COPY), reason="no server given (EVENTSTREAM_TEST_REMOTE_ROOT, EVENTSTREAM_TEST_LOCAL_COPY)"
)
s3_only = pytest.mark.skipif(not ON_S3, reason="a snippet for S3 roots")
webhdfs_only = pytest.mark.skipif(ON_S3, reason="a snippet for webhdfs:// roots")

SPAM_DATASETS = ["dead_letters", "late_events", "spam_features", "spam_labels"]


def test_the_jobs_datasets_are_listed_with_their_versions():
    assert datasets(REMOTE_ROOT) == SPAM_DATASETS
    for dataset in SPAM_DATASETS:
        assert versions(REMOTE_ROOT, dataset) == versions(LOCAL_COPY, dataset) == [1]
        assert feature_set(REMOTE_ROOT, dataset) == feature_set(LOCAL_COPY, dataset)


def test_load_reads_the_same_rows_from_the_server_as_from_the_local_copy():
    for dataset in ("spam_features", "spam_labels"):
        remote = load(REMOTE_ROOT, dataset)
        local = load(LOCAL_COPY, dataset)
        assert remote.num_rows == local.num_rows > 0
        key = "event_id" if dataset == "spam_features" else "label_event_id"
        assert remote.sort_by(key).equals(local.sort_by(key)), dataset


def test_partitions_are_complete_and_their_files_are_uris():
    remote = partitions(REMOTE_ROOT, "spam_features")
    local = partitions(LOCAL_COPY, "spam_features")
    assert [(p.start, p.complete) for p in remote] == [(p.start, p.complete) for p in local]
    assert all(p.complete for p in remote)
    files = remote[0].files()
    assert files and all(isinstance(f, str) and f.startswith(REMOTE_ROOT + "/spam_features/v1/dt=") for f in files)
    assert all(f.rsplit("/", 1)[-1].startswith("part-") for f in files)


def test_a_time_range_reads_only_its_rows():
    start, end = partitions(LOCAL_COPY, "spam_features")[5].start, partitions(LOCAL_COPY, "spam_features")[9].start
    remote = load(REMOTE_ROOT, "spam_features", start=start, end=end)
    local = load(LOCAL_COPY, "spam_features", start=start, end=end)
    assert remote.num_rows == local.num_rows > 0
    assert remote.sort_by("event_id").equals(local.sort_by("event_id"))


@s3_only
def test_the_documented_pyarrow_snippet_reads_s3():
    # docs/datasets.md "Reading from S3": pyarrow.dataset over the S3 filesystem of the AWS_* variables.
    version = REMOTE_ROOT.removeprefix("s3://") + "/spam_features/v1"
    fs = s3_filesystem()
    files = [f.path for f in fs.get_file_info(pafs.FileSelector(version, recursive=True))
             if f.type == pafs.FileType.File and f.base_name.endswith(".parquet") and not f.base_name.startswith(".")]
    table = ds.dataset(files, filesystem=fs, format="parquet", partitioning="hive",
                       partition_base_dir=version).to_table()
    assert "dt" in table.column_names and "hour" in table.column_names
    assert table.num_rows == load(LOCAL_COPY, "spam_features", complete_only=False).num_rows
    assert isinstance(s3_filesystem(), pafs.S3FileSystem)


@s3_only
def test_the_documented_polars_snippet_reads_s3():
    # docs/datasets.md "From S3 and HDFS": Polars scans the part files with the AWS_* settings.
    storage_options = {
        "aws_endpoint_url": os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ["AWS_ENDPOINT_URL"],
        "aws_access_key_id": os.environ["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"],
        "aws_region": os.environ.get("AWS_REGION", "us-east-1"),
        "aws_allow_http": "true",
    }
    features = pl.scan_parquet(f"{REMOTE_ROOT}/spam_features/v1/*/*/*.parquet", storage_options=storage_options,
                               hive_partitioning=True).collect()
    local = load(LOCAL_COPY, "spam_features", complete_only=False)
    assert features.height == local.num_rows
    assert sorted(features["event_id"].to_list()) == sorted(local.column("event_id").to_pylist())


@webhdfs_only
def test_the_documented_pyarrow_snippet_reads_webhdfs():
    # docs/datasets.md "From S3 and HDFS": pyarrow.dataset over the WebHDFS filesystem.
    authority, _, path = REMOTE_ROOT.removeprefix("webhdfs://").partition("/")
    version = f"/{path}/spam_features/v1"
    fs = webhdfs_filesystem(authority)
    files = [f.path for f in fs.get_file_info(pafs.FileSelector(version, recursive=True))
             if f.type == pafs.FileType.File and f.base_name.endswith(".parquet") and not f.base_name.startswith(".")]
    table = ds.dataset(files, filesystem=fs, format="parquet", partitioning="hive",
                       partition_base_dir=version).to_table()
    assert "dt" in table.column_names and "hour" in table.column_names
    assert table.num_rows == load(LOCAL_COPY, "spam_features", complete_only=False).num_rows
