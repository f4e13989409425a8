"""Reading the Parquet datasets the eventstream jobs write.

Layout (see docs/datasets.md)::

    <root>/<dataset>/v<N>/_feature_set.json
    <root>/<dataset>/v<N>/dt=YYYY-MM-DD/hour=HH/part-*.parquet
    <root>/<dataset>/v<N>/dt=YYYY-MM-DD/hour=HH/_SUCCESS      (once the hour is complete)

Hours are UTC hours of the dataset's time column (``event_time`` or ``label_time``), which is an
INT64 TIMESTAMP(MILLIS, UTC-adjusted) column. Files being written are hidden
(``.part-*.parquet.inprogress*``) and never read here.

``root`` is a local directory or a URI read through a pyarrow filesystem:

- ``s3://bucket/path``: credentials from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (or the
  other sources of the AWS default chain), endpoint from ``AWS_ENDPOINT_URL_S3`` or
  ``AWS_ENDPOINT_URL`` (MinIO, s3proxy, any S3-compatible server; ``http://`` for plain HTTP),
  region from ``AWS_REGION`` or ``AWS_DEFAULT_REGION``;
- ``webhdfs://namenode:9870/path`` (``swebhdfs://`` over HTTPS): HDFS through its REST API, the
  NameNode's HTTP port, with fsspec's WebHDFS client: no JVM, no native library; the user from
  ``HADOOP_USER_NAME`` (simple authentication), else the server's default;
- ``hdfs://namenode:8020/path``: pyarrow's libhdfs client (needs ``JAVA_HOME``, the Hadoop jars
  in ``CLASSPATH``, e.g. ``export CLASSPATH=$(hadoop classpath --glob)``, and ``ARROW_LIBHDFS_DIR``
  if ``libhdfs.so`` is not found).

Paths returned for a local root are :class:`pathlib.Path`; for a URI root they are URIs (``str``).
"""

from __future__ import annotations

import json
import re
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs

FEATURE_SET_FILE = "_feature_set.json"
SUCCESS_FILE = "_SUCCESS"

_VERSION_DIR = re.compile(r"v([1-9][0-9]*)")
_DT_DIR = re.compile(r"dt=(\d{4}-\d{2}-\d{2})")
_HOUR_DIR = re.compile(r"hour=(\d{2})")
_HOUR = timedelta(hours=1)

#: Arrow type of each column type recorded in ``_feature_set.json`` (``ColumnType`` on the Java side).
ARROW_TYPES: dict[str, pa.DataType] = {
    "STRING": pa.string(),
    "INT": pa.int32(),
    "LONG": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "TIMESTAMP_MILLIS": pa.timestamp("ms", tz="UTC"),
}


class DatasetError(Exception):
    """A dataset, a version or a feature set is not what the caller asked for."""


class DatasetNotFoundError(DatasetError):
    """No such dataset under the root (the message lists the datasets that exist)."""


class VersionNotFoundError(DatasetError):
    """No such version of the dataset (the message lists the versions that exist)."""


class FeatureSetMismatchError(DatasetError):
    """The version's ``_feature_set.json`` differs from what the caller expects.

    ``differences`` holds one readable line per difference.
    """

    def __init__(self, message: str, differences: list[str]):
        super().__init__(message)
        self.differences = differences


