"""Smoke test of deploy/local: a real Kafka broker and a real Flink session cluster, driven only
through the scripts users run, with a small job submitted through the standard Flink CLI.

The tests of this module share one broker and one cluster and run in file order; the last one
stops everything and checks, by PID, that no process is left. The module fixture stops them
again (idempotent) if a test fails on the way.
"""

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from localstack import (
    REPO,
    Scripts,
    all_tasks_running,
    completed_checkpoints,
    job_state,
    rest,
    taskmanagers_running_tasks,
    wait_until,
)

JOB_SOURCE = Path(__file__).resolve().parent / "smoke" / "SequenceJob.java"
JOB_ID = re.compile(r"JobID ([0-9a-f]{32})")


def committed_numbers(out_dir: Path):
    """The numbers in the sink's committed part files; in-progress files start with a dot."""
    numbers = []
    for part in out_dir.rglob("part-*"):
        numbers.extend(int(line) for line in part.read_text().split())
    return sorted(numbers)


@pytest.fixture(scope="module")
def scripts(request):
    run_dir = REPO / ".run" / f"deploy-test-{uuid.uuid4().hex[:8]}"
    run_dir.mkdir(parents=True)
    failed_before = request.session.testsfailed
    s = Scripts(run_dir)
    yield s
    # Also after a failure: stop what the scripts started, then make sure by PID.
    leftover = s.stop_all()
    assert not leftover, f"processes left running after stop: {leftover}"
    if request.session.testsfailed == failed_before:
        shutil.rmtree(run_dir, ignore_errors=True)
    else:
        print(f"\nkept {run_dir} for inspection (logs)")


@pytest.fixture(scope="module")
def job_jar(scripts):
    """The smoke job, compiled against the cluster's own classpath (resolved by flink-cluster)."""
    scripts.run("flink-cluster", "start", "--taskmanagers", "2")
    classpath = (REPO / ".run" / "classpath" / "flink.txt").read_text().strip()
    classes = scripts.run_dir / "job-classes"
    classes.mkdir()
    subprocess.run(["javac", "--release", "17", "-d", classes, "-cp", classpath, JOB_SOURCE], check=True)
    jar = scripts.run_dir / "sequence-job.jar"
    subprocess.run(["jar", "cf", jar, "-C", classes, "."], check=True)
    return jar


def submit(scripts, jar, count, out_dir, gate, *extra):
    result = scripts.run("flink", "run", "-d", *extra, "-c", "SequenceJob", jar, count, out_dir, gate)
    match = JOB_ID.search(result.stdout)
    assert match, f"no JobID in the output of flink run:\n{result.stdout}\n{result.stderr}"
    return match.group(1)


def test_kafka_starts_creates_topic_and_round_trips_records(scripts):
    started = scripts.run("kafka", "start")
    bootstrap = re.search(r"bootstrap (127\.0\.0\.1:\d+)", started.stdout).group(1)
    assert scripts.run("kafka", "bootstrap").stdout.strip() == bootstrap

    again = scripts.run("kafka", "start")
    assert "already running" in again.stdout

    scripts.run("kafka", "topic", "create", "events", "--partitions", "2")
    described = scripts.run("kafka", "topic", "describe", "events").stdout
    assert "PartitionCount: 2" in described

    records = [f"event-{i}" for i in range(5)]
    scripts.run("kafka", "produce", "events", stdin="\n".join(records) + "\n")
    consumed = scripts.run("kafka", "consume", "events", "--max-messages", "5", "--timeout-ms", "30000")
    # Two partitions: order across partitions is not defined, the set of records is.
    assert sorted(consumed.stdout.split()) == records


def test_flink_cluster_registers_two_taskmanagers(scripts, job_jar):
    url = scripts.run("flink-cluster", "url").stdout.strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    ids = sorted(tm["id"] for tm in rest(url, "/taskmanagers")["taskmanagers"])
    assert ids == ["tm-1", "tm-2"]
    overview = rest(url, "/overview")
    assert overview["slots-total"] == 4 and overview["flink-version"] == "2.2.0"

    again = scripts.run("flink-cluster", "start")
    assert "already running" in again.stdout


