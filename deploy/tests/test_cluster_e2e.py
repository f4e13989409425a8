"""End-to-end test of the spam job on the local cluster: a real Kafka broker, a real Flink
session cluster with 2 TaskManagers and a real redis-server, the job submitted with
`deploy/local/flink run` (the command users run), its Parquet datasets and Redis online table
compared with what the embedded run (`./eventstream run spam --input ...`) makes of the same
events: first a plain run, then a run stopped with a savepoint and resumed, then a run that loses
a TaskManager to SIGKILL.

How the cluster runs know they are done:
- The plain run reads the topic with `--bounded`: the job ends by itself (FINISHED) after a final
  checkpoint, like the embedded run, whose input also ends.
- The interrupted runs must stay running across the interruption, so they read the topic
  unbounded. Their input ends with one *sentinel* event per partition, a day after the last real
  event: it moves every partition's watermark past all real events, so the job emits and commits
  everything (and marks every hour `_SUCCESS`), while the sentinels themselves stay buffered
  (the watermark never passes them) and leave no trace in any output. Done = every hour the
  embedded run marked complete is marked here too, and one more checkpoint has completed.

Why the outputs can be compared exactly: the generator's out-of-orderness (20 s) is within the
watermark bound (30 s), one reader per partition (2 partitions, parallelism 2) keeps each
partition in order, so no event is late and the keyed operators apply every user's events in
(time, id) order whatever the interleaving; the online table keeps the newest row per key. The
test config is deploy/config/spam.yaml with two settings changed, neither part of the feature
set: checkpoints every 2 s (files become visible sooner) and source idleness 10 min (a partition
that is quiet for a minute on a loaded machine, e.g. between two halves of the input, must not be
declared idle and then have its next events judged late against the other partition's watermark).

Everything started here (broker, cluster, redis-server) is stopped by PID at the end, also when a
test fails.
"""

import collections
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import time
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import redis

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

JOB_JAR = REPO / "jobs" / "target" / "eventstream-jobs.jar"
MAIN_CLASS = "io.eventstream.jobs.spam.SpamJob"
HASH_KEY = "deploy-e2e-hash-key-0123456789"
GENERATOR_OPTIONS = ["--seed", "11", "--users", "600", "--projects", "25", "--days", "7"]
PARTITIONS = 2
# Records that are not valid CloudEvents: the job dead-letters them and keeps running.
BAD_RECORDS = ["this is not json", '{"specversion":"1.0","id":"e2e-bad-1","type":"com.gitlab.note.created"}']
DATASETS = ["spam_features", "spam_labels", "late_events", "dead_letters"]
# Hours are marked complete by the event-time watermark; dead letters are partitioned by the time
# the job saw them, and no watermark ever passes those hours in an unbounded run. Label rows are
# not held back until the watermark passes them, and only label events move the labels'
# watermark: in an unbounded run the hours after the last label's hour stay incomplete until more
# labels come. Every feature hour is marked complete once the sentinels (below) are read.
EVENT_TIME_DATASETS = ["spam_features", "spam_labels"]
# Dead-letter columns that do not depend on where and when the record was read.
DEAD_LETTER_COLUMNS = ["reason", "field", "message", "raw_base64", "raw_size"]
JOB_ID = re.compile(r"JobID ([0-9a-f]{32})")
STARTED = time.monotonic()
SAVEPOINT = re.compile(r"Savepoint completed\. Path: (\S+)")

if not JOB_JAR.is_file():
    pytest.skip(
        f"the cluster end-to-end test needs {JOB_JAR.relative_to(REPO)}: "
        "build it with `mvn -B install -DskipTests` (deploy/tests/run.sh does)",
        allow_module_level=True,
    )


