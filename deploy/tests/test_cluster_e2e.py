"""End-to-end test of both jobs (spam, reviewer recommendation) on the local cluster: a real Kafka
broker, a real Flink session cluster with 2 TaskManagers and a real redis-server, each job
submitted with `deploy/local/flink run` (the command users run), their Parquet datasets and Redis
online tables compared with what the embedded runs (`./eventstream run spam|reviewers --input
...`) make of the same events: a bounded run; a run with its datasets on S3 that is stopped with a
savepoint, resumed, and loses a TaskManager to SIGKILL; a run through a Redis outage (one job past
its online.max_outage, one within it); and a run through a Kafka broker restart, whose Prometheus
metrics are scraped as well.

The cluster runs as on several machines: with `flink-cluster start --s3`, on the local S3 server of
`deploy/local/s3`, it keeps every job's checkpoints and savepoints on S3 (the local-disk scenarios'
datasets stay on the local disk; their explicit `--savepointPath` too).

The two jobs run side by side, as users run them: both read the same topic, write under the same
dataset root (their dataset names do not overlap) and into the same Redis database (nor do their
table names). Each job at parallelism 2 takes 2 of the cluster's 4 slots (2 TaskManagers x 2), so
both run at once, and SLOTS load balancing spreads each over both TaskManagers: the killed
TaskManager takes part of both jobs with it.

How the cluster runs know they are done:
- The plain run reads the topic with `--bounded`: each job ends by itself (FINISHED) after a final
  checkpoint, like the embedded run, whose input also ends.
- The interrupted runs must stay running across the interruption, so they read the topic
  unbounded. Their input ends with one *sentinel* event per partition, a day after the last real
  event: it moves every partition's watermark past all real events, so each job emits and commits
  everything (and marks every hour `_SUCCESS`), while the sentinels themselves stay buffered
  (the watermark never passes them; the reviewer job ignores them: notes on issues) and leave no
  trace in any output. Done = every hour the embedded run marked complete is marked here too, and
  one more checkpoint has completed.

Why the outputs can be compared exactly: the generator's out-of-orderness (20 s) is within the
watermark bound (30 s), one reader per partition (2 partitions, parallelism 2) keeps each
partition in order, so no event is late, and the keyed operators apply every user's (spam) or
project's (reviewers) events in (time, id) order whatever the interleaving; the online tables keep
the newest row per key. The test configs are deploy/config/spam.yaml and reviewers.yaml with two
settings changed, neither part of a feature set: checkpoints every 2 s (files become visible
sooner) and source idleness 10 min (a partition that is quiet for a minute on a loaded machine,
e.g. between two halves of the input, must not be declared idle and then have its next events
judged late against the other partition's watermark).

Waits give up when the job stops making progress (state, tasks, records sent, files), not after
a fixed time: the machine is shared, and a slow run must not fail while a stuck one still does.

Everything started here (broker, cluster, redis-server) is stopped by PID at the end, also when a
test fails.
"""

import collections
import json
import os
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

import pyarrow.fs
import pyarrow.parquet as pq
import pytest
import redis

from localstack import (
    REPO,
    Scripts,
    all_tasks_running,
    completed_checkpoints,
    job_progress,
    job_state,
    rest,
    taskmanagers_running_tasks,
    wait_until,
)

JOB_JAR = REPO / "jobs" / "target" / "eventstream-jobs.jar"
HASH_KEY = "deploy-e2e-hash-key-0123456789"
GENERATOR_OPTIONS = ["--seed", "11", "--users", "600", "--projects", "25", "--days", "7"]
PARTITIONS = 2
# Records that are not valid CloudEvents: each job dead-letters them and keeps running.
BAD_RECORDS = ["this is not json", '{"specversion":"1.0","id":"e2e-bad-1","type":"com.gitlab.note.created"}']
# Dead-letter columns that do not depend on where and when the record was read.
DEAD_LETTER_COLUMNS = ["reason", "field", "message", "raw_sha256", "raw_size"]
# A wait fails after this long without any progress of the job (see localstack.wait_until).
STALL_SECONDS = 120
JOB_ID = re.compile(r"JobID ([0-9a-f]{32})")
STARTED = time.monotonic()
SAVEPOINT = re.compile(r"Savepoint completed\. Path: (\S+)")
# The cluster's checkpoints and savepoints go under s3://S3_BUCKET/S3_CLUSTER_PREFIX/ (--s3).
S3_BUCKET = "e2e"
S3_CLUSTER_PREFIX = "cluster"


@dataclass(frozen=True, eq=False)  # hashed by identity: a dict key
class Job:
    """What this test knows of a job: how to submit it and what it writes."""

    name: str  # `./eventstream run <name>`, deploy/config/<name>.yaml
    main_class: str
    features: str  # the dataset whose committed rows and complete hours show the job's progress
    datasets: tuple  # every dataset it writes
    dead_letters: str  # the one of them partitioned by when a record was read (no event time)
    # Hours are marked complete by the event-time watermark. In an unbounded run, the hours of
    # `complete_hours` are marked exactly as in the embedded run once the sentinels are read;
    # those of `partly_complete_hours` only up to a point (see SPAM).
    complete_hours: tuple
    partly_complete_hours: tuple
    online: dict  # online table -> its key columns
    sqlite_file: str  # the reference run's SQLite file (under <out>/online/)
    # The comparisons only mean something if the reference has rows of every kind: at least this
    # many per dataset or online table.
    minimum_rows: dict


# Spam labels are not held back until the watermark passes them, and only label events move the
# labels' watermark: in an unbounded run the hours after the last label's hour stay incomplete
# until more labels come. The spam job's dead letters and late events have no prefix (it came first).
SPAM = Job(
    name="spam",
    main_class="io.eventstream.jobs.cli.SpamJob",
    features="spam_features",
    datasets=("spam_features", "spam_labels", "late_events", "dead_letters"),
    dead_letters="dead_letters",
    complete_hours=("spam_features",),
    partly_complete_hours=("spam_labels",),
    online={"spam_user_features": ("user_id",)},
    sqlite_file="spam_user_features.sqlite",
    minimum_rows={"spam_features": 5000, "spam_labels": 100, "spam_user_features": 300},
)
# Candidate and label rows leave the same keyed function, as the watermark passes their events.
REVIEWERS = Job(
    name="reviewers",
    main_class="io.eventstream.jobs.cli.ReviewersJob",
    features="reviewer_candidates",
    datasets=("reviewer_candidates", "reviewer_labels", "reviewer_late_events", "reviewer_dead_letters"),
    dead_letters="reviewer_dead_letters",
    complete_hours=("reviewer_candidates", "reviewer_labels"),
    partly_complete_hours=(),
    online={
        "reviewer_project_user_features": ("project_id", "user_id"),
        "reviewer_project_user_path_features": ("project_id", "user_id", "path_prefix"),
    },
    sqlite_file="reviewer_features.sqlite",
    minimum_rows={"reviewer_candidates": 5000, "reviewer_labels": 500,
                  "reviewer_project_user_features": 300, "reviewer_project_user_path_features": 1000},
)
JOBS = (SPAM, REVIEWERS)

