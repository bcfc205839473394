"""Wyoming framing as a fuzzing client writes it, right or wrong on purpose.

An event is a JSON header line, then `data_length` bytes of JSON data and
`payload_length` bytes of payload. `event_bytes` frames one event and can put the data
inside the header (as older clients do) or declare lengths that lie; `Raw` copies a
JSON token as it is (`1e999`, `NaN`) where the standard library would refuse it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Raw:
    """A JSON token copied as it is (`1e999`, `NaN`, `-Infinity`) where a value goes."""

    text: str


type JsonLike = None | bool | int | float | str | Raw | list[JsonLike] | dict[str, JsonLike]


def to_json(value: JsonLike) -> str:
    """JSON text of `value`: lone surrogates become escapes, `Raw` is copied as it is."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, list):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{to_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def event_bytes(
    event_type: JsonLike,
    data: JsonLike = None,
    payload: bytes = b"",
    *,
    inline: bool = False,
    lengths: tuple[JsonLike, JsonLike] | None = None,
) -> bytes:
    """One event in Wyoming framing; `lengths` overrides (data_length, payload_length)."""
    header: dict[str, JsonLike] = {"type": event_type, "version": "1.5.4"}
    blob = b""
    if data is not None:
        if inline:
            header["data"] = Raw(to_json(data))
        else:
            blob = to_json(data).encode()
            header["data_length"] = len(blob)
    if payload:
        header["payload_length"] = len(payload)
    if lengths is not None:
        header["data_length"], header["payload_length"] = lengths
    return to_json(header).encode() + b"\n" + blob + payload