def step(message):
    """Progress with the time since the module was loaded (shown with -s, and on failure)."""
    print(f"[e2e {time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


# ---------------------------------------------------------------------------------------------
# Fixtures: config, the embedded reference run, the running stack
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def run_dir(request):
    path = REPO / ".run" / f"deploy-e2e-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    failed_before = request.session.testsfailed
    yield path
    if request.session.testsfailed == failed_before:
        shutil.rmtree(path, ignore_errors=True)
    else:
        print(f"\nkept {path} for inspection (logs, outputs)")


@pytest.fixture(scope="module")
def config_file(run_dir):
    """deploy/config/spam.yaml with a shorter checkpoint interval and a longer source idleness."""
    text = (REPO / "deploy" / "config" / "spam.yaml").read_text()
    for pattern, replacement in [(r"(?m)^(  interval:\s*)10s", r"\g<1>2s"), (r"(?m)^(  idleness:\s*)1m", r"\g<1>10m")]:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"deploy/config/spam.yaml no longer has the line {pattern}"
    path = run_dir / "spam-e2e.yaml"
    path.write_text(text)
    return path


def eventstream(*args, timeout=600):
    result = subprocess.run(
        [str(REPO / "eventstream"), *map(str, args)],
        cwd=REPO,
        env=dict(os.environ, EVENTSTREAM_HASH_KEY=HASH_KEY),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"./eventstream {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result


class Reference:
    """The input events (as JSON lines) and what the embedded run made of them. The embedded run
    goes on in the background while the broker and the cluster start; `outputs` waits for it."""

    def __init__(self, lines, process, out, sqlite):
        self.lines = lines
        self.sqlite = sqlite
        self._process = process
        self._out = out
        self._outputs = None

    @property
    def outputs(self):
        if self._outputs is None:
            stdout, stderr = self._process.communicate(timeout=600)
            assert self._process.returncode == 0, f"the embedded run failed:\n{stdout}\n{stderr}"
            step("embedded run done")
            outputs = Outputs.read(self._out, sqlite_online(self.sqlite))
            # The comparisons only mean something if the reference has rows of every kind.
            assert len(outputs.rows["spam_features"]) > 5000 and len(outputs.rows["spam_labels"]) > 100
            assert len(outputs.rows["dead_letters"]) == len(BAD_RECORDS)
            assert len(outputs.online) > 300
            self._outputs = outputs
        return self._outputs

    def stop(self):
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


@pytest.fixture(scope="module")
def reference(run_dir, config_file):
    """Generates the events, adds the bad records in the middle and runs the job embedded."""
    events_file = run_dir / "events.jsonl"
    eventstream("generate", *GENERATOR_OPTIONS, "--out", events_file)
    generated = events_file.read_text().splitlines()
    middle = len(generated) // 3
    lines = generated[:middle] + BAD_RECORDS + generated[middle:]
    events_file.write_text("\n".join(lines) + "\n")
    step(f"generated {len(generated)} events (+ {len(BAD_RECORDS)} bad records)")

    out = run_dir / "embedded"
    sqlite = out / "online" / "spam_user_features.sqlite"
    process = subprocess.Popen(
        [str(REPO / "eventstream"), "run", "spam", "--config", str(config_file), "--input", str(events_file),
         "--out", str(out), "--online", f"sqlite:{sqlite}", "--parallelism", "2"],
        cwd=REPO, env=dict(os.environ, EVENTSTREAM_HASH_KEY=HASH_KEY, EVENTSTREAM_HEAP="2g"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reference = Reference(lines, process, out, sqlite)
    try:
        yield reference
    finally:
        reference.stop()


class Stack:
    """The running broker, cluster and redis-server of this module."""

    def __init__(self, scripts, redis_port):
        self.scripts = scripts
        self.redis_port = redis_port
        self.url = scripts.run("flink-cluster", "url").stdout.strip()
        self.bootstrap = scripts.run("kafka", "bootstrap").stdout.strip()

    def redis(self, db):
        return redis.Redis(host="127.0.0.1", port=self.redis_port, db=db, decode_responses=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def stack(run_dir, reference):
    scripts = Scripts(run_dir, EVENTSTREAM_HASH_KEY=HASH_KEY)
    redis_port = free_port()
    redis_server = subprocess.Popen(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=run_dir,
        stdout=open(run_dir / "redis.log", "w"),
        stderr=subprocess.STDOUT,
    )
    try:
        scripts.run("kafka", "start")
        scripts.run("flink-cluster", "start", "--taskmanagers", "2")
        client = redis.Redis(host="127.0.0.1", port=redis_port)
        wait_until("redis-server to answer", lambda: _ping(client), timeout=30)
        step("Kafka, Flink (2 TaskManagers) and Redis running")
        yield Stack(scripts, redis_port)
    finally:
        # Also after a failure: stop what the scripts started, then make sure by PID.
        leftover = scripts.stop_all()
        redis_server.terminate()
        try:
            redis_server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            redis_server.kill()
            redis_server.wait()
        assert not leftover, f"processes left running after stop: {leftover}"
        assert not scripts.live_pids()


def _ping(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


# ---------------------------------------------------------------------------------------------
# Reading outputs
# ---------------------------------------------------------------------------------------------


class Outputs:
    """Everything a run produced, in a form that compares exactly: each dataset as a multiset of
    (partition, row) (so a duplicated row counts), the hours marked complete, each dataset
    version's feature-set description, and the online table as user id -> column -> value."""

    def __init__(self, rows, complete_hours, feature_sets, online):
        self.rows = rows
        self.complete_hours = complete_hours
        self.feature_sets = feature_sets
        self.online = online

    @staticmethod
    def read(root: Path, online):
        rows, complete_hours, feature_sets = {}, {}, {}
        for dataset in DATASETS:
            rows[dataset] = dataset_rows(root / dataset)
            complete_hours[dataset] = {
                str(marker.parent.relative_to(root / dataset)) for marker in (root / dataset).glob("v*/dt=*/hour=*/_SUCCESS")
            }
            feature_sets[dataset] = {}
            for description in (root / dataset).glob("v*/_feature_set.json"):
                content = json.loads(description.read_text())
                content.pop("created_at")
                feature_sets[dataset][description.parent.name] = content
        return Outputs(rows, complete_hours, feature_sets, online)


def dataset_rows(dataset_dir: Path):
    """The committed rows of a dataset (files ending in .parquet; in-progress files are hidden)."""
    rows = collections.Counter()
    for part in sorted(dataset_dir.glob("v*/dt=*/hour=*/*.parquet")):
        partition = str(part.parent.relative_to(dataset_dir))
        for row in pq.read_table(part).to_pylist():
            if dataset_dir.name == "dead_letters":
                # Where (origin) and when (ingest_time, hence the partition) a record was
                # dead-lettered differ between a file and a topic; the verdict on it does not.
                rows[tuple((column, row[column]) for column in DEAD_LETTER_COLUMNS)] += 1
            else:
                rows[(partition, *row.items())] += 1
    return rows


def sqlite_online(path: Path):
    """The SQLite online table as user id -> {column: value}; null columns and the processing-time
    expiry left out, so that it compares with the Redis layout (absent field = null)."""
    db = sqlite3.connect(path)
    try:
        columns = [c[1] for c in db.execute('PRAGMA table_info("spam_user_features")')]
        table = {}
        for values in db.execute('SELECT * FROM "spam_user_features"'):
            row = {c: v for c, v in zip(columns, values) if v is not None and c != "expires_at"}
            table[row["user_id"]] = row
        return table
    finally:
        db.close()


def online_column_types(path: Path):
    db = sqlite3.connect(path)
    try:
        return {c[1]: c[2] for c in db.execute('PRAGMA table_info("spam_user_features")')}
    finally:
        db.close()


def redis_online(client, column_types):
    """The Redis online table (hash spam_user_features:<user_id> per user, values as text; see
    docs/online-tables.md) parsed by the column types of the SQLite table of the same spec."""
    parse = {"INTEGER": int, "REAL": float, "TEXT": str}
    table = {}
    for key in client.scan_iter("spam_user_features:*", count=1000):
        fields = client.hgetall(key)
        row = {column: parse[column_types[column]](value) for column, value in fields.items()}
        assert key == f"spam_user_features:{row['user_id']}", f"key {key} holds the row of user {row['user_id']}"
        assert client.pttl(key) > 0, f"{key} has no TTL"
        table[row["user_id"]] = row
    return table


def describe_difference(name, actual, expected):
    missing, extra = expected - actual, actual - expected
    sample = lambda c: [dict(k[1:]) if isinstance(k[0], str) else k for k in list(c)[:2]]  # noqa: E731
    return (f"{name}: {sum(actual.values())} rows, expected {sum(expected.values())}; "
            f"{sum(missing.values())} missing (e.g. {sample(missing)}), {sum(extra.values())} unexpected (e.g. {sample(extra)})")


def assert_same_outputs(actual: Outputs, expected: Outputs, unbounded=False):
    """Equal rows, feature sets, online table and complete hours. An unbounded run has marked
    the same feature hours complete and a part of the label hours (see EVENT_TIME_DATASETS)."""
    problems = []
    for dataset in DATASETS:
        if actual.rows[dataset] != expected.rows[dataset]:
            problems.append(describe_difference(dataset, actual.rows[dataset], expected.rows[dataset]))
        if actual.feature_sets[dataset] != expected.feature_sets[dataset]:
            problems.append(f"{dataset}: _feature_set.json differs: {actual.feature_sets[dataset]} vs {expected.feature_sets[dataset]}")
    if unbounded and not actual.complete_hours["spam_labels"] <= expected.complete_hours["spam_labels"]:
        problems.append("spam_labels: hours marked _SUCCESS that the embedded run did not mark")
    for dataset in EVENT_TIME_DATASETS[:1] if unbounded else EVENT_TIME_DATASETS:
        if actual.complete_hours[dataset] != expected.complete_hours[dataset]:
            problems.append(f"{dataset}: hours with _SUCCESS differ: missing "
                            f"{sorted(expected.complete_hours[dataset] - actual.complete_hours[dataset])[:5]}, unexpected "
                            f"{sorted(actual.complete_hours[dataset] - expected.complete_hours[dataset])[:5]}")
    if actual.online != expected.online:
        differing = sorted(k for k in expected.online.keys() | actual.online.keys() if expected.online.get(k) != actual.online.get(k))
        problems.append(f"online table: {len(actual.online)} users, expected {len(expected.online)}; "
                        f"{len(differing)} differ, e.g. users {differing[:5]}")
    assert not problems, "cluster outputs differ from the embedded run:\n" + "\n".join(problems)


def assert_part_of(actual_rows, expected_rows, what):
    """Rows committed so far are some of the final rows, none twice, and not all of them."""
    for dataset in EVENT_TIME_DATASETS:
        extra = actual_rows[dataset] - expected_rows[dataset]
        assert not extra, f"{what}: {dataset} has {sum(extra.values())} rows the embedded run does not (or has fewer times)"
    committed = sum(actual_rows["spam_features"].values())
    assert 0 < committed < sum(expected_rows["spam_features"].values()), (
        f"{what}: expected a part of the feature rows committed, found {committed}")


# ---------------------------------------------------------------------------------------------
# Driving the cluster
# ---------------------------------------------------------------------------------------------


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 hash (org.apache.kafka.common.utils.Utils.murmur2), unsigned 32 bits."""
    m, h = 0x5BD1E995, (0x9747B28C ^ len(data)) & 0xFFFFFFFF
    whole = len(data) // 4 * 4
    for i in range(0, whole, 4):
        k = (int.from_bytes(data[i:i + 4], "little") * m) & 0xFFFFFFFF
        k = ((k ^ (k >> 24)) * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
    tail = data[whole:]
    if len(tail) == 3:
        h ^= tail[2] << 16
    if len(tail) >= 2:
        h ^= tail[1] << 8
    if tail:
        h = ((h ^ tail[0]) * m) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * m) & 0xFFFFFFFF
    return h ^ (h >> 15)


def kafka_partition(key: str, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for a record key."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def sentinels(lines, partitions):
    """One note by a user of its own per partition, a day after the last event: moves every
    partition's watermark past all events while never being emitted itself."""
    events = [json.loads(line) for line in lines if line not in BAD_RECORDS]
    last = max(datetime.fromisoformat(e["time"].replace("Z", "+00:00")) for e in events)
    when = (last + timedelta(days=1)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    template = next(e for e in events if e["type"] == "com.gitlab.note.created")
    result, user = {}, 900_000_000
    while len(result) < partitions:
        user += 1
        partition = kafka_partition(str(user), partitions)
        if partition not in result:
            event = json.loads(json.dumps(template))
            event.update(id=f"e2e-sentinel-{partition}", time=when, recordedtime=when, partitionkey=str(user),
                         subject=f"projects/{event['data']['project_id']}/notes/{user}")
            event["data"].update(author_id=user, note_id=user)
            result[partition] = json.dumps(event, separators=(",", ":"))
    return [result[p] for p in sorted(result)]


def produce(stack, topic, lines):
    """Sends JSON lines keyed by their partitionkey (the entity), as the generator does."""
    keyed = []
    for line in lines:
        try:
            key = str(json.loads(line).get("partitionkey") or "none")
        except ValueError:
            key = "none"
        keyed.append(f"{key}\t{line}")
    stack.scripts.run("kafka", "produce", topic, "--property", "parse.key=true", "--property", "key.separator=\t",
                      stdin="\n".join(keyed) + "\n")


def submit(stack, config_file, topic, out, redis_db, *flink_options, bounded=False):
    result = stack.scripts.run(
        "flink", "run", "-d", *flink_options, "-c", MAIN_CLASS, JOB_JAR,
        "--config", config_file, "--kafka", stack.bootstrap, "--topic", topic, *(["--bounded"] if bounded else []),
        "--out", out, "--online", f"redis://127.0.0.1:{stack.redis_port}/{redis_db}", "--parallelism", "2",
        timeout=300)
    match = JOB_ID.search(result.stdout)
    assert match, f"no JobID in the output of flink run:\n{result.stdout}\n{result.stderr}"
    return match.group(1)


def committed_feature_rows(out: Path):
    """Whether any feature part file has been committed (a checkpoint with rows has completed)."""
    return any((out / "spam_features").glob("v*/dt=*/hour=*/*.parquet"))


def cancel(url, job_id):
    request = urllib.request.Request(f"{url}/jobs/{job_id}?mode=cancel", method="PATCH")
    urllib.request.urlopen(request, timeout=10).close()
    wait_until("the job to be canceled", lambda: job_state(url, job_id) == "CANCELED", timeout=60)


def wait_for_final_outputs(stack, job_id, out, expected: Outputs):
    """Unbounded runs: every feature hour the reference completed is marked complete (so the
    sentinels have been read, after every other record), then one more checkpoint (whatever was
    emitted before it is committed), then the job is canceled."""
    features = out / "spam_features"

    def all_hours_complete():
        assert job_state(stack.url, job_id) == "RUNNING", f"job {job_id} is {job_state(stack.url, job_id)}"
        marked = {str(m.parent.relative_to(features)) for m in features.glob("v*/dt=*/hour=*/_SUCCESS")}
        return expected.complete_hours["spam_features"] <= marked

    wait_until("every hour to be marked _SUCCESS", all_hours_complete, timeout=240, interval=1)
    seen = completed_checkpoints(stack.url, job_id)
    wait_until("one more checkpoint", lambda: completed_checkpoints(stack.url, job_id) > seen, timeout=60)
    cancel(stack.url, job_id)
    step(f"job {job_id} complete and canceled")


def run_outputs(stack, out, redis_db, reference_sqlite):
    return Outputs.read(out, redis_online(stack.redis(redis_db), online_column_types(reference_sqlite)))


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_bounded_run_on_the_cluster_equals_the_embedded_run(stack, reference, config_file, run_dir):
    topic = "e2e-bounded"
    stack.scripts.run("kafka", "topic", "create", topic, "--partitions", PARTITIONS)
    # The way users fill the topic: the generator straight to Kafka (same options, same events as
    # the reference's file), plus the records that are not events.
    eventstream("generate", *GENERATOR_OPTIONS, "--kafka", stack.bootstrap, "--topic", topic)
    produce(stack, topic, BAD_RECORDS)
    step("events in the topic")

    out = run_dir / "cluster-bounded"
    job_id = submit(stack, config_file, topic, out, 0, bounded=True)
    step(f"submitted {job_id}")
    wait_until("the bounded job to finish", lambda: job_state(stack.url, job_id) in {"FINISHED", "FAILED"}, timeout=300)
    assert job_state(stack.url, job_id) == "FINISHED"
    step("job finished")

    # Both subtasks of every parallel operator ran, on both TaskManagers (SLOTS load balancing).
    vertices = rest(stack.url, f"/jobs/{job_id}")["vertices"]
    assert {v["parallelism"] for v in vertices if v["name"].startswith("Source:")} == {2}
    assert_same_outputs(run_outputs(stack, out, 0, reference.sqlite), reference.outputs)
    assert not list(out.rglob(".part-*")), "in-progress files left behind"


def test_stop_with_savepoint_and_resume_equals_the_embedded_run(stack, reference, config_file, run_dir):
    topic = "e2e-savepoint"
    stack.scripts.run("kafka", "topic", "create", topic, "--partitions", PARTITIONS)
    half = len(reference.lines) // 2
    produce(stack, topic, reference.lines[:half])

    out = run_dir / "cluster-savepoint"
    job_id = submit(stack, config_file, topic, out, 1)
    wait_until("a checkpoint with rows", lambda: committed_feature_rows(out), timeout=240, interval=0.5)
    step(f"{job_id} has committed rows")

    # Stop in the middle of the stream: the second half is not even in the topic yet, and the
    # last minutes of what was read wait in keyed state for the watermark.
    stopped = stack.scripts.run("flink", "stop", "--savepointPath", run_dir / "savepoints", job_id, timeout=300)
    savepoint = SAVEPOINT.search(stopped.stdout).group(1)
    assert job_state(stack.url, job_id) == "FINISHED"
    assert_part_of(Outputs.read(out, {}).rows, reference.outputs.rows, "after the stop")
    step(f"stopped with savepoint {savepoint}")

    produce(stack, topic, reference.lines[half:] + sentinels(reference.lines, PARTITIONS))
    resumed = submit(stack, config_file, topic, out, 1, "-s", savepoint)
    restored = wait_until("the restore", lambda: rest(stack.url, f"/jobs/{resumed}/checkpoints")["latest"]["restored"])
    assert restored["is_savepoint"] and restored["external_path"] == savepoint
    step(f"resumed as {resumed}")
    wait_for_final_outputs(stack, resumed, out, reference.outputs)

    assert_same_outputs(run_outputs(stack, out, 1, reference.sqlite), reference.outputs, unbounded=True)


def test_killed_taskmanager_recovers_and_equals_the_embedded_run(stack, reference, config_file, run_dir):
    topic = "e2e-failover"
    stack.scripts.run("kafka", "topic", "create", topic, "--partitions", PARTITIONS)
    half = len(reference.lines) // 2
    produce(stack, topic, reference.lines[:half])

    out = run_dir / "cluster-failover"
    job_id = submit(stack, config_file, topic, out, 2)
    # A completed checkpoint holding part of the stream: offsets, buffered events, window tiles.
    wait_until("a checkpoint with rows", lambda: committed_feature_rows(out), timeout=240, interval=0.5)
    step(f"{job_id} has committed rows")

    # The second half arrives and the job reads it; meanwhile a TaskManager that runs part of the
    # job dies. Rows emitted since the last checkpoint are in files that will never be committed.
    produce(stack, topic, reference.lines[half:])
    victims = taskmanagers_running_tasks(stack.url, job_id)
    stack.scripts.run("flink-cluster", "kill-taskmanager", victims[0].removeprefix("tm-"))
    step(f"killed {victims[0]}")
    # In the middle of the stream: without the sentinels the last minutes cannot have been emitted.
    assert_part_of(Outputs.read(out, {}).rows, reference.outputs.rows, "at the kill")

    stack.scripts.run("flink-cluster", "add-taskmanager")
    wait_until("the job to run again", lambda: all_tasks_running(stack.url, job_id)
               and rest(stack.url, f"/jobs/{job_id}/checkpoints")["latest"]["restored"], timeout=180)
    restored = rest(stack.url, f"/jobs/{job_id}/checkpoints")["latest"]["restored"]
    assert not restored["is_savepoint"], "the job should restart from its own checkpoint"
    assert rest(stack.url, f"/jobs/{job_id}/exceptions")["exceptionHistory"]["entries"], "no failure recorded"
    step(f"recovered from checkpoint {restored['id']}, TaskManager added")

    produce(stack, topic, sentinels(reference.lines, PARTITIONS))
    wait_for_final_outputs(stack, job_id, out, reference.outputs)

    assert_same_outputs(run_outputs(stack, out, 2, reference.sqlite), reference.outputs, unbounded=True)