class _Store:
    """A dataset root on its filesystem: a pyarrow filesystem and paths inside it.

    Local roots keep returning :class:`pathlib.Path`; URI roots return URIs built from ``prefix``.
    """

    def __init__(self, root: str | Path):
        text = str(root)
        if "://" not in text:
            self.fs: pafs.FileSystem = pafs.LocalFileSystem()
            self.base = str(Path(text))
            self.prefix = None
        else:
            scheme, rest = text.split("://", 1)
            if scheme in ("s3", "s3a"):
                self.fs = s3_filesystem()
                self.base = rest.rstrip("/")
                self.prefix = "s3://"
            elif scheme in ("webhdfs", "swebhdfs"):
                authority, _, path = rest.partition("/")
                self.fs = webhdfs_filesystem(authority, https=scheme == "swebhdfs")
                self.base = "/" + path.rstrip("/")
                self.prefix = f"{scheme}://{authority}"
            else:
                self.fs, self.base = pafs.FileSystem.from_uri(text)
                self.base = self.base.rstrip("/")
                authority = rest.split("/", 1)[0]
                self.prefix = f"{scheme}://{authority}" + ("" if self.base.startswith("/") else "/")

    def at(self, path: str) -> "_Store":
        """The same filesystem rooted at ``path`` (a path inside it)."""
        other = object.__new__(_Store)
        other.fs, other.base, other.prefix = self.fs, path, self.prefix
        return other

    def join(self, *parts: str) -> str:
        return "/".join([self.base, *parts]) if self.prefix is not None else str(Path(self.base, *parts))

    def info(self, path: str) -> pafs.FileInfo:
        return self.fs.get_file_info(path)

    def is_dir(self, path: str) -> bool:
        return self.info(path).type == pafs.FileType.Directory

    def is_file(self, path: str) -> bool:
        return self.info(path).type == pafs.FileType.File

    def children(self, path: str) -> list[pafs.FileInfo]:
        return self.fs.get_file_info(pafs.FileSelector(path, allow_not_found=True))

    def read_json(self, path: str) -> Any:
        with self.fs.open_input_stream(path) as f:
            return json.loads(f.read().decode("utf-8"))

    def public(self, path: str) -> Path | str:
        """What callers get: a Path for a local root, a URI otherwise."""
        return Path(path) if self.prefix is None else self.prefix + path


