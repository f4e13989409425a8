"""Writes a plausible FAKE spam dataset in the exact layout of the spam job, for developing notebooks.

FOR DEVELOPMENT ONLY. The numbers here come from a toy simulation in this script, not from the
Java spam job; nothing may be concluded from a model trained on them. CI runs the notebooks on
the real output of ``./eventstream demo`` (``EVENTSTREAM_DATA``), never on this.

Writes under OUT:

- ``spam_features/v1`` and ``spam_labels/v1`` (hour partitions, ``_SUCCESS`` except in the
  last hour, ``_feature_set.json``, TIMESTAMP(MILLIS, UTC) columns),
- ``online/spam_user_features.sqlite`` (the online table's SQLite layout),
- ``truth.jsonl`` (the generator's ground-truth format: ``{"kind": "spammer", ...}`` lines).

Usage: ``python tests/make_fake_demo.py OUT [--seed N] [--windows default|coarse]``; the
``coarse`` window config gives a second run for ``04_tune_windows.ipynb``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from layout import SPAM_LABEL_COLUMNS, DatasetWriter  # noqa: E402

WINDOW_CONFIGS = {
    "default": {
        "windows": {"1m": ("1m", "10s"), "10m": ("10m", "1m"), "1h": ("1h", "5m"), "24h": ("24h", "1h"),
                    "7d": ("7d", "1d"), "30d": ("30d", "1d")},
        "features": {"notes": ["1m", "10m", "1h", "24h"], "issues": ["1h", "24h"], "merge_requests": ["24h"],
                     "distinct_projects": ["1h", "24h"], "links": ["1h"], "content_events": ["7d"],
                     "text_repeat_count": ["24h"], "prior_spam_verdicts": ["30d"]},
    },
    "coarse": {
        "windows": {"6h": ("6h", "30m"), "7d": ("7d", "1d"), "30d": ("30d", "1d")},
        "features": {"notes": ["6h"], "issues": ["6h"], "merge_requests": ["7d"], "distinct_projects": ["6h"],
                     "links": ["6h"], "content_events": ["7d"], "text_repeat_count": ["6h"],
                     "prior_spam_verdicts": ["30d"]},
    },
}

FIXED_COLUMNS = [
    ("event_id", "STRING", False), ("event_time", "TIMESTAMP_MILLIS", False), ("user_id", "LONG", False),
    ("project_id", "LONG", True), ("content_type", "STRING", False), ("noteable_type", "STRING", True),
    ("text_length", "INT", False), ("title_length", "INT", True), ("link_count", "INT", False),
    ("external_link_count", "INT", False), ("mention_count", "INT", False), ("uppercase_ratio", "DOUBLE", False),
    ("has_code_block", "BOOLEAN", False), ("account_age_seconds", "LONG", True),
    ("email_domain_class", "STRING", False), ("email_domain_hash", "STRING", True),
    ("member_project_count", "INT", False), ("is_project_member", "BOOLEAN", True),
    ("seconds_since_previous_content_event", "LONG", True),
]
ONLINE_FIXED = ["user_id", "event_time", "account_age_seconds", "email_domain_class", "email_domain_hash",
                "member_project_count", "seconds_since_previous_content_event"]


def millis(text: str) -> int:
    return int(pd.Timedelta(text.replace("d", "D")) // pd.Timedelta(milliseconds=1))


def simulate(seed: int, users: int = 400, days: int = 3) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Content events, labels and truth of a toy population; about 10 % spammers."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-05-01T00:00", tz="UTC")
    span = days * 86_400_000
    events, labels, truth = [], [], []
    for user in range(1, users + 1):
        spammer = rng.random() < 0.1
        style = rng.choice(["burst", "mention", "slow_careful"]) if spammer else None
        signup = start + pd.Timedelta(milliseconds=int(rng.integers(-60 * 86_400_000, span // 2)))
        if spammer:
            signup = start + pd.Timedelta(milliseconds=int(rng.integers(0, span // 2)))
        email = rng.choice(["disposable", "webmail", "other"], p=[0.5, 0.4, 0.1] if spammer else [0.02, 0.5, 0.48])
        members = set(rng.choice(60, size=0 if spammer and style != "slow_careful" else int(rng.integers(1, 6)),
                                 replace=False).tolist())
        if spammer:
            truth.append({"kind": "spammer", "user_id": user, "style": style,
                          "signed_up_at": signup.isoformat().replace("+00:00", "Z"), "email_domain_class": email})
            bursts = int(rng.integers(1, 4))
            times = np.concatenate([
                int(rng.integers(0, span)) + np.cumsum(rng.exponential(40_000, size=int(rng.integers(5, 25))))
                for _ in range(bursts)
            ]) if style != "slow_careful" else rng.integers(0, span, size=int(rng.integers(3, 10)))
        else:
            times = rng.integers(0, span, size=int(rng.poisson(6)))
        times = np.sort(times.astype(np.int64))
        times = times[(start + pd.to_timedelta(times, unit="ms")) >= signup]
        repeated_text = int(rng.integers(0, 1 << 62))
        for i, t in enumerate(times):
            when = start + pd.Timedelta(milliseconds=int(t))
            content = rng.choice(["note", "issue", "merge_request"], p=[0.8, 0.18, 0.02] if spammer else [0.6, 0.3, 0.1])
            project = int(rng.integers(0, 60)) if (spammer and style != "slow_careful") or not members \
                else int(rng.choice(sorted(members)))
            links = int(rng.integers(2, 8)) if spammer and style == "burst" else (
                1 if spammer else int(rng.random() < 0.15))
            events.append({
                "event_id": f"evt-{user}-{i}", "event_time": when, "user_id": user, "project_id": project,
                "content_type": content, "noteable_type": "Issue" if content == "note" else None,
                "text_length": int(rng.integers(40, 400) if spammer else rng.integers(5, 2000)),
                "title_length": None if content == "note" else int(rng.integers(10, 80)),
                "link_count": links, "external_link_count": links if spammer else 0,
                "mention_count": int(rng.integers(3, 12)) if style == "mention" else int(rng.random() < 0.2),
                "uppercase_ratio": float(rng.beta(2, 8) if spammer else rng.beta(1, 20)),
                "has_code_block": bool(not spammer and rng.random() < 0.3),
                "account_age_seconds": int((when - signup) / pd.Timedelta(seconds=1)),
                "email_domain_class": email,
                "email_domain_hash": hashlib.sha256(f"{seed}-{email}-{user % 7}".encode()).hexdigest()[:16],
                "member_project_count": len(members), "is_project_member": project in members,
                "_text": repeated_text if spammer and style != "slow_careful" else int(rng.integers(0, 1 << 62)),
                "_spammer": spammer,
            })
            # Labels arrive later: verdicts on about half of the spam, a few mistakes on normal users.
            if spammer and rng.random() < 0.5:
                delay = pd.Timedelta(milliseconds=int(rng.exponential(3 * 3_600_000)) + 1)
                labels.append(label(f"lbl-{user}-{i}", when + delay, user, "spam", "spam_verdict", "DISALLOW",
                                    "spamcheck", f"evt-{user}-{i}"))
            elif not spammer and rng.random() < 0.05:
                ham = rng.random() < 0.9
                labels.append(label(f"lbl-{user}-{i}", when + pd.Timedelta(minutes=int(rng.integers(1, 300))), user,
                                    "ham" if ham else "spam", "spam_verdict", "ALLOW" if ham else "DISALLOW",
                                    "akismet", f"evt-{user}-{i}"))
        if spammer and len(times) and rng.random() < 0.3:
            blocked = start + pd.Timedelta(milliseconds=int(times[-1]) + int(rng.exponential(12 * 3_600_000)))
            labels.append(label(f"blk-{user}", blocked, user, "spam", "user_block", "blocked", None, None))
    return pd.DataFrame(events), pd.DataFrame(labels), pd.DataFrame(truth)


def label(label_id, when, user, value, source, decision, decided_by, target_event_id) -> dict:
    return {"label_event_id": label_id, "label_time": when, "user_id": user, "label": value, "source": source,
            "decision": decision, "decided_by": decided_by, "target_type": "Note" if target_event_id else None,
            "target_id": None, "target_event_id": target_event_id}


def add_windowed(events: pd.DataFrame, labels: pd.DataFrame, config: dict) -> tuple[pd.DataFrame, list[str]]:
    """Windowed counts over ``[t - W, t]`` by a plain scan per user (the job uses tiles; close enough for a fake)."""
    events = events.sort_values(["user_id", "event_time"], kind="stable").reset_index(drop=True)
    t = ((events["event_time"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)).to_numpy(np.int64)
    previous = pd.Series(t).groupby(events["user_id"].to_numpy()).diff()
    events["seconds_since_previous_content_event"] = (previous // 1000).astype("Int64")
    spam_verdicts = labels[(labels["source"] == "spam_verdict") & (labels["label"] == "spam")]
    verdict_ms = {u: np.sort(((g["label_time"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)).to_numpy())
                  for u, g in spam_verdicts.groupby("user_id")}
    per_event = {
        "notes": (events["content_type"] == "note").to_numpy(int),
        "issues": (events["content_type"] == "issue").to_numpy(int),
        "merge_requests": (events["content_type"] == "merge_request").to_numpy(int),
        "links": events["link_count"].to_numpy(int),
        "content_events": np.ones(len(events), int),
    }
    projects = events["project_id"].to_numpy()
    texts = events["_text"].to_numpy()
    groups = [g.index.to_numpy() for _, g in events.groupby("user_id", sort=True)]
    users = sorted(events["user_id"].unique())
    names = []
    for feature, window_names in config["features"].items():
        for window in window_names:
            length = millis(config["windows"][window][0])
            name = f"{feature}_{window}"
            names.append(name)
            values = np.zeros(len(events), dtype=np.int32)
            for user, idx in zip(users, groups):
                ts = t[idx]
                first = np.searchsorted(ts, ts - length, side="left")
                if feature in per_event:
                    sums = np.concatenate([[0], np.cumsum(per_event[feature][idx])])
                    values[idx] = sums[np.arange(len(idx)) + 1] - sums[first]
                elif feature == "distinct_projects":
                    values[idx] = [len(set(projects[idx[f:j + 1]])) for j, f in enumerate(first)]
                elif feature == "text_repeat_count":
                    values[idx] = [int((texts[idx[f:j + 1]] == texts[idx[j]]).sum()) for j, f in enumerate(first)]
                else:
                    verdicts = verdict_ms.get(user, np.array([], dtype=np.int64))
                    values[idx] = np.searchsorted(verdicts, ts, "left") - np.searchsorted(verdicts, ts - length, "left")
            events[name] = values
    return events, names


def definition(config: dict, fixed_and_windowed: list, online: list) -> dict:
    return {
        "feature_set": "spam",
        "logic_version": 1,
        "windows": [{"name": n, "length": l, "hop": h, "length_millis": millis(l), "hop_millis": millis(h)}
                    for n, (l, h) in config["windows"].items()],
        "features": config["features"],
        "state_ttl_millis": millis("30d"),
        "gitlab_host": "gitlab.example.com",
        "schemas": {
            name: {"time_column": time_column,
                   "columns": [{"name": n, "type": t, "nullable": nl, "description": ""} for n, t, nl in columns]}
            for name, time_column, columns in [("spam_features", "event_time", fixed_and_windowed),
                                               ("spam_labels", "label_time", SPAM_LABEL_COLUMNS),
                                               ("spam_user_features", "event_time", online)]
        },
    }


def write(out: Path, seed: int, windows: str) -> None:
    config = WINDOW_CONFIGS[windows]
    events, labels, truth = simulate(seed)
    events, windowed = add_windowed(events, labels, config)
    columns = FIXED_COLUMNS + [(n, "INT", False) for n in windowed]
    by_name = {c[0]: c for c in columns}
    online_columns = [by_name[n] for n in ONLINE_FIXED] + [
        (n, "INT", False) for n in windowed if not n.startswith("text_repeat_count")]
    spec = definition(config, columns, online_columns)
    fingerprint = hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]
    last_hour = max(events["event_time"].max(), labels["label_time"].max()).floor("h")

    features = DatasetWriter(out, "spam_features", 1, columns, "event_time", spec, fingerprint)
    features.write(events[events["event_time"] < last_hour].to_dict("records"))
    features.write(events[events["event_time"] >= last_hour].to_dict("records"), complete=False)
    label_writer = DatasetWriter(out, "spam_labels", 1, SPAM_LABEL_COLUMNS, "label_time", spec, fingerprint)
    label_writer.write(labels[labels["label_time"] < last_hour].to_dict("records"))
    label_writer.write(labels[labels["label_time"] >= last_hour].to_dict("records"), complete=False)

    (out / "online").mkdir(parents=True, exist_ok=True)
    sqlite_path = out / "online" / "spam_user_features.sqlite"
    sqlite_path.unlink(missing_ok=True)
    latest = events.sort_values("event_time").groupby("user_id").tail(1)
    with sqlite3.connect(sqlite_path) as connection:
        sql_types = {"STRING": "TEXT", "DOUBLE": "REAL"}
        ddl = [f'"{n}" {sql_types.get(t, "INTEGER")}' + ("" if nl else " NOT NULL") for n, t, nl in online_columns]
        ddl += ['"feature_set_version" TEXT NOT NULL', '"row_digest" TEXT NOT NULL', '"expires_at" INTEGER NOT NULL',
                'PRIMARY KEY ("user_id")']
        connection.execute('CREATE TABLE "spam_user_features" (' + ", ".join(ddl) + ")")
        names = [n for n, _, _ in online_columns]
        for _, row in latest.iterrows():
            values = [int(row[n].value // 1_000_000) if n == "event_time" else
                      (None if pd.isna(row[n]) else (row[n] if isinstance(row[n], str) else int(row[n])))
                      for n in names]
            connection.execute(
                'INSERT INTO "spam_user_features" VALUES (' + ", ".join("?" * (len(names) + 3)) + ")",
                values + [fingerprint, "0" * 19, 4_102_444_800_000],
            )
    connection.close()
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for record in truth.to_dict("records"):
            f.write(json.dumps(record) + "\n")
    print(f"fake demo data in {out}: {len(events)} content rows, {len(labels)} labels, {len(truth)} spammers "
          f"(windows: {windows})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--windows", choices=sorted(WINDOW_CONFIGS), default="default")
    args = parser.parse_args()
    write(args.out, args.seed, args.windows)


if __name__ == "__main__":
    main()
