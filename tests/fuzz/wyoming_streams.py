"""Hypothesis strategies for what one Wyoming client may send on one connection.

A `WyomingStream` is a list of steps (bytes to write, or a pause of a slow sender) and
how the client ends: half-close and wait for the answer (`eof`), close at once
(`close`), or reset the connection (`reset`). The bytes mix valid events of the target's
vocabulary (in any order) with mischief: random bytes, broken JSON header lines, wrong
value types, negative / huge / infinite / mismatched `data_length` and `payload_length`,
truncated data and payloads, absurd audio formats, unicode junk with lone surrogates,
deep nesting and overlong header lines. The STT server, the TTS server and the
satellite share the mischief; only their event vocabularies differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from hypothesis import strategies as st

Ending = Literal["eof", "close", "reset"]
Target = Literal["stt", "tts", "satellite"]


@dataclass(frozen=True)
class Raw:
    """A JSON token copied as it is (`1e999`, `NaN`, `-Infinity`) where a value goes."""

    text: str


type JsonLike = None | bool | int | float | str | Raw | list[JsonLike] | dict[str, JsonLike]


@dataclass(frozen=True)
class Pause:
    """A slow sender: nothing is sent for `seconds`."""

    seconds: float


type Step = bytes | Pause


@dataclass(frozen=True)
class WyomingStream:
    """Everything one client sends on one connection, and how it leaves."""

    steps: tuple[Step, ...]
    ending: Ending

    @property
    def data(self) -> bytes:
        """All bytes sent, without the pauses."""
        return b"".join(step for step in self.steps if isinstance(step, bytes))

    def summary(self, limit: int = 400) -> str:
        """A short printable account for reports and failure messages."""
        data = self.data
        shown = data[:limit].decode("ascii", "backslashreplace")
        more = f" ... ({len(data)} bytes)" if len(data) > limit else ""
        pauses = sum(1 for step in self.steps if isinstance(step, Pause))
        return f"[{self.ending}, {pauses} pauses] {shown}{more}"


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


# Values ----------------------------------------------------------------------------------
INFINITE_TOKENS = (Raw("1e999"), Raw("-1e999"), Raw("NaN"), Raw("Infinity"), Raw("-Infinity"))

odd_numbers: st.SearchStrategy[JsonLike] = st.one_of(
    st.sampled_from(
        [0, -1, 1, 3, 2**31, 2**63, -(2**63), 10**30, 0.5, -0.0, True, False, None, "1", "", []]
    ),
    st.sampled_from(INFINITE_TOKENS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
)

_surrogate = st.integers(0xD800, 0xDFFF).map(chr)
junk_text: st.SearchStrategy[str] = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(st.characters(), _surrogate), max_size=20).map("".join),
    st.sampled_from(["\ud800", "a\udc80b", "\x00", "\u202e\ufeff", "\U0001f600", "\n\r\t"]),
)

json_junk: st.SearchStrategy[JsonLike] = st.recursive(
    st.one_of(odd_numbers, junk_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(junk_text, inner, max_size=4)
    ),
    max_leaves=8,
)


def mostly[T](
    good: st.SearchStrategy[T], bad: st.SearchStrategy[T], bad_in_10: int = 2
) -> st.SearchStrategy[T]:
    """`good` most of the time, `bad` in about `bad_in_10` draws out of ten."""
    return st.integers(0, 9).flatmap(lambda n: bad if n < bad_in_10 else good)


def _format_value(good: list[int]) -> st.SearchStrategy[JsonLike]:
    return mostly(st.sampled_from(good), odd_numbers, bad_in_10=1)


audio_format: st.SearchStrategy[dict[str, JsonLike]] = st.fixed_dictionaries(
    {
        "rate": _format_value([16000, 22050, 8000, 44100, 48000]),
        "width": _format_value([2, 2, 1, 4]),
        "channels": _format_value([1, 1, 2]),
    },
    optional={"timestamp": odd_numbers},
)

audio_payload: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=2048), st.integers(0, 8820).map(bytes)
)


# Event vocabularies ----------------------------------------------------------------------
EventStrategy = st.SearchStrategy[tuple[str, JsonLike, bytes]]


def _event(name: str, data: st.SearchStrategy[JsonLike] | None = None) -> EventStrategy:
    body: st.SearchStrategy[JsonLike] = st.just({}) if data is None else data
    return mostly(body, json_junk, bad_in_10=1).map(lambda d: (name, d, b""))


def _audio_event(name: str) -> EventStrategy:
    return st.tuples(st.just(name), audio_format, audio_payload)


def _fields(**fields: st.SearchStrategy[JsonLike]) -> st.SearchStrategy[JsonLike]:
    return st.fixed_dictionaries(fields)


COMMON: list[EventStrategy] = [
    _event("describe"),
    _event("ping", _fields(text=mostly(st.sampled_from(["hi", ""]), junk_text))),
    st.tuples(junk_text, json_junk, st.just(b"")),  # unknown event types
]

speech_text: st.SearchStrategy[JsonLike] = st.one_of(
    st.sampled_from(["Hello.", "Turn on the kitchen light.", "It is 21 degrees. Done!", "Okay"]),
    junk_text,
    odd_numbers,
    st.integers(100, 400).map(lambda n: "x" * n),  # one long unbroken word
)
voice: st.SearchStrategy[JsonLike] = st.one_of(
    st.none(),
    st.just({"name": "piper-en_US-joe-medium"}),
    st.fixed_dictionaries({}, optional={"name": junk_text, "language": junk_text}),
    json_junk,
)

VOCABULARY: dict[Target, list[EventStrategy]] = {
    "stt": [
        _event("transcribe", _fields(language=st.sampled_from([None, "en", "de", "", "xx"]))),
        _audio_event("audio-start"),
        _audio_event("audio-chunk"),
        _audio_event("audio-chunk"),
        _event("audio-stop"),
        _event("select-program", _fields(name=junk_text)),
    ],
    "tts": [
        _event("synthesize", _fields(text=speech_text, voice=voice)),
        _event("synthesize-start", _fields(voice=voice)),
        _event("synthesize-chunk", _fields(text=speech_text)),
        _event("synthesize-stop"),
        _event("select-program", _fields(name=junk_text)),
    ],
    "satellite": [
        _event("run-satellite"),
        _event("pause-satellite"),
        _audio_event("audio-start"),
        _audio_event("audio-chunk"),
        _event("audio-stop"),
        _event("synthesize", _fields(text=speech_text)),
        _event("transcript", _fields(text=speech_text)),
        _event("voice-started", _fields(timestamp=odd_numbers)),
        _event("voice-stopped", _fields(timestamp=odd_numbers)),
        _event("error", _fields(text=junk_text, code=junk_text)),
        _event("timer-started", _fields(id=junk_text, total_seconds=odd_numbers)),
        _event("timer-updated", _fields(id=junk_text, is_active=odd_numbers)),
        _event("timer-cancelled", _fields(id=junk_text)),
        _event("timer-finished", _fields(id=junk_text)),
        _event("detection", _fields(name=junk_text, timestamp=odd_numbers)),
        _event("played"),
        _event("pong", _fields(text=junk_text)),
    ],
}


# Framing mischief ------------------------------------------------------------------------
@st.composite
def framed(draw: st.DrawFn, events: EventStrategy) -> bytes:
    """An event of the vocabulary, framed correctly or with one thing wrong."""
    name, data, payload = draw(events)
    mischief = draw(st.integers(0, 19))
    if mischief == 0:  # lengths that lie or are not lengths
        declared = len(to_json(data).encode()) if data is not None else 0
        lengths = draw(
            st.tuples(
                st.one_of(odd_numbers, st.integers(-3, 3).map(lambda d: declared + d)),
                st.one_of(odd_numbers, st.integers(-3, 3).map(lambda d: len(payload) + d)),
            )
        )
        return event_bytes(name, data, payload, lengths=lengths)
    if mischief == 1:  # the event type is not a string
        return event_bytes(draw(json_junk), data, payload)
    if mischief == 2:  # data inside the header, as older clients send it
        return event_bytes(name, data, payload, inline=True)
    if mischief == 3:  # cut short; the stream goes on with the next event's bytes
        whole = event_bytes(name, data, payload)
        return whole[: draw(st.integers(0, max(0, len(whole) - 1)))]
    return event_bytes(name, data, payload)


def _nested(depth: int) -> bytes:
    return b'{"type":"ping","data":{"x":' + b"[" * depth + b"]" * depth + b"}}\n"


broken_lines: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=200),
    st.binary(max_size=200).map(lambda b: b + b"\n"),
    st.sampled_from(
        [
            b"\n",
            b"null\n",
            b"[1, 2]\n",
            b'"ping"\n',
            b'{"type": "ping"\n',
            b'{"type": "\xff\xfe"}\n',
            b'{"type": "ping", "data": [1]}\n',
            b'{"type": "ping", "data": {"text": "\\ud800"}}\n',
            b'{"type": "\\udfff"}\n',
            b'{"type": "ping", "data_length": 1e999}\n',
            b'{"type": "ping", "payload_length": NaN}\n',
            b'{"type": "ping", "data_length": -5}\n',
        ]
    ),
    st.sampled_from([100, 1000, 5000, 20000, 30000]).map(_nested),
    st.sampled_from([b"[" * 20000 + b"\n", b"x" * 70000, b'{"type":"' + b"p" * 70000 + b'"}\n']),
)


@st.composite
def wyoming_streams(draw: st.DrawFn, target: Target) -> WyomingStream:
    """One connection's worth of events and mischief for `target`."""
    events = st.one_of(*VOCABULARY[target], *COMMON)
    parts = draw(
        st.lists(mostly(framed(events), broken_lines, bad_in_10=1), min_size=0, max_size=8)
    )
    data = b"".join(parts)
    if data and draw(st.integers(0, 9)) == 0:  # disconnect in the middle of something
        data = data[: draw(st.integers(0, len(data) - 1))]
    ending: Ending = draw(st.sampled_from(["eof", "eof", "eof", "eof", "close", "reset"]))
    return WyomingStream(_paced(draw, data), ending)


def _paced(draw: st.DrawFn, data: bytes) -> tuple[Step, ...]:
    """All at once, or (a slow sender) in pieces with short pauses between them."""
    if not data or draw(st.integers(0, 4)) > 0:
        return (data,) if data else ()
    cuts = sorted(set(draw(st.lists(st.integers(1, len(data)), max_size=4))))
    steps: list[Step] = []
    start = 0
    for cut in [*cuts, len(data)]:
        if cut > start:
            steps.extend((data[start:cut], Pause(draw(st.sampled_from([0.0, 0.01, 0.05])))))
            start = cut
    return tuple(steps)