def test_job_survives_a_killed_taskmanager_exactly_once(scripts, job_jar):
    url = scripts.run("flink-cluster", "url").stdout.strip()
    out = scripts.run_dir / "out-crash"
    gate = scripts.run_dir / "gate-crash"
    gate.touch()
    count = 5000
    job_id = submit(scripts, job_jar, count, out, gate)

    wait_until("all tasks running", lambda: all_tasks_running(url, job_id))
    listed = scripts.run("flink", "list").stdout
    assert f"{job_id} : deploy-smoke-sequence (RUNNING)" in listed
    wait_until("a completed checkpoint", lambda: completed_checkpoints(url, job_id) >= 1)
    assert job_state(url, job_id) == "RUNNING"

    # Kill a TaskManager that runs part of the job (the scheduler decides which ones do).
    victim = taskmanagers_running_tasks(url, job_id)[0]
    scripts.run("flink-cluster", "kill-taskmanager", victim.removeprefix("tm-"))
    wait_until("the restart", lambda: rest(url, f"/jobs/{job_id}/exceptions")["exceptionHistory"]["entries"])
    gate.unlink()
    wait_until("the job to finish after the crash", lambda: job_state(url, job_id) == "FINISHED", timeout=180)

    # Restored from the checkpoint, the file sink commits every number exactly once.
    assert committed_numbers(out) == list(range(1, count + 1))

    # Numbers are not reused: the new TaskManager is tm-3 whichever one was killed.
    added = scripts.run("flink-cluster", "add-taskmanager")
    assert "TaskManager 3 registered" in added.stdout
    survivor = ({"tm-1", "tm-2"} - {victim}).pop()
    ids = {tm["id"] for tm in rest(url, "/taskmanagers")["taskmanagers"]}
    assert {"tm-3", survivor} <= ids


def test_stop_with_savepoint_then_resume_loses_and_repeats_nothing(scripts, job_jar):
    url = scripts.run("flink-cluster", "url").stdout.strip()
    out = scripts.run_dir / "out-savepoint"
    gate = scripts.run_dir / "gate-savepoint"
    gate.touch()
    count = 5000
    job_id = submit(scripts, job_jar, count, out, gate)
    wait_until("all tasks running", lambda: all_tasks_running(url, job_id))
    wait_until("a completed checkpoint", lambda: completed_checkpoints(url, job_id) >= 1)

    stopped = scripts.run("flink", "stop", "--savepointPath", scripts.run_dir / "savepoints", job_id)
    savepoint = re.search(r"Savepoint completed\. Path: (\S+)", stopped.stdout).group(1)
    assert job_state(url, job_id) == "FINISHED"
    before = committed_numbers(out)
    assert 0 < len(before) < count, "the stop should land in the middle of the stream"
    assert len(set(before)) == len(before)

    # Same job, gate open: the resumed run goes quickly to the end from where the first stopped.
    gate.unlink()
    resumed = submit(scripts, job_jar, count, out, gate, "-s", savepoint)
    wait_until("the resumed job to finish", lambda: job_state(url, resumed) == "FINISHED", timeout=180)
    assert committed_numbers(out) == list(range(1, count + 1))


def test_stop_leaves_no_process(scripts):
    assert len(scripts.live_pids()) == 4  # broker, JobManager, the surviving TaskManager and tm-3

    stopped = scripts.run("flink-cluster", "stop")
    assert "stopped 3 process(es)" in stopped.stdout
    scripts.run("kafka", "stop")

    assert scripts.live_pids() == []
    assert scripts.run("flink-cluster", "status", check=False).returncode == 3
    assert scripts.run("kafka", "status", check=False).returncode == 3
    assert not list(scripts.run_dir.glob("**/*.pid"))
