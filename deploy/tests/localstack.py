"""Helpers shared by the tests that drive deploy/local: the scripts against a private run
directory, the cluster's REST API, and waiting.

Every process the scripts start carries -Deventstream.run=<run dir>; Scripts remembers each PID
they record, so a test can check at the end that none of them is left running.
"""

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOCAL = REPO / "deploy" / "local"


class Scripts:
    """Runs the deploy/local scripts against one private run directory, from a foreign cwd."""

    def __init__(self, run_dir: Path, **env):
        self.run_dir = run_dir
        self.env = dict(os.environ, EVENTSTREAM_RUN_DIR=str(run_dir), **env)
        self.env.pop("KAFKA_PORT", None)
        self.env.pop("FLINK_REST_PORT", None)
        self.seen_pids = set()

    def run(self, script, *args, stdin=None, timeout=180, check=True):
        result = subprocess.run(
            [str(LOCAL / script), *map(str, args)],
            cwd=self.run_dir,  # not the repository: the scripts must work from any cwd
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        self.record_pids()
        if check and result.returncode != 0:
            raise AssertionError(
                f"{script} {' '.join(map(str, args))} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def record_pids(self):
        """Remembers every PID the scripts have written, to check at the end that all are gone."""
        # os.walk, not Path.glob: it skips directories that vanish while it walks (the S3 server's
        # multipart uploads are directories under s3/data, deleted when an upload completes).
        for directory, _, names in os.walk(self.run_dir):
            for name in names:
                if name.endswith(".pid"):
                    self._record(Path(directory) / name)

    def _record(self, pid_file):
        try:
            text = pid_file.read_text().strip()
        except FileNotFoundError:  # removed by a stop meanwhile
            return
        if text.isdigit():
            self.seen_pids.add((int(text), pid_file.parent))

    def live_pids(self):
        """The recorded PIDs still running a process of this run directory."""
        alive = []
        for pid, _ in sorted(self.seen_pids):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            markers = [arg for arg in cmdline if arg.startswith(b"-Deventstream.run=")]
            if state != "Z" and any(str(self.run_dir).encode() in m for m in markers):
                alive.append(pid)
        return alive

    def stop_all(self):
        """Stops the cluster, the broker and the S3 server (idempotent; the cluster first, it may
        still write checkpoints to S3), then SIGKILLs any recorded PID still alive; returns the
        PIDs that had to be killed."""
        self.run("flink-cluster", "stop", check=False, timeout=120)
        self.run("kafka", "stop", check=False, timeout=120)
        self.run("s3", "stop", check=False, timeout=60)
        leftover = self.live_pids()
        for pid in leftover:
            os.kill(pid, 9)
        return leftover


def wait_until(what, predicate, timeout=120, interval=0.5, progress=None):
    """Polls `predicate` until it returns something true, and returns that. Without `progress`,
    gives up `timeout` seconds after the start. With `progress` (a function returning anything
    comparable, e.g. records processed), gives up only after `timeout` seconds in which its value
    did not change: on a loaded machine a slow job still gets there, a stuck one fails as soon."""
    last_change, last_value = time.monotonic(), None
    while True:
        value = predicate()
        if value:
            return value
        if progress is not None:
            current = progress()
            if current != last_value:
                last_change, last_value = time.monotonic(), current
        if time.monotonic() > last_change + timeout:
            stalled = f" without progress (last: {last_value})" if progress is not None else ""
            raise AssertionError(f"timed out after {timeout} s{stalled} waiting for {what}")
        time.sleep(interval)


def rest(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as response:
        return json.load(response)


def job_state(url, job_id):
    return next(j["state"] for j in rest(url, "/jobs/overview")["jobs"] if j["jid"] == job_id)


def all_tasks_running(url, job_id):
    job = next(j for j in rest(url, "/jobs/overview")["jobs"] if j["jid"] == job_id)
    return job["state"] == "RUNNING" and job["tasks"]["running"] == job["tasks"]["total"]


def taskmanagers_running_tasks(url, job_id):
    """Resource ids (tm-N) of the TaskManagers running at least one task of the job."""
    hosts = set()
    for vertex in rest(url, f"/jobs/{job_id}")["vertices"]:
        for tm in rest(url, f"/jobs/{job_id}/vertices/{vertex['id']}/taskmanagers")["taskmanagers"]:
            if tm["status"] == "RUNNING":
                hosts.add(tm["taskmanager-id"])
    return sorted(hosts)


def completed_checkpoints(url, job_id):
    return rest(url, f"/jobs/{job_id}/checkpoints")["counts"]["completed"]


def job_progress(url, job_id):
    """What changes while a job makes progress: its state, its tasks' states and the records its
    operators have sent (REST metrics, refreshed every few seconds)."""
    job = rest(url, f"/jobs/{job_id}")
    return (job["state"], tuple(sorted(job["status-counts"].items())),
            sum(v["metrics"]["write-records"] for v in job["vertices"]))
