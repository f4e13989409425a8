#!/usr/bin/env bash
# Runs the deploy tests: structural checks of the docker/kubernetes files, the smoke test of
# deploy/local (a real Kafka broker and Flink cluster) and the end-to-end test of both jobs on
# that cluster with Redis and the local S3 server (11 to 14 minutes together on 2 cores, 2026-12-08:
# the end-to-end module's fixtures 1.5, its four scenarios 1.7 to 4.5 each).
# Usage: deploy/tests/run.sh [pytest args], e.g. deploy/tests/run.sh -k manifests
# Prerequisites: python3 with venv, JDK 17, Maven 3.8+.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.run/venv-deploy"

# (Re)create the venv when it is missing or the requirements changed since it was made.
if [[ ! -x "$venv/bin/pytest" || "$here/requirements.txt" -nt "$venv/.installed" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt"
  touch "$venv/.installed"
fi

# The end-to-end test submits the job jar: build it when it is missing (the test skips, saying
# so, if there is still none).
if [[ ! -f "$repo/jobs/target/eventstream-jobs.jar" ]]; then
  echo "run.sh: building jobs/target/eventstream-jobs.jar (mvn -B -q install -DskipTests) ..." >&2
  (cd "$repo" && mvn -B -q install -DskipTests) >&2 \
    || echo "run.sh: the build failed: the cluster end-to-end test will be SKIPPED" >&2
fi

cd "$repo"
# -rs: a skipped test says why in the summary; --durations: the slowest steps, for the suite's
# budget. --timeout: a hung test fails after 15 minutes (the slowest, the S3 scenario, takes about
# 5 with its share of the cluster's start) with the stacks of its threads, and its fixtures still
# stop the servers, instead of running into CI's time limit.
exec "$venv/bin/pytest" -p no:cacheprovider -rs --durations=10 --timeout=900 "$here" "$@"
