"""Spam features as of a request time, from the ``spam_user_state`` online table (docs/online-tables.md).

The table holds per user the job's whole state (``state``: base64 of the Java ``SpamUserState``
encoding) as of the user's latest event. :func:`features_at` decodes it and computes what the Java
``SpamFeatureEngine.asOf`` computes: the user-level values at a request time ``t`` at or after that
event (ages advance, windows drop what left them, an idle state past ``state.ttl`` reads as an
unknown user), or, given the content event being posted, the whole ``spam_features`` row the job
will write for it. The cross-language test (tests/test_online_java.py) holds both readers equal.

Encoding (big-endian ``DataOutput``; varints are LEB128, signed ones zig-zag):
version byte (1); layout fingerprint, sign-up time, as 8-byte longs (``Long.MIN_VALUE`` = none);
email domain class ordinal byte; hash present byte and ``writeUTF`` string; member projects
(varint count, signed deltas); last activity and last content time (8-byte longs); count windows
(2-byte count; each: varint length, hop, metrics; per metric signed last time and amount at it;
varint tiles; per tile signed tile delta and one signed value per metric); distinct projects
(present byte; varint windows, each varint length and hop; varint ids; per id signed id and signed
last-seen delta); text windows (2-byte count; each varint length, hop, entries; per entry signed
tile delta, 8-byte key, signed sum).
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass, field
from typing import Any, Mapping

from .spam_declarations import SPAM_FEATURE_DECLARATIONS

NONE = -(1 << 63)
FORMAT_VERSION = 1
_DOMAIN_CLASSES = ("webmail", "disposable", "other", "unknown")
#: Windowed features in the Java enum's order (SpamWindowedFeature): the column order of spam_features.
SPAM_WINDOWED_FEATURES = tuple(d[0] for d in SPAM_FEATURE_DECLARATIONS)
#: Per feature: (event types read, value, aggregation), from the Java declarations.
_SPECS = {d[0]: (d[1], d[2], d[3]) for d in SPAM_FEATURE_DECLARATIONS}
_SUMMED = ("count", "sum", "count_before")
CONTENT_TYPES = ("issue", "note", "merge_request")
_CONTENT_EVENT_TYPES = {"issue": "issue.opened", "note": "note.created", "merge_request": "merge_request.opened"}
#: Fixed columns of spam_features, in order; the windowed columns follow.
SPAM_FIXED_COLUMNS = ("event_id", "event_time", "user_id", "project_id", "content_type", "noteable_type",
                      "text_length", "title_length", "link_count", "external_link_count", "mention_count",
                      "uppercase_ratio", "has_code_block", "account_age_seconds", "email_domain_class",
                      "email_domain_hash", "member_project_count", "is_project_member",
                      "seconds_since_previous_content_event")
#: User-level columns of a read without a content event (those of spam_user_features, before the windowed ones).
SPAM_USER_COLUMNS = ("user_id", "event_time", "account_age_seconds", "email_domain_class", "email_domain_hash",
                     "member_project_count", "seconds_since_previous_content_event")
_MASK64 = (1 << 64) - 1


class SpamStateError(Exception):
    """A state cannot be decoded, or a request cannot be answered (time before the state's last event)."""


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise SpamStateError("truncated SpamUserState")
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def long(self) -> int:
        return struct.unpack(">q", self.take(8))[0]

    def short(self) -> int:
        return struct.unpack(">H", self.take(2))[0]

    def varint(self) -> int:
        result = 0
        for shift in range(0, 64, 7):
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result & _MASK64
        raise SpamStateError("malformed varint")

    def signed(self) -> int:
        raw = self.varint()
        value = (raw >> 1) ^ -(raw & 1)
        return value

    def utf(self) -> str:
        return self.take(self.short()).decode("utf-8")


@dataclass
class TiledCounts:
    length: int
    hop: int
    metrics: int
    last_time: list[int]
    at_last_time: list[int]
    tiles: list[int] = field(default_factory=list)
    values: list[list[int]] = field(default_factory=list)

    def sum(self, t: int, metric: int) -> int:
        current = t // self.hop
        first = current - self.length // self.hop
        return sum(v[metric] for tile, v in zip(self.tiles, self.values) if first <= tile <= current)

    def sum_before(self, t: int, metric: int) -> int:
        total = self.sum(t, metric)
        return total - self.at_last_time[metric] if self.last_time[metric] == t else total


@dataclass
class DistinctIds:
    windows: list[tuple[int, int]]
    last_seen: dict[int, int] = field(default_factory=dict)

    def count(self, window: int, t: int, extra_id: int | None = None) -> int:
        length, hop = self.windows[window]
        start = (t // hop) * hop - length
        ids = {i for i, seen in self.last_seen.items() if start <= seen <= t}
        if extra_id is not None:
            ids.add(extra_id)
        return len(ids)


@dataclass
class TiledKeyCounts:
    length: int
    hop: int
    entries: list[tuple[int, int, int]] = field(default_factory=list)  # (tile, key, sum)

    def sum(self, t: int, key: int) -> int:
        current = t // self.hop
        first = current - self.length // self.hop
        return sum(s for tile, k, s in self.entries if k == key and first <= tile <= current)


@dataclass
class SpamUserState:
    layout: int = 0
    signup_time: int = NONE
    domain_class: str = "unknown"
    domain_hash: str | None = None
    member_projects: list[int] = field(default_factory=list)
    last_activity_time: int = NONE
    last_content_time: int = NONE
    counts: list[TiledCounts] = field(default_factory=list)
    projects: DistinctIds | None = None
    texts: list[TiledKeyCounts] = field(default_factory=list)

    @classmethod
    def decode(cls, encoded: str | bytes) -> "SpamUserState":
        """A state from the ``state`` column (base64 text) or its raw bytes."""
        data = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else encoded
        r = _Reader(data)
        version = r.byte()
        if version != FORMAT_VERSION:
            raise SpamStateError(f"unknown SpamUserState format version {version}")
        state = cls(layout=r.long(), signup_time=r.long())
        domain = r.byte()
        if domain >= len(_DOMAIN_CLASSES):
            raise SpamStateError(f"corrupt SpamUserState: domain class {domain}")
        state.domain_class = _DOMAIN_CLASSES[domain]
        state.domain_hash = r.utf() if r.byte() else None
        previous = 0
        for _ in range(r.varint()):
            previous += r.signed()
            state.member_projects.append(previous)
        state.last_activity_time = r.long()
        state.last_content_time = r.long()
        for _ in range(r.short()):
            length, hop, metrics = r.varint(), r.varint(), r.varint()
            last_time, at_last = [], []
            for _ in range(metrics):
                last_time.append(r.signed())
                at_last.append(r.signed())
            counts = TiledCounts(length, hop, metrics, last_time, at_last)
            previous = 0
            for _ in range(r.varint()):
                previous += r.signed()
                counts.tiles.append(previous)
                counts.values.append([r.signed() for _ in range(metrics)])
            state.counts.append(counts)
        if r.byte():
            windows = [(r.varint(), r.varint()) for _ in range(r.varint())]
            projects = DistinctIds(windows)
            previous = 0
            for _ in range(r.varint()):
                project = r.signed()
                previous += r.signed()
                projects.last_seen[project] = previous
            state.projects = projects
        for _ in range(r.short()):
            texts = TiledKeyCounts(r.varint(), r.varint())
            previous = 0
            for _ in range(r.varint()):
                previous += r.signed()
                texts.entries.append((previous, r.long(), r.signed()))
            state.texts.append(texts)
        if r.pos != len(data):
            raise SpamStateError(f"corrupt SpamUserState: {len(data) - r.pos} bytes after the end")
        return state


class SpamFeatureLayout:
    """The windowed columns of a spam feature set and where the engine keeps each (tile layout).

    ``definition``: the spam ``_feature_set.json`` (or its ``feature_set`` object): its ``windows``,
    ``features`` and ``state_ttl_millis``.
    """

    def __init__(self, definition: Mapping[str, Any]):
        definition = definition.get("feature_set", definition)
        if definition.get("feature_set") != "spam":
            raise SpamStateError("not the spam feature set's definition")
        windows = {w["name"]: (int(w["length_millis"]), int(w["hop_millis"])) for w in definition["windows"]}
        features = definition["features"]
        self.state_ttl = int(definition["state_ttl_millis"])
        self.columns: list[tuple[str, str, str]] = []  # (column, feature, window)
        count_windows: dict[str, list[str]] = {}
        self.distinct_windows: list[str] = []
        self.key_columns: list[tuple[str, str]] = []  # (feature, window): index = position of its TiledKeyCounts
        for feature in SPAM_WINDOWED_FEATURES:
            aggregation = _SPECS[feature][2]
            for window in features.get(feature, []):
                self.columns.append((f"{feature}_{window}", feature, window))
                if aggregation in _SUMMED:
                    count_windows.setdefault(window, []).append(feature)
                elif aggregation == "distinct_count":
                    self.distinct_windows.append(window)
                else:
                    self.key_columns.append((feature, window))
        self.count_windows = list(count_windows)  # index = position of the window's TiledCounts
        self.metric = {(window, f): m for window, fs in count_windows.items() for m, f in enumerate(fs)}
        # The text of SpamFeatureEngine.layoutFingerprint.
        description = "".join(
            f"counts {windows[w][0]}/{windows[w][1]}[{', '.join(f.upper() for f in fs)}];"
            for w, fs in count_windows.items())
        description += "".join(f"distinct {windows[w][0]}/{windows[w][1]};" for w in self.distinct_windows)
        description += "".join(
            f"{'text' if f == 'text_repeat_count' else 'keys ' + f} {windows[w][0]}/{windows[w][1]};"
            for f, w in self.key_columns)
        self.layout = _fnv1a64(description)
        self.windows = windows

    def readable(self, state: SpamUserState, t: int) -> SpamUserState:
        """The state as the engine sees it at ``t``: forgotten after state.ttl idle, tiles emptied under another layout."""
        if state.last_activity_time != NONE and t < state.last_activity_time:
            raise SpamStateError(f"request time {t} is before the user's last event {state.last_activity_time}: "
                                 "values can only be computed at or after it")
        if state.last_activity_time != NONE and t - state.last_activity_time > self.state_ttl:
            return self._empty_tiles(SpamUserState())
        if state.layout != self.layout:
            return self._empty_tiles(SpamUserState(
                signup_time=state.signup_time, domain_class=state.domain_class, domain_hash=state.domain_hash,
                member_projects=state.member_projects, last_activity_time=state.last_activity_time,
                last_content_time=state.last_content_time))
        return state

    def _empty_tiles(self, state: SpamUserState) -> SpamUserState:
        state.layout = self.layout
        state.counts = []
        for w in self.count_windows:
            metrics = len([k for k in self.metric if k[0] == w])
            state.counts.append(TiledCounts(*self.windows[w], metrics, [NONE] * metrics, [0] * metrics))
        state.projects = DistinctIds([self.windows[w] for w in self.distinct_windows]) if self.distinct_windows else None
        state.texts = [TiledKeyCounts(*self.windows[w]) for _, w in self.key_columns]
        return state


def _value(field: str, pending: Mapping[str, Any]) -> int | None:
    """A declared value of the pending content event (SpamValue): 1 for counts, else the named field (None if absent)."""
    if field == "1":
        return 1
    if field == "project_id":
        value = pending.get(field)
        return None if value is None else int(value)
    if field == "text_hash":
        return int(pending[field])
    return int(pending.get(field, 0))


def _fnv1a64(text: str) -> int:
    """FNV-1a 64 over the text's chars, as a signed long (the Java layout fingerprint; the text is ASCII)."""
    h = 0xcbf29ce484222325
    for ch in text:
        h = ((h ^ ord(ch)) * 0x100000001b3) & _MASK64
    h = h - (1 << 64) if h >= 1 << 63 else h
    return 1 if h == 0 else h


def features_at(layout: SpamFeatureLayout, user_id: int, state: SpamUserState | None, t: int,
                pending: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The user's features as of request time ``t`` (epoch millis), as the Java ``SpamFeatureEngine.asOf``.

    Without ``pending``: the user-level columns of ``spam_user_features`` (``event_time`` = ``t``).
    With ``pending`` (the content event being posted: ``content_type`` and the numbers the job derives
    from its text, keys named like the ``spam_features`` columns plus ``text_hash``, optional
    ``event_id``): every column of the ``spam_features`` row the job will write for it.
    """
    state = layout.readable(state or SpamUserState(), t)
    content = pending is not None
    project = pending.get("project_id") if content else None
    kind = pending["content_type"] if content else None
    if content and kind not in CONTENT_TYPES:
        raise SpamStateError(f"content_type must be one of {', '.join(CONTENT_TYPES)}")
    row: dict[str, Any] = {}
    if content:
        note = kind == "note"
        row.update({
            "event_id": pending.get("event_id", "pending"), "event_time": t, "user_id": user_id,
            "project_id": project, "content_type": kind,
            "noteable_type": pending.get("noteable_type") if note else None,
            "text_length": int(pending.get("text_length", 0)),
            "title_length": None if note else pending.get("title_length"),
            "link_count": int(pending.get("link_count", 0)),
            "external_link_count": int(pending.get("external_link_count", 0)),
            "mention_count": int(pending.get("mention_count", 0)),
            "uppercase_ratio": float(pending.get("uppercase_ratio", 0.0)),
            "has_code_block": bool(pending.get("has_code_block", False)),
        })
    else:
        row.update({"user_id": user_id, "event_time": t})
    row["account_age_seconds"] = None if state.signup_time == NONE else (t - state.signup_time) // 1000
    row["email_domain_class"] = state.domain_class
    row["email_domain_hash"] = state.domain_hash
    row["member_project_count"] = len(state.member_projects)
    if content:
        row["is_project_member"] = None if project is None else project in state.member_projects
    row["seconds_since_previous_content_event"] = (
        None if state.last_content_time == NONE else (t - state.last_content_time) // 1000)
    for column, feature, window in layout.columns:
        event_types, value_field, aggregation = _SPECS[feature]
        # The pending event's value when the feature reads its kind (what the engine adds before reading).
        added = _value(value_field, pending) if content and _CONTENT_EVENT_TYPES[kind] in event_types else None
        if aggregation == "distinct_count":
            index = layout.distinct_windows.index(window)
            value = state.projects.count(index, t, added)
        elif aggregation == "same_key_count":
            if not content:
                continue
            key = _value(value_field, pending)
            index = layout.key_columns.index((feature, window))
            value = 0 if key is None else state.texts[index].sum(t, key) + (0 if added is None else 1)
        else:
            counts = state.counts[layout.count_windows.index(window)]
            metric = layout.metric[(window, feature)]
            if aggregation == "count_before":
                value = counts.sum_before(t, metric)
            else:
                value = counts.sum(t, metric) + (added or 0)
        row[column] = value
    return row
