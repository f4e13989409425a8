"""The Python spam state reader against the Java engine, without a demo run.

``spam_state_cases.json`` is written by the Java test ``SpamDeclaredFeaturesTest`` (which also keeps it
current): Java ``SpamUserState`` encodings after a few hand-written events, and what
``SpamFeatureEngine.asOf`` gives at a request time, without and with a pending note, under the default
configuration and with the declared-but-off features ``mentions`` and ``issues_closed`` enabled. The
Python reader must derive the same columns and tile layout from the declarations and give the same values.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventstream_features.spam_state import SpamFeatureLayout, SpamUserState, features_at

CASES = json.loads((Path(__file__).parent / "spam_state_cases.json").read_text(encoding="utf-8"))
ALL_CASES = [(s["definition"], c) for s in CASES["feature_sets"] for c in s["cases"]]


@pytest.mark.parametrize("definition,case", ALL_CASES,
                         ids=[f"{'enabled' if 'mentions' in d['features'] else 'defaults'}-user{c['user_id']}"
                              f"{'-pending' if 'pending' in c else ''}" for d, c in ALL_CASES])
def test_python_reads_the_java_state_as_the_java_engine_does(definition, case):
    layout = SpamFeatureLayout({"feature_set": definition})  # as in a dataset's _feature_set.json
    state = SpamUserState.decode(case["state"])
    assert state.layout == layout.layout  # same tile layout: the tiles are read, not reset
    assert features_at(layout, case["user_id"], state, case["at"], case.get("pending")) == case["expected"]


def test_the_declared_features_are_in_the_cases():
    enabled = [s for s in CASES["feature_sets"] if "mentions" in s["definition"]["features"]]
    assert len(enabled) == 1
    pending = next(c for c in enabled[0]["cases"] if "pending" in c)
    # Before the pending note: mentions of e7 (0) and e6 (3) in [10:20, 11:20]; the note adds its 2.
    assert pending["expected"]["mentions_1h"] == 5
    assert pending["expected"]["issues_closed_24h"] == 2
