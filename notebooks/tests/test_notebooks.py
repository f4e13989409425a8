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


def lagging_consistency_report(demo: Path, work: Path) -> Path:
    """A consistency report of a store lagging on purpose: the spam job run on the first half of the demo's
    events (a copy of the online table taken mid-stream), served by ``./eventstream serve --served-log``,
    asked for 300 users as of the end of the whole stream, compared by ``./eventstream consistency``."""
    import json
    import signal
    import sqlite3
    import subprocess
    import urllib.request
    from datetime import datetime, timezone

    repo = NOTEBOOKS.parent
    config = repo / "deploy" / "config" / "spam.yaml"
    lines = (demo / "events.jsonl").read_text().splitlines(keepends=True)
    half = work / "first-half.jsonl"
    half.write_text("".join(lines[: len(lines) // 2]))
    lagging = work / "lagging.sqlite"
    subprocess.run([str(repo / "eventstream"), "run", "spam", "--config", str(config), "--input", str(half),
                    "--out", str(work / "first-half"), "--online", f"sqlite:{lagging}", "--parallelism", "1"],
                   check=True, capture_output=True, timeout=900)
    with sqlite3.connect(demo / "online" / "spam_user_features.sqlite") as db:
        end = db.execute("SELECT max(event_time) FROM spam_user_state").fetchone()[0]
    with sqlite3.connect(lagging) as db:
        users = [u for (u,) in db.execute("SELECT user_id FROM spam_user_state ORDER BY user_id LIMIT 300")]
    served = work / "served"
    server = subprocess.Popen([str(repo / "eventstream"), "serve", "--online", f"sqlite:{lagging}", "--config",
                               str(config), "--port", "0", "--served-log", str(served)],
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        while line and "listening on" not in line:
            line = server.stderr.readline()
        assert "listening on" in line, "serve did not start"
        base = line.strip().rsplit(" ", 1)[-1]
        at = datetime.fromtimestamp(end / 1000, tz=timezone.utc).isoformat().replace("+00:00", "Z")
        for user in users:
            with urllib.request.urlopen(f"{base}/v1/spam/users/{user}?at={at}", timeout=60) as response:
                assert json.load(response)["user_id"] == user
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    report = work / "report.json"
    subprocess.run([str(repo / "eventstream"), "consistency", "--served-log", str(served), "--input",
                    str(demo / "events.jsonl"), "--config", str(config), "--report", str(report)],
                   check=True, capture_output=True, timeout=900)
    return report


def test_05_online_consistency(monkeypatch, tmp_path):
    demo = require("EVENTSTREAM_DATA", "the output directory of ./eventstream demo")
    report = lagging_consistency_report(demo, tmp_path)
    monkeypatch.setenv("EVENTSTREAM_CONSISTENCY", str(report))
    notebook = execute("05_online_consistency.ipynb", monkeypatch)
    assert "features with mismatches: " in stream_text(notebook)
    assert images(notebook) >= 1
    import json
    rates = {f["name"]: f["mismatches"] for f in json.loads(report.read_text())["features"]}
    assert rates["notes_24h"] > 0 or rates["content_events_7d"] > 0, "the lag must show in the activity counts"
