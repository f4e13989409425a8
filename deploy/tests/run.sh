#!/usr/bin/env bash
# Runs the deploy tests: structural checks of the docker/kubernetes files and the smoke test of
# deploy/local (a real Kafka broker and Flink cluster, about 2 minutes).
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

cd "$repo"
exec "$venv/bin/pytest" -p no:cacheprovider "$here" "$@"
