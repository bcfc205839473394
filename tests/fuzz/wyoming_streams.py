"""Hypothesis strategies for what one Wyoming client may send on one connection.

A `WyomingStream` is a list of steps (bytes to write, or a pause of a slow sender) and
how the client ends: half-close and wait for the answer (`eof`), close at once
(`close`), or reset the connection (`reset`). The bytes mix valid events of the target's
vocabulary (in any order) with mischief: random bytes, broken JSON header lines, wrong
value types, negative / huge / infinite / mismatched `data_length` and `payload_length`,
truncated data and payloads, absurd audio formats, unicode junk with lone surrogates,
deep nesting and overlong header lines. The STT server, the TTS server and the
satellite share the mischief; only their event vocabularies differ. The framing is in
`wyoming_framing`, the values and vocabularies in `wyoming_vocabulary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hypothesis import strategies as st

from .wyoming_framing import event_bytes, to_json
from .wyoming_vocabulary import (
    COMMON,
    VOCABULARY,
    EventStrategy,
    Target,
    json_junk,
    mostly,
    odd_numbers,
)

Ending = Literal["eof", "close", "reset"]


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