if not JOB_JAR.is_file():
    pytest.skip(
        f"the cluster end-to-end test needs {JOB_JAR.relative_to(REPO)}: "
        "build it with `mvn -B install -DskipTests` (deploy/tests/run.sh does)",
        allow_module_level=True,
    )


def step(message):
    """Progress with the time since the module was loaded (shown with -s, and on failure)."""
    print(f"[e2e {time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


def for_each_job(action):
    """action(job) for every job at once (each is mostly a CLI JVM or a wait), as {job: result};
    the first failure is raised."""
    with ThreadPoolExecutor(len(JOBS)) as pool:
        futures = {job: pool.submit(action, job) for job in JOBS}
        return {job: future.result() for job, future in futures.items()}


# ---------------------------------------------------------------------------------------------
# Fixtures: config, the embedded reference runs, the running stack
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
def config_files(run_dir):
    """deploy/config/<job>.yaml with a shorter checkpoint interval and a longer source idleness."""
    files = {}
    for job in JOBS:
        text = (REPO / "deploy" / "config" / f"{job.name}.yaml").read_text()
        for pattern, replacement in [(r"(?m)^(  interval:\s*)10s", r"\g<1>2s"), (r"(?m)^(  idleness:\s*)1m", r"\g<1>10m")]:
            text, count = re.subn(pattern, replacement, text)
            assert count == 1, f"deploy/config/{job.name}.yaml no longer has the line {pattern}"
        files[job] = run_dir / f"{job.name}-e2e.yaml"
        files[job].write_text(text)
    return files


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


class EmbeddedRun:
    """One job's embedded run over the input file, going on in the background while the broker
    and the cluster start; `outputs` waits for it."""

    def __init__(self, job, config_file, events_file, out):
        self.job = job
        self.sqlite = out / "online" / job.sqlite_file
        self._out = out
        self._outputs = None
        self._process = subprocess.Popen(
            [str(REPO / "eventstream"), "run", job.name, "--config", str(config_file), "--input", str(events_file),
             "--out", str(out), "--online", f"sqlite:{self.sqlite}", "--parallelism", "2"],
            cwd=REPO, env=dict(os.environ, EVENTSTREAM_HASH_KEY=HASH_KEY, EVENTSTREAM_HEAP="2g"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    @property
    def outputs(self):
        if self._outputs is None:
            stdout, stderr = self._process.communicate(timeout=900)
            assert self._process.returncode == 0, f"the embedded {self.job.name} run failed:\n{stdout}\n{stderr}"
            step(f"embedded {self.job.name} run done")
            outputs = Outputs.read(self._out, self.job, sqlite_online(self.sqlite, self.job))
            counts = {name: sum(rows.values()) for name, rows in outputs.rows.items()}
            counts.update({table: len(rows) for table, rows in outputs.online.items()})
            too_few = {name: counts[name] for name, minimum in self.job.minimum_rows.items() if counts[name] < minimum}
            assert not too_few, f"the embedded {self.job.name} run has too few rows to compare with: {too_few}"
            assert counts[self.job.dead_letters] == len(BAD_RECORDS)
            self._outputs = outputs
        return self._outputs

    def stop(self):
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()


class Reference:
    """The input events (as JSON lines) and what each job's embedded run made of them."""

    def __init__(self, lines, runs):
        self.lines = lines
        self.runs = runs

    def outputs(self, job):
        return self.runs[job].outputs

    def sqlite(self, job):
        return self.runs[job].sqlite


@pytest.fixture(scope="module")
def reference(run_dir, config_files):
    """Generates the events, adds the bad records in the middle and runs both jobs embedded."""
    events_file = run_dir / "events.jsonl"
    eventstream("generate", *GENERATOR_OPTIONS, "--out", events_file)
    generated = events_file.read_text().splitlines()
    middle = len(generated) // 3
    lines = generated[:middle] + BAD_RECORDS + generated[middle:]
    events_file.write_text("\n".join(lines) + "\n")
    types = collections.Counter(json.loads(line)["type"].removeprefix("com.gitlab.") for line in generated)
    # The reviewer job needs merge requests, their reviews and the pushes that give them paths.
    assert min(types["merge_request.opened"], types["merge_request.approved"], types["push"]) > 500, types
    step(f"generated {len(generated)} events (+ {len(BAD_RECORDS)} bad records): "
         f"{types['merge_request.opened']} MRs opened, {types['push']} pushes, {types['note.created']} notes")

    runs = {}
    try:
        for job in JOBS:
            runs[job] = EmbeddedRun(job, config_files[job], events_file, run_dir / "embedded")
        yield Reference(lines, runs)
    finally:
        for run in runs.values():
            run.stop()


class Stack:
    """The running broker, cluster and redis-server of this module."""

    def __init__(self, scripts, redis_port):
        self.scripts = scripts
        self.redis_port = redis_port
        self.url = scripts.run("flink-cluster", "url").stdout.strip()
        self.bootstrap = scripts.run("kafka", "bootstrap").stdout.strip()
        # AWS_ENDPOINT_URL, the keys, AWS_REGION of the local S3 server (`deploy/local/s3 env`).
        exports = shlex.split(scripts.run("s3", "env").stdout)
        assert exports[0] == "export", exports
        self.s3_env = dict(assignment.split("=", 1) for assignment in exports[1:])

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
        scripts.run("s3", "start")
        scripts.run("flink-cluster", "start", "--taskmanagers", "2", "--s3", f"{S3_BUCKET}/{S3_CLUSTER_PREFIX}")
        client = redis.Redis(host="127.0.0.1", port=redis_port)
        wait_until("redis-server to answer", lambda: _ping(client), timeout=30)
        step("Kafka, S3, Flink (2 TaskManagers, checkpoints on S3) and Redis running")
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


@pytest.fixture(autouse=True)
def no_job_left_running(request):
    """After each test that used the cluster: cancels the jobs it left running (a test that fails
    half-way leaves its jobs holding the TaskManagers' slots, and every later test would then fail
    for want of slots instead of on its own merits)."""
    yield
    if "stack" not in request.fixturenames:
        return
    url = request.getfixturevalue("stack").url
    for job in rest(url, "/jobs/overview")["jobs"]:
        if job["state"] not in {"FINISHED", "CANCELED", "FAILED"}:
            step(f"canceling job {job['jid']} ({job['name']}), left {job['state']} by the test")
            cancel(url, job["jid"])


def _ping(client):
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


# ---------------------------------------------------------------------------------------------
# Reading outputs
# ---------------------------------------------------------------------------------------------


class Outputs:
    """Everything a job's run produced, in a form that compares exactly: each dataset as a
    multiset of (partition, row) (so a duplicated row counts), the hours marked complete, each
    dataset version's feature-set description, and each online table as key -> column -> value."""

    def __init__(self, rows, complete_hours, feature_sets, online):
        self.rows = rows
        self.complete_hours = complete_hours
        self.feature_sets = feature_sets
        self.online = online

    @staticmethod
    def read(root: Path, job: Job, online):
        rows, complete_hours, feature_sets = {}, {}, {}
        for dataset in job.datasets:
            rows[dataset] = dataset_rows(root / dataset, dead_letters=dataset == job.dead_letters)
            complete_hours[dataset] = marked_hours(root / dataset)
            feature_sets[dataset] = {}
            for description in (root / dataset).glob("v*/_feature_set.json"):
                content = json.loads(description.read_text())
                content.pop("created_at")
                feature_sets[dataset][description.parent.name] = content
        return Outputs(rows, complete_hours, feature_sets, online)


class S3Root:
    """A dataset root on the local S3 server, s3://BUCKET/PREFIX, read with pyarrow's S3 filesystem:
    listed while the jobs run, copied to the local disk to be compared."""

    def __init__(self, uri: str, s3_env, copies: Path):
        self.uri = uri
        self.path = uri.removeprefix("s3://")
        endpoint = urllib.parse.urlparse(s3_env["AWS_ENDPOINT_URL"])
        self.fs = pyarrow.fs.S3FileSystem(
            access_key=s3_env["AWS_ACCESS_KEY_ID"], secret_key=s3_env["AWS_SECRET_ACCESS_KEY"],
            region=s3_env["AWS_REGION"], endpoint_override=endpoint.netloc, scheme=endpoint.scheme)
        self.copies = copies

    def __str__(self):
        return self.uri  # as a job argument

    def keys(self):
        """The objects under the root, as paths relative to it. S3A's directory markers (`dt=…/`)
        are left out: s3proxy's filesystem store lists them as files without the slash, and a
        name that is also the prefix of others is one of them."""
        selector = pyarrow.fs.FileSelector(self.path, recursive=True, allow_not_found=True)
        files = [info.path.removeprefix(self.path + "/") for info in self.fs.get_file_info(selector)
                 if info.type == pyarrow.fs.FileType.File]
        prefixes = {str(parent) for key in files for parent in PurePosixPath(key).parents}
        return [key for key in files if key not in prefixes]

    def copy(self) -> Path:
        """Everything under the root as it is now, copied into a new local directory."""
        self.copies.mkdir(parents=True, exist_ok=True)
        local = self.copies / str(sum(1 for _ in self.copies.iterdir()))
        # Object by object: pyarrow.fs.copy_files stumbles over the directory markers (see keys).
        for key in self.keys():
            target = local / key
            target.parent.mkdir(parents=True, exist_ok=True)
            with self.fs.open_input_stream(f"{self.path}/{key}") as source:
                target.write_bytes(source.read())
        return local


def local_view(out):
    """A local directory holding the outputs under `out` (a copy of them if they are on S3)."""
    return out.copy() if isinstance(out, S3Root) else out


def complete_hours_now(out, dataset):
    """The hours of a dataset marked complete so far (on S3: listed, not copied)."""
    if isinstance(out, S3Root):
        return {str(PurePosixPath(key).parent.relative_to(dataset)) for key in out.keys()
                if PurePosixPath(key).match(f"{dataset}/v*/dt=*/hour=*/_SUCCESS")}
    return marked_hours(out / dataset)


def has_committed_rows(out, dataset):
    if isinstance(out, S3Root):
        return any(PurePosixPath(key).match(f"{dataset}/v*/dt=*/hour=*/*.parquet") for key in out.keys())
    return any((out / dataset).glob("v*/dt=*/hour=*/*.parquet"))


def marked_hours(dataset_dir: Path):
    return {str(marker.parent.relative_to(dataset_dir)) for marker in dataset_dir.glob("v*/dt=*/hour=*/_SUCCESS")}


def dataset_rows(dataset_dir: Path, dead_letters=False):
    """The committed rows of a dataset (files ending in .parquet; in-progress files are hidden)."""
    rows = collections.Counter()
    for part in sorted(dataset_dir.glob("v*/dt=*/hour=*/*.parquet")):
        partition = str(part.parent.relative_to(dataset_dir))
        for row in pq.read_table(part).to_pylist():
            if dead_letters:
                # Where (origin) and when (ingest_time, hence the partition) a record was
                # dead-lettered differ between a file and a topic; the verdict on it does not.
                rows[tuple((column, row[column]) for column in DEAD_LETTER_COLUMNS)] += 1
            else:
                rows[(partition, *row.items())] += 1
    return rows


def sqlite_online(path: Path, job: Job):
    """Each SQLite online table as key -> {column: value}; null columns and the processing-time
    expiry left out, so that it compares with the Redis layout (absent field = null)."""
    db = sqlite3.connect(path)
    try:
        tables = {}
        for table, key in job.online.items():
            columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
            tables[table] = {}
            for values in db.execute(f'SELECT * FROM "{table}"'):
                row = {c: v for c, v in zip(columns, values) if v is not None and c != "expires_at"}
                tables[table][tuple(row[k] for k in key)] = row
        return tables
    finally:
        db.close()


def online_column_types(path: Path, table):
    db = sqlite3.connect(path)
    try:
        return {c[1]: c[2] for c in db.execute(f'PRAGMA table_info("{table}")')}
    finally:
        db.close()


def redis_key(table, key_values):
    """The Redis key of a row (docs/online-tables.md): `\\` and `:` in string parts escaped."""
    parts = [str(v).replace("\\", "\\\\").replace(":", "\\:") for v in key_values]
    return ":".join([table, *parts])


def redis_online(client, job: Job, reference_sqlite: Path):
    """Each Redis online table (one hash per key, values as text; see docs/online-tables.md)
    parsed by the column types of the SQLite table of the same spec."""
    parse = {"INTEGER": int, "REAL": float, "TEXT": str}
    tables = {}
    for table, key in job.online.items():
        column_types = online_column_types(reference_sqlite, table)
        keys = list(client.scan_iter(f"{table}:*", count=1000))
        pipeline = client.pipeline(transaction=False)
        for name in keys:
            pipeline.hgetall(name)
            pipeline.pttl(name)
        replies = pipeline.execute()
        tables[table] = {}
        for name, fields, ttl in zip(keys, replies[0::2], replies[1::2]):
            row = {column: parse[column_types[column]](value) for column, value in fields.items()}
            key_values = tuple(row[k] for k in key)
            assert name == redis_key(table, key_values), f"key {name} holds the row of {key_values}"
            assert ttl > 0, f"{name} has no TTL"
            tables[table][key_values] = row
    return tables


def describe_difference(name, actual, expected):
    missing, extra = expected - actual, actual - expected
    sample = lambda c: [dict(k[1:]) if isinstance(k[0], str) else k for k in list(c)[:2]]  # noqa: E731
    return (f"{name}: {sum(actual.values())} rows, expected {sum(expected.values())}; "
            f"{sum(missing.values())} missing (e.g. {sample(missing)}), {sum(extra.values())} unexpected (e.g. {sample(extra)})")


def differences(job: Job, actual: Outputs, expected: Outputs, unbounded=False):
    """What differs: rows, feature sets, online tables and complete hours (an unbounded run has
    marked some label hours of the spam job only, see Job)."""
    problems = []
    for dataset in job.datasets:
        if actual.rows[dataset] != expected.rows[dataset]:
            problems.append(describe_difference(dataset, actual.rows[dataset], expected.rows[dataset]))
        if actual.feature_sets[dataset] != expected.feature_sets[dataset]:
            problems.append(f"{dataset}: _feature_set.json differs: {actual.feature_sets[dataset]} vs {expected.feature_sets[dataset]}")
    for dataset in job.complete_hours + job.partly_complete_hours:
        actual_hours, expected_hours = actual.complete_hours[dataset], expected.complete_hours[dataset]
        if unbounded and dataset in job.partly_complete_hours:
            if not actual_hours <= expected_hours:
                problems.append(f"{dataset}: hours marked _SUCCESS that the embedded run did not mark")
        elif actual_hours != expected_hours:
            problems.append(f"{dataset}: hours with _SUCCESS differ: missing {sorted(expected_hours - actual_hours)[:5]}, "
                            f"unexpected {sorted(actual_hours - expected_hours)[:5]}")
    for table in job.online:
        actual_rows, expected_rows = actual.online[table], expected.online[table]
        if actual_rows != expected_rows:
            differing = sorted(k for k in expected_rows.keys() | actual_rows.keys() if expected_rows.get(k) != actual_rows.get(k))
            problems.append(f"online table {table}: {len(actual_rows)} keys, expected {len(expected_rows)}; "
                            f"{len(differing)} differ, e.g. {differing[:5]}")
    return [f"{job.name}: {problem}" for problem in problems]


def assert_same_outputs(stack, out, redis_db, reference, unbounded=False):
    """Every job's outputs equal its embedded run's (all differences of all jobs reported)."""
    problems = []
    local = local_view(out)
    for job in JOBS:
        actual = Outputs.read(local, job, redis_online(stack.redis(redis_db), job, reference.sqlite(job)))
        problems += differences(job, actual, reference.outputs(job), unbounded)
    assert not problems, "cluster outputs differ from the embedded runs:\n" + "\n".join(problems)


def assert_part_of(out, reference, what):
    """Rows committed so far are some of each job's final rows, none twice, and not all of them."""
    local = local_view(out)
    for job in JOBS:
        actual, expected = Outputs.read(local, job, {}).rows, reference.outputs(job).rows
        for dataset in job.complete_hours + job.partly_complete_hours:
            extra = actual[dataset] - expected[dataset]
            assert not extra, f"{what}: {dataset} has {sum(extra.values())} rows the embedded run does not (or has fewer times)"
        committed = sum(actual[job.features].values())
        assert 0 < committed < sum(expected[job.features].values()), (
            f"{what}: expected a part of the {job.features} rows committed, found {committed}")


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
    """One note on an issue by a user of its own per partition, a day after the last event: moves
    every partition's watermark past all events while never being emitted itself."""
    events = [json.loads(line) for line in lines if line not in BAD_RECORDS]
    last = max(datetime.fromisoformat(e["time"].replace("Z", "+00:00")) for e in events)
    when = (last + timedelta(days=1)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    template = next(e for e in events if e["type"] == "com.gitlab.note.created" and e["data"]["noteable_type"] == "Issue")
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


def submit_all(stack, config_files, topic, out, redis_db, savepoints=None, bounded=False):
    """Submits every job (from its savepoint, if given) the way users do, all to the same topic,
    dataset root and Redis database; returns {job: job id}."""

    def submit(job):
        from_savepoint = ["-s", savepoints[job]] if savepoints else []
        result = stack.scripts.run(
            "flink", "run", "-d", *from_savepoint, "-c", job.main_class, JOB_JAR,
            "--config", config_files[job], "--kafka", stack.bootstrap, "--topic", topic,
            *(["--bounded"] if bounded else []),
            "--out", out, "--online", f"redis://127.0.0.1:{stack.redis_port}/{redis_db}", "--parallelism", "2",
            timeout=300)
        match = JOB_ID.search(result.stdout)
        assert match, f"no JobID in the output of flink run:\n{result.stdout}\n{result.stderr}"
        return match.group(1)

    job_ids = for_each_job(submit)
    step("submitted " + ", ".join(f"{job.name} {job_id}" for job, job_id in job_ids.items()))
    return job_ids


def progress(stack, job_ids, out=None):
    """What changes while the jobs make progress (for the waits): job and task states, records
    sent, and files in the outputs. Fails at once when a job has failed."""
    states = {job: job_progress(stack.url, job_id) for job, job_id in job_ids.items()}
    for job, state in states.items():
        assert state[0] not in {"FAILED", "CANCELED"}, f"the {job.name} job is {state[0]}: {root_cause(stack, job_ids[job])}"
    if out is None:
        files = 0
    else:
        files = len(out.keys()) if isinstance(out, S3Root) else sum(1 for _ in out.rglob("*"))
    return tuple(states.values()), files


def root_cause(stack, job_id):
    """The first line of the job's latest exception, if any."""
    history = rest(stack.url, f"/jobs/{job_id}/exceptions")["exceptionHistory"]["entries"]
    return history[0]["stacktrace"].splitlines()[0] if history else "no exception recorded"


def wait_for_committed_rows(stack, job_ids, out):
    """Until every job has committed feature rows (a checkpoint with rows has completed)."""
    wait_until("a checkpoint with rows of every job",
               lambda: all(has_committed_rows(out, job.features) for job in JOBS),
               timeout=STALL_SECONDS, progress=lambda: progress(stack, job_ids, out))
    step("every job has committed rows")


def wait_for_restore(stack, job_ids, after=None):
    """Until every job runs all its tasks, restored from a checkpoint or savepoint (other than the
    one it had restored in `after`, {job: REST description}, if given); returns {job: the restored
    checkpoint's REST description}."""

    def restored():
        found = {}
        for job, job_id in job_ids.items():
            latest = rest(stack.url, f"/jobs/{job_id}/checkpoints")["latest"]["restored"]
            if not (latest and all_tasks_running(stack.url, job_id)):
                return None
            if after and latest["restore_timestamp"] == after[job]["restore_timestamp"]:
                return None
            found[job] = latest
        return found

    return wait_until("every job to run again, restored", restored, timeout=STALL_SECONDS,
                      progress=lambda: progress(stack, job_ids))


def cancel(url, job_id):
    request = urllib.request.Request(f"{url}/jobs/{job_id}?mode=cancel", method="PATCH")
    urllib.request.urlopen(request, timeout=10).close()
    wait_until("the job to be canceled", lambda: job_state(url, job_id) == "CANCELED", timeout=60)


def wait_for_final_outputs(stack, job_ids, out, reference, before_cancel=None):
    """Unbounded runs: every hour that each job's embedded run completed is marked complete (so
    the sentinels have been read, after every other record), then one more checkpoint of every job
    (whatever was emitted before it is committed), then `before_cancel()` if given (the jobs still
    run), then the jobs are canceled."""

    def all_hours_complete():
        for job, job_id in job_ids.items():
            state = job_state(stack.url, job_id)
            assert state == "RUNNING", f"{job.name} job {job_id} is {state}"
            for dataset in job.complete_hours:
                if not reference.outputs(job).complete_hours[dataset] <= complete_hours_now(out, dataset):
                    return False
        return True

    wait_until("every hour to be marked _SUCCESS", all_hours_complete, timeout=STALL_SECONDS, interval=1,
               progress=lambda: progress(stack, job_ids, out))
    seen = {job: completed_checkpoints(stack.url, job_id) for job, job_id in job_ids.items()}
    wait_until("one more checkpoint of every job",
               lambda: all(completed_checkpoints(stack.url, job_ids[job]) > seen[job] for job in JOBS), timeout=60)
    if before_cancel is not None:
        before_cancel()
    for job_id in job_ids.values():
        cancel(stack.url, job_id)
    step("every job complete and canceled")


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_bounded_run_on_the_cluster_equals_the_embedded_run(stack, reference, config_files, run_dir):
    topic = "e2e-bounded"
    stack.scripts.run("kafka", "topic", "create", topic, "--partitions", PARTITIONS)
    # The way users fill the topic: the generator straight to Kafka (same options, same events as
    # the reference's file), plus the records that are not events.
    eventstream("generate", *GENERATOR_OPTIONS, "--kafka", stack.bootstrap, "--topic", topic)
    produce(stack, topic, BAD_RECORDS)
    step("events in the topic")

    out = run_dir / "cluster-bounded"
    job_ids = submit_all(stack, config_files, topic, out, 0, bounded=True)
    wait_until("the bounded jobs to finish",
               lambda: all(job_state(stack.url, job_id) in {"FINISHED", "FAILED"} for job_id in job_ids.values()),
               timeout=STALL_SECONDS, progress=lambda: progress(stack, job_ids, out))
    assert {job.name: job_state(stack.url, job_id) for job, job_id in job_ids.items()} == {job.name: "FINISHED" for job in JOBS}
    step("jobs finished")

    for job_id in job_ids.values():
        # Both subtasks of every parallel operator ran, on both TaskManagers (SLOTS load balancing).
        vertices = rest(stack.url, f"/jobs/{job_id}")["vertices"]
        assert {v["parallelism"] for v in vertices if v["name"].startswith("Source:")} == {2}
    assert_same_outputs(stack, out, 0, reference)
    assert not list(out.rglob(".part-*")), "in-progress files left behind"


def test_on_s3_stop_with_savepoint_resume_and_killed_taskmanager_equal_the_embedded_run(
        stack, reference, config_files, run_dir):
    """Datasets, checkpoints and savepoints all on S3: the jobs are stopped with a savepoint (to the
    cluster's default savepoint directory on S3), resumed from it, then lose a TaskManager and
    recover from a checkpoint on S3; what is committed is read back from S3 and equals the
    embedded run, and nothing but committed part files looks like a dataset file. The one
    stop/resume and failover scenario of this module (the same on the local disk is in
    test_local_cluster.py): each takes minutes, and the suite's time is shared."""
    topic = "e2e-s3"
    stack.scripts.run("kafka", "topic", "create", topic, "--partitions", PARTITIONS)
    third = len(reference.lines) // 3
    produce(stack, topic, reference.lines[:third])

    out = S3Root(f"s3://{S3_BUCKET}/datasets", stack.s3_env, run_dir / "s3-copies")
    job_ids = submit_all(stack, config_files, topic, out, 8)
    wait_for_committed_rows(stack, job_ids, out)

    def stop(job):
        stopped = stack.scripts.run("flink", "stop", job_ids[job], timeout=300)
        return SAVEPOINT.search(stopped.stdout).group(1)

    savepoints = for_each_job(stop)
    for job, savepoint in savepoints.items():
        assert savepoint.startswith(f"s3://{S3_BUCKET}/{S3_CLUSTER_PREFIX}/savepoints/"), savepoint
        assert job_state(stack.url, job_ids[job]) == "FINISHED"
    assert_part_of(out, reference, "after the stop")
    step(f"stopped with savepoints {sorted(savepoints.values())}")

    produce(stack, topic, reference.lines[third:2 * third])
    resumed = submit_all(stack, config_files, topic, out, 8, savepoints=savepoints)
    from_savepoints = wait_for_restore(stack, resumed)
    for job, restored in from_savepoints.items():
        assert restored["is_savepoint"] and restored["external_path"] == savepoints[job]
    step("resumed from the savepoints")

    # A checkpoint of the resumed jobs, on S3, for the kill to fall back on; then the last third
    # arrives and a TaskManager that runs part of both jobs dies while they read it.
    wait_until("a checkpoint of every resumed job",
               lambda: all(completed_checkpoints(stack.url, job_id) > 0 for job_id in resumed.values()),
               timeout=STALL_SECONDS, progress=lambda: progress(stack, resumed, out))
    produce(stack, topic, reference.lines[2 * third:])
    victims = set.intersection(*(set(taskmanagers_running_tasks(stack.url, job_id)) for job_id in resumed.values()))
    assert victims, "no TaskManager runs tasks of every job (SLOTS load balancing should spread them)"
    victim = min(victims)
    stack.scripts.run("flink-cluster", "kill-taskmanager", victim.removeprefix("tm-"))
    stack.scripts.run("flink-cluster", "add-taskmanager")
    step(f"killed {victim}, started a replacement TaskManager")
    for job, restored in wait_for_restore(stack, resumed, after=from_savepoints).items():
        assert not restored["is_savepoint"], f"the {job.name} job should restart from its own checkpoint"
        assert rest(stack.url, f"/jobs/{resumed[job]}/exceptions")["exceptionHistory"]["entries"], \
            f"no failure recorded for the {job.name} job"
        assert restored["external_path"].startswith(
            f"s3://{S3_BUCKET}/{S3_CLUSTER_PREFIX}/checkpoints/{resumed[job]}/chk-"), restored
    step("every job recovered from a checkpoint on S3")

    produce(stack, topic, sentinels(reference.lines, PARTITIONS))
    wait_for_final_outputs(stack, resumed, out, reference)
    assert_same_outputs(stack, out, 8, reference, unbounded=True)

    # Readers take every *.parquet object of an hour for committed rows: in the hour partitions
    # there must be nothing else but the _SUCCESS markers. A part being written is a multipart
    # upload, invisible until completed, and the writer closes its files at every checkpoint, so
    # no hidden object holding a checkpointed tail (`_…_tmp_<uuid>`) is ever made either.
    in_partitions = [PurePosixPath(key) for key in out.keys()
                     if PurePosixPath(key).match("*/v*/dt=*/hour=*/*")]
    assert in_partitions
    unexpected = [str(key) for key in in_partitions if key.name != "_SUCCESS"
                  and not (key.suffix == ".parquet" and not key.name.startswith((".", "_")))]
    assert not unexpected, f"objects in the hour partitions that are neither committed part files nor _SUCCESS: {unexpected[:10]}"


# ---------------------------------------------------------------------------------------------
# Outages: the online store (Redis) and the Kafka broker go away mid-stream
# ---------------------------------------------------------------------------------------------
# The jobs write their online tables to a redis-server of their own here, with persistence (an
# append-only file), so that stopping it (SIGTERM) and starting it again on the same port keeps
# what was written, as a production Redis does. Each scenario also runs the spam job embedded
# (`./eventstream run spam`) through the same outage: it must end by itself, with the reference's
# outputs.

OUTAGE_SECONDS = 20
SHORT_MAX_OUTAGE = "5s"  # well below OUTAGE_SECONDS: the scenario that goes past the limit


class PersistentRedis:
    """A redis-server that keeps its data across stop() and start() on the same port."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "yes"],
            cwd=self.directory, stdout=open(self.directory / "redis.log", "a"), stderr=subprocess.STDOUT)
        wait_until("the outage tests' redis-server to answer", lambda: _ping(self.client(0)), timeout=30)

    def stop(self):
        """SIGTERM: Redis closes every connection, writes its append-only file and exits."""
        self.process.terminate()
        self.process.wait(timeout=30)

    def url(self, db):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db):
        return redis.Redis(host="127.0.0.1", port=self.port, db=db, decode_responses=True)


@pytest.fixture(scope="module")
def outage_redis(run_dir, stack):
    server = PersistentRedis(run_dir / "redis-outage")
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.terminate()
            try:
                server.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


def submit_all_to(stack, config_files, topic, out, online):
    """Submits every job (unbounded) to write its online tables to `online`; returns {job: job id}."""

    def submit(job):
        result = stack.scripts.run(
            "flink", "run", "-d", "-c", job.main_class, JOB_JAR, "--config", config_files[job],
            "--kafka", stack.bootstrap, "--topic", topic, "--out", out, "--online", online, "--parallelism", "2",
            timeout=300)
        match = JOB_ID.search(result.stdout)
        assert match, f"no JobID in the output of flink run:\n{result.stdout}\n{result.stderr}"
        return match.group(1)

    job_ids = for_each_job(submit)
    step("submitted " + ", ".join(f"{job.name} {job_id}" for job, job_id in job_ids.items()))
    return job_ids


def live_taskmanagers(run_dir):
    """{pid file name: pid} of the TaskManager processes running now."""
    alive = {}
    for pid_file in run_dir.glob("flink/pids/taskmanager-*.pid"):
        text = pid_file.read_text().strip()
        if text.isdigit() and Path(f"/proc/{text}").exists():
            alive[pid_file.name] = int(text)
    return alive


def taskmanager_log_lines(run_dir, text):
    return sum(line.count(text) for log in run_dir.glob("flink/log/taskmanager-*.log*")
               for line in log.read_text(errors="replace").splitlines())


def failures(stack, job_id):
    """The stack traces (with their causes) of the job's recorded failures."""
    return [entry["stacktrace"] for entry in rest(stack.url, f"/jobs/{job_id}/exceptions")["exceptionHistory"]["entries"]]


@pytest.fixture
def embedded_runs():
    """The embedded runs a test starts (a list to append to); killed at its end if still running,
    e.g. after a failed assertion."""
    runs = []
    yield runs
    for run in runs:
        if run.process.poll() is None:
            run.process.kill()
            run.process.wait()


# Every online table the spam job writes (SPAM.online lists those compared with the reference).
SPAM_ONLINE_TABLES = ("spam_user_features", "spam_user_state")


class EmbeddedOutageRun:
    """`./eventstream run spam` (embedded MiniCluster) over the events file or a topic, writing its
    online table to Redis, started in the background."""

    def __init__(self, config_file, out, online, source_args, runs):
        runs.append(self)
        self.out = out
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(REPO / "eventstream"), "run", "spam", "--config", str(config_file), *map(str, source_args),
             "--out", str(out), "--online", online, "--parallelism", "2"],
            cwd=REPO, env=dict(os.environ, EVENTSTREAM_HASH_KEY=HASH_KEY, EVENTSTREAM_HEAP="2g"),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)

    def pause_once_connected(self, redis_server, db):
        """SIGSTOPs the run as soon as every online sink subtask has connected to `db`, so that it
        meets the outage that follows with all its rows still to write. On the events file the
        run may otherwise finish between two polls (its rows can all come in the final flush)."""
        # One connection per table and subtask (parallelism 2). A sink that first opens during the
        # outage fails the run at once, by design (a fresh job cannot reach its store): so all of them.
        # A connection is listed as soon as it has its name, before the sink's open has pinged and
        # loaded its script: an outage then fails that open, and with it the run. So only connections
        # past the handshake count (their last command is the script load or a write).
        expected = collections.Counter({f"eventstream-online-{table}": 2 for table in SPAM_ONLINE_TABLES})
        handshake = {"hello", "auth", "client|setname", "client|setinfo", "select", "ping"}
        admin = redis_server.client(0)
        wait_until("the embedded run's online sinks to open",
                   lambda: collections.Counter(client["name"] for client in admin.client_list()
                                               if client["db"] == str(db)
                                               and client["cmd"] not in handshake) >= expected,
                   timeout=STALL_SECONDS, interval=0.01)
        os.killpg(self.process.pid, signal.SIGSTOP)
        assert self.process.poll() is None, "the embedded run ended before the outage"

    def resume(self):
        os.killpg(self.process.pid, signal.SIGCONT)

    def finish(self, timeout=900):
        """Waits for it to end by itself; returns its stderr."""
        try:
            stdout, stderr = self.process.communicate(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        assert self.process.returncode == 0, f"the embedded spam run failed:\n{stdout}\n{stderr}"
        step(f"embedded spam run ended by itself after {time.monotonic() - self.started:.0f} s")
        return stderr

    def finish_after_outage(self):
        """finish(), and the run's log shows its online sink met the outage."""
        stderr = self.finish()
        assert "write failed" in stderr, f"the embedded run never met the outage:\n{stderr}"


def assert_embedded_spam_equals_reference(reference, out, online_client):
    if online_client is None:
        online = sqlite_online(out / "online" / SPAM.sqlite_file, SPAM)
    else:
        online = redis_online(online_client, SPAM, reference.sqlite(SPAM))
    problems = differences(SPAM, Outputs.read(out, SPAM, online), reference.outputs(SPAM))
    assert not problems, "the embedded run differs from the reference:\n" + "\n".join(problems)


def wait_until_writing_again(stack, job_ids):
    """Until every job runs all its tasks and has completed two checkpoints since Redis came back
    (a checkpoint completes only when the online sinks have written everything before it)."""
    since = {job: completed_checkpoints(stack.url, job_id) for job, job_id in job_ids.items()}
    wait_until("every job to run and complete checkpoints after the outage",
               lambda: all(job_state(stack.url, job_id) == "RUNNING" and all_tasks_running(stack.url, job_id)
                           and completed_checkpoints(stack.url, job_id) >= since[job] + 2
                           for job, job_id in job_ids.items()),
               timeout=STALL_SECONDS, progress=lambda: progress(stack, job_ids))


def redis_outage(stack, outage_redis, job_ids, embedded, embedded_db, during):
    """Stops Redis for OUTAGE_SECONDS (or as long as `during` takes) while the jobs and the
    embedded run are mid-stream. `during` feeds the jobs, so that their sinks have rows to write
    while Redis is away (a sink with nothing to write does not notice an outage)."""
    embedded.pause_once_connected(outage_redis, embedded_db)
    outage_redis.stop()
    stopped = time.monotonic()
    embedded.resume()
    step(f"redis-server stopped for {OUTAGE_SECONDS} s")
    during()
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
    outage_redis.start()
    step(f"redis-server started again after {time.monotonic() - stopped:.0f} s")


def test_redis_stopped_for_20_s_delays_the_reviewer_job_and_fails_the_spam_job_past_its_limit_both_exact(
        stack, reference, config_files, run_dir, outage_redis, embedded_runs):
    """One outage, both outcomes: the spam job runs with online.max_outage 5s and must fail cleanly and
    resume from its checkpoint; the reviewer job keeps the default 5m and must ride the outage out
    without failing. Both jobs write through the same online sink, so each outcome is checked once on
    the cluster; the MiniCluster tests (SpamJobOnlineOutageTest) check both for one job."""
    configs = dict(config_files)
    text, count = re.subn(r"(?m)^(  max_outage:\s*)5m", rf"\g<1>{SHORT_MAX_OUTAGE}", config_files[SPAM].read_text())
    assert count == 1, f"{config_files[SPAM]} has no online.max_outage line"
    configs[SPAM] = run_dir / "spam-short-max-outage.yaml"
    configs[SPAM].write_text(text)
    topic = "e2e-redis-stop"
    stack.scripts.run("kafka", "topic", "create", topic, "--partitions", PARTITIONS)
    half = len(reference.lines) // 2
    produce(stack, topic, reference.lines[:half])
    taskmanagers = live_taskmanagers(run_dir)
    warnings_before = taskmanager_log_lines(run_dir, "write failed")

    out = run_dir / "cluster-redis-stop"
    job_ids = submit_all_to(stack, configs, topic, out, outage_redis.url(3))
    # The embedded run goes past the limit too: it fails and resumes inside its own MiniCluster.
    embedded = EmbeddedOutageRun(configs[SPAM], run_dir / "embedded-redis-stop", outage_redis.url(4),
                                 ["--input", run_dir / "events.jsonl"], embedded_runs)
    wait_for_committed_rows(stack, job_ids, out)
    redis_outage(stack, outage_redis, job_ids, embedded, 4, lambda: produce(stack, topic, reference.lines[half:]))

    wait_until_writing_again(stack, job_ids)
    # Failed cleanly: the sink's own message, naming the store without secrets and the limit.
    assert any("online.max_outage (5s)" in failure and outage_redis.url(3) in failure
               for failure in failures(stack, job_ids[SPAM])), \
        f"the spam job did not fail on the outage: {root_cause(stack, job_ids[SPAM])}"
    restored = rest(stack.url, f"/jobs/{job_ids[SPAM]}/checkpoints")["latest"]["restored"]
    assert restored and not restored["is_savepoint"], "the spam job did not resume from a checkpoint"
    assert not failures(stack, job_ids[REVIEWERS]), \
        f"the reviewer job failed within its limit: {root_cause(stack, job_ids[REVIEWERS])}"
    step("the spam job failed past its limit and resumed from a checkpoint; the reviewer job did not fail")

    produce(stack, topic, sentinels(reference.lines, PARTITIONS))
    wait_for_final_outputs(stack, job_ids, out, reference)
    embedded.finish_after_outage()

    assert live_taskmanagers(run_dir) == taskmanagers, "a TaskManager exited"
    assert not failures(stack, job_ids[REVIEWERS]), \
        f"the reviewer job failed after the outage: {root_cause(stack, job_ids[REVIEWERS])}"
    assert taskmanager_log_lines(run_dir, "write failed") > warnings_before, "the sinks never met the outage"
    problems = []
    for job in JOBS:
        actual = Outputs.read(out, job, redis_online(outage_redis.client(3), job, reference.sqlite(job)))
        problems += differences(job, actual, reference.outputs(job), unbounded=True)
    assert not problems, "cluster outputs differ from the embedded runs:\n" + "\n".join(problems)
    assert_embedded_spam_equals_reference(reference, run_dir / "embedded-redis-stop", outage_redis.client(4))


def test_kafka_broker_restart_mid_stream_loses_and_duplicates_nothing_and_the_metrics_move(
        stack, reference, config_files, run_dir, embedded_runs):
    """The broker stopped for 5 s after the first half was read. The same run is the metrics scenario
    (a run of its own would cost the suite another submission of both jobs): the Prometheus endpoints
    are scraped before the restart, once each job has reported a completed hour, and at the end, when
    everything was read, before the jobs are canceled."""
    topic, whole_topic = "e2e-broker-restart", "e2e-broker-restart-whole"
    for name in (topic, whole_topic):
        stack.scripts.run("kafka", "topic", "create", name, "--partitions", PARTITIONS)
    half = len(reference.lines) // 2
    produce(stack, topic, reference.lines[:half])
    produce(stack, whole_topic, reference.lines)
    taskmanagers = live_taskmanagers(run_dir)

    out = run_dir / "cluster-broker-restart"
    job_ids = submit_all(stack, config_files, topic, out, 7)
    embedded = EmbeddedOutageRun(config_files[SPAM], run_dir / "embedded-broker-restart", "sqlite:"
                                 + str(run_dir / "embedded-broker-restart" / "online" / SPAM.sqlite_file),
                                 ["--kafka", stack.bootstrap, "--topic", whole_topic, "--bounded"], embedded_runs)
    wait_for_committed_rows(stack, job_ids, out)
    first = scrape_once_hours_completed(stack, job_ids, out)
    step("embedded run " + ("still reading" if embedded.process.poll() is None else "already done") + " at the restart")
    stack.scripts.run("kafka", "stop")
    step("Kafka broker stopped")
    time.sleep(5)
    stack.scripts.run("kafka", "start")
    step("Kafka broker started again (same port, same data)")
    # The second half is only in the topic after the restart: the jobs must read on from it.
    produce(stack, topic, reference.lines[half:] + sentinels(reference.lines, PARTITIONS))
    scrapes = []
    wait_for_final_outputs(stack, job_ids, out, reference, before_cancel=lambda: scrapes.append(scrape(stack)))
    embedded.finish()

    assert live_taskmanagers(run_dir) == taskmanagers, "a TaskManager exited"
    assert_same_outputs(stack, out, 7, reference, unbounded=True)
    assert_embedded_spam_equals_reference(reference, run_dir / "embedded-broker-restart", None)
    assert_metrics_exported_and_moving(first, scrapes[0], out, len(reference.lines) + PARTITIONS)


# Metrics: the Prometheus endpoints of the running jobs (deploy/monitoring, docs/metrics.md)
# ---------------------------------------------------------------------------------------------

PROMETHEUS_SAMPLE = re.compile(r'^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
PROMETHEUS_LABEL = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"')
# Exported by the deduplication operator once the jobs have one (docs/metrics.md); until then the
# dashboard's panel stays empty and nothing else may be missing.
METRICS_ADDED_LATER = {"flink_taskmanager_job_task_operator_duplicates"}


def scrape(stack):
    """Every sample of every process's /metrics endpoint: [(name, labels, value)]."""
    samples = []
    endpoints = stack.scripts.run("flink-cluster", "metrics").stdout.split()[1::2]
    assert len(endpoints) >= 3, f"a JobManager and 2 TaskManagers serve /metrics: {endpoints}"
    for url in endpoints:
        with urllib.request.urlopen(url, timeout=10) as response:
            for line in response.read().decode().splitlines():
                match = PROMETHEUS_SAMPLE.match(line)
                if match and not line.startswith("#"):
                    labels = dict(PROMETHEUS_LABEL.findall(match.group(2) or ""))
                    samples.append((match.group(1), labels, float(match.group(3))))
    return samples


def metric(samples, name, job=None, **labels):
    """The samples of one metric (of one job, with these labels)."""
    return [(l, v) for n, l, v in samples
            if n == name and (job is None or l.get("job_name") == job) and all(l.get(k) == x for k, x in labels.items())]


def total(samples, name, job=None, **labels):
    return sum(v for _, v in metric(samples, name, job, **labels))


JOB_METRICS = "flink_taskmanager_job_task_operator_"
METRIC_JOB_NAMES = {SPAM: "eventstream_spam_features", REVIEWERS: "eventstream_reviewer_features"}


def scrape_once_hours_completed(stack, job_ids, out):
    """Scrapes until each job reports a completed hour of its features (hours complete and datasets
    commit as the watermark passes them: then every metric has a value); returns those samples."""
    op, names = JOB_METRICS, METRIC_JOB_NAMES

    def hours_completed():
        samples = scrape(stack)
        done = all(total(samples, op + "dataset_lastCompletedHour", names[job], dataset=job.features) > 0 for job in JOBS)
        return samples if done else None

    first = wait_until("an hour marked complete in each job's metrics", hours_completed, timeout=STALL_SECONDS,
                       interval=2, progress=lambda: progress(stack, job_ids, out))
    step("first scrape: " + ", ".join(f"{job.name} eventsIn {total(first, op + 'eventsIn', names[job]):.0f}" for job in JOBS))
    return first


def assert_metrics_exported_and_moving(first, second, out, records_produced):
    """Every metric the dashboard and the alert rules use is exported by the running jobs, and the
    counters moved between the two scrapes; the second is taken once all `records_produced` were read."""
    import calendar

    import test_monitoring  # the names the dashboard and alert rules use

    op, names = JOB_METRICS, METRIC_JOB_NAMES
    step("second scrape: " + ", ".join(f"{job.name} eventsIn {total(second, op + 'eventsIn', names[job]):.0f}" for job in JOBS))
    exported = {name for name, _, _ in second} | {name.removesuffix("_count") for name, _, _ in second}
    missing = test_monitoring.referenced_metrics() - exported - METRICS_ADDED_LATER
    assert not missing, f"used by deploy/monitoring but not exported: {sorted(missing)}"

    spam, reviewers = names[SPAM], names[REVIEWERS]
    for job in JOBS:
        name = names[job]
        # Input, read by the decode operator: moving, and in the end every record produced, once.
        assert 0 < total(first, op + "eventsIn", name) < total(second, op + "eventsIn", name) == records_produced
        # Dead letters: the total equals the sum over the reason labels, every reason exported.
        by_reason = metric(second, op + "reason_deadLetters", name)
        assert {labels["reason"] for labels, _ in by_reason} >= {"MALFORMED_JSON", "MISSING_FIELD", "INVALID_FIELD"}
        assert total(second, op + "deadLetters", name) == sum(v for _, v in by_reason)
        assert metric(second, op + "stream_lateEvents", name), f"{job.name}: lateEvents by stream"
        # Freshness: the histograms have samples, and (historic events) delays of more than a day.
        for dataset in job.complete_hours:
            assert total(second, op + "dataset_freshnessMs_count", name, dataset=dataset) > 0, dataset
        for table in job.online:
            assert total(second, op + "table_freshnessMs_count", name, table=table) > 0, table
            p50 = metric(second, op + "table_freshnessMs", name, table=table, quantile="0.5")
            assert p50 and min(v for _, v in p50 if v == v) > 86_400_000, f"{table}: events of 2024 are old"
        # Lag gauges are numbers once records were read (NaN before).
        for gauge in ["eventTimeLagMs", "watermarkLagMs"]:
            values = [v for _, v in metric(second, op + gauge, name)]
            assert values and all(v == v and v > 0 for v in values), (gauge, values)
        # Kafka's own lag in records, per source reader.
        assert metric(second, op + "pendingRecords", name)
        # The newest complete hour is one of the hours marked _SUCCESS on disk.
        newest = max(v for _, v in metric(second, op + "dataset_lastCompletedHour", name, dataset=job.features))
        marked = {calendar.timegm(time.strptime(re.search(r"dt=([\d-]+)/hour=(\d+)", hour).expand(r"\1 \2"),
                                                "%Y-%m-%d %H"))
                  for hour in marked_hours(out / job.features)}
        assert int(newest) in marked, (newest, sorted(marked)[-3:])
    # Rows per dataset, by the writer's operator name.
    writers = {labels["operator_name"] for labels, v in metric(second, op + "rowsWritten", spam) if v > 0}
    assert "dataset_spam_features_writer" in writers
    assert total(second, op + "rowsWritten", reviewers) > 0
    step("metrics exported by both jobs, and moving")