def s3_filesystem() -> pafs.S3FileSystem:
    """pyarrow's S3 filesystem configured from the usual AWS environment variables (see the module doc)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    options: dict[str, Any] = {}
    if endpoint:
        scheme, _, host = endpoint.partition("://")
        options["endpoint_override"] = host.rstrip("/") if host else endpoint
        options["scheme"] = scheme if host else "https"
    if region:
        options["region"] = region
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key and secret:
        options["access_key"] = key
        options["secret_key"] = secret
        if os.environ.get("AWS_SESSION_TOKEN"):
            options["session_token"] = os.environ["AWS_SESSION_TOKEN"]
    return pafs.S3FileSystem(**options)


def webhdfs_filesystem(authority: str, https: bool = False) -> pafs.FileSystem:
    """HDFS through WebHDFS (``host[:port]`` of the NameNode's HTTP server, 9870 by default) as a
    pyarrow filesystem: fsspec's client, which follows the NameNode's redirects to the DataNodes.
    pyarrow's own ``hdfs://`` needs libhdfs and a JVM, which a notebook machine seldom has."""
    from fsspec.implementations.webhdfs import WebHDFS

    host, _, port = authority.partition(":")
    client = WebHDFS(host=host, port=int(port or 9870), use_https=https, user=os.environ.get("HADOOP_USER_NAME"))
    return pafs.PyFileSystem(pafs.FSSpecHandler(client))


@dataclass(frozen=True)
class Partition:
    """One hour partition of a dataset version."""

    path: Path | str
    start: pd.Timestamp  # UTC start of the hour, inclusive
    complete: bool  # has _SUCCESS
    _store: Any = field(default=None, repr=False, compare=False)

    @property
    def end(self) -> pd.Timestamp:
        """Exclusive end of the hour."""
        return self.start + _HOUR

    def files(self) -> list[Path | str]:
        # The glob is the contract: in-progress files start with a dot and end otherwise.
        store = self._store or _Store(self.path)
        return sorted(
            store.public(info.path)
            for info in store.children(store.base)
            if info.type == pafs.FileType.File and info.base_name.endswith(".parquet")
            and not info.base_name.startswith(".")
        )


def to_utc(value: Any) -> pd.Timestamp:
    """A timestamp in UTC from a string, date, datetime or Timestamp; naive values are taken as UTC."""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    ts = pd.Timestamp(value)
    if ts is pd.NaT:
        raise ValueError(f"not a time: {value!r}")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def datasets(root: str | Path) -> list[str]:
    """Names of the datasets under ``root`` (directories holding at least one ``v<N>``)."""
    store = _Store(root)
    if not store.is_dir(store.base):
        return []
    return sorted(
        child.base_name
        for child in store.children(store.base)
        if child.type == pafs.FileType.Directory
        and any(
            _VERSION_DIR.fullmatch(v.base_name) for v in store.children(child.path) if v.type == pafs.FileType.Directory
        )
    )


def versions(root: str | Path, dataset: str) -> list[int]:
    """Version numbers of a dataset that have a ``_feature_set.json``, ascending.

    A version directory without the file is one whose creation was interrupted; the writers never
    use it, so neither does this reader.
    """
    store = _Store(root)
    dataset_dir = _dataset_dir(store, root, dataset)
    found = []
    for child in store.children(dataset_dir):
        match = _VERSION_DIR.fullmatch(child.base_name)
        if match and child.type == pafs.FileType.Directory and store.is_file(f"{child.path}/{FEATURE_SET_FILE}"):
            found.append(int(match.group(1)))
    return sorted(found)


def version_dir(root: str | Path, dataset: str, version: int | str | None = None) -> Path | str:
    """The directory ``<root>/<dataset>/v<N>``; ``version`` None means the latest."""
    existing = versions(root, dataset)
    if not existing:
        raise VersionNotFoundError(f"dataset {dataset} under {root} has no version with {FEATURE_SET_FILE}")
    if version is None:
        number = existing[-1]
    else:
        number = _version_number(version)
        if number not in existing:
            listed = ", ".join(f"v{v}" for v in existing)
            raise VersionNotFoundError(f"dataset {dataset} has no version v{number}; existing versions: {listed}")
    store = _Store(root)
    return store.public(store.join(dataset, f"v{number}"))


def feature_set(
    root: str | Path,
    dataset: str,
    version: int | str | None = None,
    expect: str | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The parsed ``_feature_set.json`` of a dataset version (latest when ``version`` is None).

    The file holds ``dataset``, ``version``, ``fingerprint``, ``time_column``, ``columns`` (name,
    type, nullable, parquet_type, description) and ``feature_set``, the job's full definition
    (windows, features, semantics, schemas).

    ``expect`` guards against training on data made with another configuration: a fingerprint
    string, or a mapping whose entries must match (see :func:`check_feature_set`). On a mismatch a
    :class:`FeatureSetMismatchError` says what differs.
    """
    directory = _Store(version_dir(root, dataset, version))
    parsed = directory.read_json(directory.join(FEATURE_SET_FILE))
    if expect is not None:
        check_feature_set(parsed, expect, where=f"{dataset}/{directory.base.rsplit('/', 1)[-1]}")
    return parsed


def check_feature_set(recorded: Mapping[str, Any], expect: str | Mapping[str, Any], where: str = "dataset") -> None:
    """Raises :class:`FeatureSetMismatchError` when ``recorded`` does not match ``expect``.

    ``expect`` is either a fingerprint string, or a mapping. Each key of the mapping is looked up
    first at the top level of ``_feature_set.json`` (``fingerprint``, ``version``, ``columns``,
    ...), then in its ``feature_set`` definition (``windows``, ``features``, ``state_ttl_millis``,
    ...). Nested mappings need only name the entries they care about; lists must match element by
    element, except lists of objects with a ``name`` (windows, columns), which are matched by name:
    the same names must be present, and each named object must match the expected entries.
    Example: ``expect={"windows": [{"name": "1h", "hop": "5m"}, ...], "features": {"notes": ["1m", "1h"]}}``.
    """
    if isinstance(expect, str):
        expect = {"fingerprint": expect}
    definition = recorded.get("feature_set", {})
    differences: list[str] = []
    for key, expected in expect.items():
        if key in recorded:
            _diff(key, expected, recorded[key], differences)
        elif isinstance(definition, Mapping) and key in definition:
            _diff(key, expected, definition[key], differences)
        else:
            differences.append(f"{key}: expected {expected!r}, but the feature set has no such entry")
    if differences:
        raise FeatureSetMismatchError(
            f"{where} (fingerprint {recorded.get('fingerprint')}) differs from what was expected:\n  "
            + "\n  ".join(differences),
            differences,
        )


def windows(recorded: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The window config of a feature set, by name: ``{"1h": {"length": "1h", "hop": "5m", ...}}``."""
    return {w["name"]: {k: v for k, v in w.items() if k != "name"} for w in recorded["feature_set"]["windows"]}


def partitions(root: str | Path, dataset: str, version: int | str | None = None) -> list[Partition]:
    """All hour partitions of a version, in time order, complete or not."""
    directory = _Store(version_dir(root, dataset, version))
    found = []
    for dt_dir in directory.children(directory.base):
        dt_match = _DT_DIR.fullmatch(dt_dir.base_name)
        if not (dt_match and dt_dir.type == pafs.FileType.Directory):
            continue
        day = date.fromisoformat(dt_match.group(1))
        for hour_dir in directory.children(dt_dir.path):
            hour_match = _HOUR_DIR.fullmatch(hour_dir.base_name)
            if not (hour_match and hour_dir.type == pafs.FileType.Directory):
                continue
            start = pd.Timestamp(datetime(day.year, day.month, day.day, int(hour_match.group(1)), tzinfo=timezone.utc))
            hour = directory.at(hour_dir.path)
            found.append(Partition(hour.public(hour.base), start, hour.is_file(hour.join(SUCCESS_FILE)), hour))
    return sorted(found, key=lambda p: p.start)


def arrow_schema(columns: Iterable[Mapping[str, Any]]) -> pa.Schema:
    """The Arrow schema of the ``columns`` list of a ``_feature_set.json``."""
    return pa.schema(
        [pa.field(c["name"], ARROW_TYPES[c["type"]], nullable=bool(c.get("nullable", True))) for c in columns]
    )


def load(
    root: str | Path,
    dataset: str,
    version: int | str | None = None,
    start: Any = None,
    end: Any = None,
    complete_only: bool = True,
    columns: Sequence[str] | None = None,
    as_pandas: bool = False,
    expect: str | Mapping[str, Any] | None = None,
) -> pa.Table | pd.DataFrame:
    """Reads a dataset version as a pyarrow Table (a pandas DataFrame with ``as_pandas=True``).

    - ``version``: ``3``, ``"v3"`` or None for the latest version.
    - ``start`` / ``end``: keep rows whose time column is in ``[start, end)`` (UTC; naive times
      are UTC). Only the hour partitions overlapping that interval are opened.
    - ``complete_only``: read only hour partitions with ``_SUCCESS`` (the job has committed all
      of their rows). With False, partitions still being filled are read as well.
    - ``columns``: the columns to return, in that order (default: all).
    - ``expect``: fingerprint or entries the version's ``_feature_set.json`` must match; see
      :func:`check_feature_set`.

    The result carries the dataset's schema as recorded in ``_feature_set.json``, also when no
    partition matches (an empty table, not an error).
    """
    recorded = feature_set(root, dataset, version, expect=expect)
    schema = arrow_schema(recorded["columns"])
    time_column = recorded.get("time_column", "event_time")
    if columns is not None:
        unknown = [c for c in columns if c not in schema.names]
        if unknown:
            raise DatasetError(f"{dataset} v{recorded['version']} has no column(s) {unknown}; columns: {schema.names}")
    start_ts = to_utc(start) if start is not None else None
    end_ts = to_utc(end) if end is not None else None
    if start_ts is not None and end_ts is not None and end_ts < start_ts:
        raise ValueError(f"end {end_ts} is before start {start_ts}")

    store = _Store(root)
    files: list[str] = []
    for partition in partitions(root, dataset, recorded["version"]):
        if complete_only and not partition.complete:
            continue
        if start_ts is not None and partition.end <= start_ts:
            continue
        if end_ts is not None and partition.start >= end_ts:
            continue
        files.extend(partition._store.join(f.rsplit("/", 1)[-1]) if isinstance(f, str) else str(f)
                     for f in partition.files())

    wanted = list(columns) if columns is not None else schema.names
    if not files:
        table = schema.empty_table()
    else:
        dataset_files = ds.dataset(files, format="parquet", schema=schema, filesystem=store.fs)
        row_filter = None
        if start_ts is not None:
            row_filter = ds.field(time_column) >= pa.scalar(start_ts.to_pydatetime(), pa.timestamp("ms", tz="UTC"))
        if end_ts is not None:
            upper = ds.field(time_column) < pa.scalar(end_ts.to_pydatetime(), pa.timestamp("ms", tz="UTC"))
            row_filter = upper if row_filter is None else row_filter & upper
        table = dataset_files.to_table(filter=row_filter)
        table = table.sort_by([(time_column, "ascending")]) if table.num_rows else table
    table = table.select(wanted)
    return table.to_pandas() if as_pandas else table


def _dataset_dir(store: _Store, root: str | Path, dataset: str) -> str:
    dataset_dir = store.join(dataset)
    if not store.is_dir(dataset_dir):
        existing = datasets(root)
        listed = ", ".join(existing) if existing else "none"
        where = f"{root}" if store.is_dir(store.base) else f"{root} (which does not exist)"
        raise DatasetNotFoundError(f"no dataset {dataset} under {where}; datasets there: {listed}")
    return dataset_dir


def _version_number(version: int | str) -> int:
    if isinstance(version, int) and not isinstance(version, bool) and version > 0:
        return version
    if isinstance(version, str):
        match = _VERSION_DIR.fullmatch(version) or re.fullmatch(r"([1-9][0-9]*)", version)
        if match:
            return int(match.group(1))
    raise ValueError(f"a dataset version is a positive number or 'v<N>', not {version!r}")


def _diff(path: str, expected: Any, actual: Any, out: list[str]) -> None:
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            out.append(f"{path}: expected an object {expected!r}, found {actual!r}")
            return
        for key, value in expected.items():
            if key not in actual:
                out.append(f"{path}.{key}: expected {value!r}, missing")
            else:
                _diff(f"{path}.{key}", value, actual[key], out)
    elif isinstance(expected, list) and _named(expected):
        if not (isinstance(actual, list) and _named(actual)):
            out.append(f"{path}: expected {expected!r}, found {actual!r}")
            return
        by_name = {item["name"]: item for item in actual}
        expected_names = [item["name"] for item in expected]
        for name in expected_names:
            if name not in by_name:
                out.append(f"{path}[{name}]: expected, missing")
        for name in by_name:
            if name not in expected_names:
                out.append(f"{path}[{name}]: present, not expected")
        for item in expected:
            if item["name"] in by_name:
                _diff(f"{path}[{item['name']}]", item, by_name[item["name"]], out)
    elif expected != actual:
        out.append(f"{path}: expected {expected!r}, found {actual!r}")


def _named(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, Mapping) and "name" in item for item in items)


def dataset_root(data_dir: str | Path, dataset: str) -> Path:
    """The dataset root inside a job's output directory: ``data_dir`` itself, or ``data_dir/datasets``.

    ``./eventstream run spam --out DIR`` writes ``DIR/<dataset>/v<N>``; other layouts put the
    datasets one level down, in ``DIR/datasets``. Raises :class:`DatasetNotFoundError` naming both.
    """
    data_dir = Path(data_dir)
    for candidate in (data_dir, data_dir / "datasets"):
        if (candidate / dataset).is_dir():
            return candidate
    raise DatasetNotFoundError(
        f"no dataset {dataset} in {data_dir} or {data_dir / 'datasets'}; "
        f"datasets there: {datasets(data_dir) + datasets(data_dir / 'datasets') or 'none'}"
    )
