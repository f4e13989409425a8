"""Request-time windowed counts of the reviewer online rows, from their ``count_tiles`` column.

The Python twin of ``features/.../reviewers/ReviewerCountTiles.java`` (layout in
docs/online-tables.md, "Reviewer count tiles"): base64 of a format version byte (1), the series
(hop millis, then the non-empty tiles ascending: the first tile zig-zag, the others as the gap to
the previous, each with its value) and, per count column in the row's order, its series and window
length. A window of length ``W`` and hop ``h`` evaluated at ``t`` covers tiles
``floor(t/h) - W/h .. floor(t/h)``.
"""

from __future__ import annotations

import base64
import binascii

FORMAT_VERSION = 1
COUNT_TILES = "count_tiles"


class CountTilesError(ValueError):
    """A ``count_tiles`` value that is not base64 of format version 1, or is corrupt."""


def counts_at(encoded: str, at_millis: int) -> list[int]:
    """Each count column's value as of ``at_millis`` (epoch millis, at or after the row's event_time)."""
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as e:
        raise CountTilesError("count_tiles is not base64") from e
    pos = 0

    def varint() -> int:
        nonlocal pos
        result = shift = 0
        while True:
            if pos >= len(raw):
                raise CountTilesError("count_tiles is corrupt: truncated")
            byte = raw[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift >= 70:
                raise CountTilesError("count_tiles is corrupt: malformed varint")

    if not raw or raw[0] != FORMAT_VERSION:
        raise CountTilesError(f"count_tiles has format version {raw[0] if raw else None}, this reader reads 1")
    pos = 1
    series: list[tuple[int, list[tuple[int, int]]]] = []
    for _ in range(varint()):
        hop = varint()
        if hop <= 0:
            raise CountTilesError("count_tiles: corrupt hop")
        tiles: list[tuple[int, int]] = []
        tile = 0
        for i in range(varint()):
            if i == 0:
                zigzag = varint()
                tile = (zigzag >> 1) ^ -(zigzag & 1)
            else:
                tile += varint()
            tiles.append((tile, varint()))
        series.append((hop, tiles))
    counts = []
    for _ in range(varint()):
        index, length = varint(), varint()
        if index >= len(series):
            raise CountTilesError("count_tiles is corrupt: no such series")
        hop, tiles = series[index]
        current = at_millis // hop
        first = current - length // hop
        counts.append(sum(value for tile, value in tiles if first <= tile <= current))
    if pos != len(raw):
        raise CountTilesError("count_tiles: trailing bytes")
    return counts


def count_columns(table_columns: list[str], user_table: bool) -> list[str]:
    """The count columns ``count_tiles`` holds, in its order, from the table's columns in schema order:
    for the user table ``lookback_activity`` then the columns between ``open_review_load`` and
    ``count_tiles``; for the path table the columns between ``event_time`` and ``count_tiles``."""
    end = table_columns.index(COUNT_TILES)
    if user_table:
        return ["lookback_activity"] + table_columns[table_columns.index("open_review_load") + 1:end]
    return table_columns[table_columns.index("event_time") + 1:end]


def as_of(row: dict, columns: list[str], now_millis: int) -> dict:
    """The row with its count columns as of ``now_millis`` (or its event_time, when that is later)."""
    encoded = row.get(COUNT_TILES)
    if not isinstance(encoded, str):
        raise CountTilesError(f"online reviewer row {row.get('project_id')}/{row.get('user_id')} has no {COUNT_TILES}")
    counts = counts_at(encoded, max(now_millis, row["event_time"]))
    if len(counts) != len(columns):
        raise CountTilesError(f"{COUNT_TILES} holds {len(counts)} counts but the feature set has {len(columns)} {columns}")
    return {**row, **dict(zip(columns, counts))}
