"""What a fuzzing Wyoming client says: odd values and each target's event vocabulary.

Values mix the valid with mischief: wrong types, negative / huge / infinite numbers,
unicode junk with lone surrogates, absurd audio formats. The STT server, the TTS server
and the satellite share these values; only their event vocabularies differ.
"""

from __future__ import annotations

from typing import Literal

from hypothesis import strategies as st

from .wyoming_framing import JsonLike, Raw

Target = Literal["stt", "tts", "satellite"]


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
