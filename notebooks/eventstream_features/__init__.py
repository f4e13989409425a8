"""Training-side access to the eventstream datasets and online tables.

- :func:`load`, :func:`feature_set`, :func:`versions`, :func:`partitions`: read the Parquet
  datasets (hour partitions, ``_SUCCESS``, ``_feature_set.json``, versions).
- :func:`training_set`, :func:`time_split`, :func:`check_no_leakage`: point-in-time labelling and
  honest evaluation.
- :class:`OnlineReader`: the online feature tables in SQLite or Redis.
"""

from .datasets import (
    DatasetError,
    DatasetNotFoundError,
    FeatureSetMismatchError,
    Partition,
    VersionNotFoundError,
    check_feature_set,
    dataset_root,
    datasets,
    feature_set,
    load,
    partitions,
    version_dir,
    versions,
    windows,
)
from .online import OnlineReader, OnlineTableError, redis_key
from .training import (
    feature_matrix,
    TARGET,
    LeakageError,
    REVIEWER_LABEL_KINDS,
    ReviewerLabelRule,
    SpamLabelRule,
    check_no_leakage,
    time_split,
    training_set,
)
from .truth import spammers

__all__ = [
    "DatasetError",
    "DatasetNotFoundError",
    "FeatureSetMismatchError",
    "LeakageError",
    "OnlineReader",
    "OnlineTableError",
    "Partition",
    "REVIEWER_LABEL_KINDS",
    "ReviewerLabelRule",
    "SpamLabelRule",
    "TARGET",
    "VersionNotFoundError",
    "check_feature_set",
    "check_no_leakage",
    "dataset_root",
    "datasets",
    "feature_matrix",
    "feature_set",
    "load",
    "partitions",
    "redis_key",
    "spammers",
    "time_split",
    "training_set",
    "version_dir",
    "versions",
    "windows",
]
