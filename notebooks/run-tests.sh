#!/usr/bin/env bash
# Tests of the Python side: creates notebooks/.venv (Python 3.11) when it is missing or when
# requirements.txt changed, installs the pinned packages and this package, then runs pytest.
# Notebook tests run when EVENTSTREAM_DATA (and EVENTSTREAM_TUNE for 04) point at job output;
# otherwise they are skipped with a message. Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
venv="$here/.venv"
python="${PYTHON:-python3.11}"

if ! command -v "$python" >/dev/null 2>&1; then
  echo "notebooks/run-tests.sh: $python not found; Python 3.11 is required" >&2
  exit 1
fi

# The stamp covers the requirements, the package metadata and the interpreter's version.
stamp_value="$( (cat requirements.txt pyproject.toml; "$python" --version) | sha256sum | cut -d' ' -f1)"
stamp_file="$venv/.requirements.sha256"
if [[ ! -x "$venv/bin/python" || ! -f "$stamp_file" || "$(cat "$stamp_file")" != "$stamp_value" ]]; then
  echo "notebooks/run-tests.sh: creating $venv and installing requirements.txt ..." >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  # No build isolation: setuptools comes pinned from requirements.txt, nothing else is fetched.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$stamp_value" > "$stamp_file"
fi

set +e
"$venv/bin/python" -m pytest "$@"
status=$?
set -e
if [[ $status -eq 5 ]]; then
  echo "notebooks/run-tests.sh: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit $status
