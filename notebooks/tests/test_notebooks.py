"""Executes the notebooks headless (nbclient) on real job output; a failing cell fails the test.

The data comes from the environment, never from this repository:

- ``EVENTSTREAM_DATA``: the output directory of ``./eventstream demo`` (datasets, online table,
  ``truth.jsonl``), read by 01, 02 and 03;
- ``EVENTSTREAM_TUNE``: a directory with two spam job runs ``a`` and ``b`` over the same events
  with different window configs, read by 04.

Unset, the tests are skipped with a message saying so. Executed copies (with outputs and plots)
are written to ``notebooks/target/executed/`` for inspection.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent
EXECUTED = NOTEBOOKS / "target" / "executed"
CELL_TIMEOUT_SECONDS = 900


def execute(name: str, monkeypatch) -> nbformat.NotebookNode:
    # One thread per kernel: on a small shared machine OpenMP threads in scikit-learn contend and
    # run many times slower than a single one on these data sizes.
    monkeypatch.setenv("OMP_NUM_THREADS", os.environ.get("OMP_NUM_THREADS", "1"))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT_SECONDS, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    try:
        client.execute()
    finally:
        EXECUTED.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, EXECUTED / name)
    return notebook


def require(variable: str, what: str) -> Path:
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"NOT RUN: set {variable} to {what} to execute this notebook")
    path = Path(value).resolve()
    if not path.is_dir():
        pytest.fail(f"{variable}={value} is not a directory")
    return path


def stream_text(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "stream")


def images(notebook: nbformat.NotebookNode) -> int:
    return sum("image/png" in o.get("data", {}) for c in notebook.cells for o in c.get("outputs", []))


def test_01_explore_spam_features(monkeypatch):
    require("EVENTSTREAM_DATA", "the output directory of ./eventstream demo")
    notebook = execute("01_explore_spam_features.ipynb", monkeypatch)
    assert images(notebook) >= 4


def test_02_train_spam_classifier(monkeypatch):
    require("EVENTSTREAM_DATA", "the output directory of ./eventstream demo")
    notebook = execute("02_train_spam_classifier.ipynb", monkeypatch)  # its last cell asserts auc > THRESHOLD
    assert "ROC AUC = " in stream_text(notebook)
    assert images(notebook) >= 3


def test_03_reviewer_recommender(monkeypatch):
    require("EVENTSTREAM_DATA", "the output directory of ./eventstream demo")
    notebook = execute("03_reviewer_recommender.ipynb", monkeypatch)  # its last cell asserts the margin over the baseline
    text = stream_text(notebook)
    assert "top-3 accuracy: model " in text
    assert images(notebook) >= 3


def test_04_tune_windows(monkeypatch):
    require("EVENTSTREAM_TUNE", "a directory holding two spam job runs a/ and b/ (different window configs)")
    notebook = execute("04_tune_windows.ipynb", monkeypatch)
    assert images(notebook) >= 2
