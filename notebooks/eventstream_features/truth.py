"""The synthetic generator's ground truth (``./eventstream generate --truth FILE``).

JSON lines, one object per line with a ``kind``: ``spammer`` lines (``user_id``, ``style``,
``signed_up_at``, ``email_domain_class``) name every generated spammer; every piece of content a
spammer creates is spam. ``reviewer_assignment`` lines describe reviewer picks. Only real
generated data has ground truth; production data has labels only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd


def spammers(path: str | Path) -> pd.DataFrame:
    """The ``spammer`` lines of a truth file: ``user_id`` (int64), ``style``, ``signed_up_at`` (UTC), ``email_domain_class``."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{number}: not JSON ({e.msg})") from None
            if record.get("kind") == "spammer":
                rows.append(record)
    frame = pd.DataFrame(rows, columns=["user_id", "style", "signed_up_at", "email_domain_class"])
    frame["user_id"] = frame["user_id"].astype("int64")
    frame["signed_up_at"] = pd.to_datetime(frame["signed_up_at"], utc=True)
    return frame
