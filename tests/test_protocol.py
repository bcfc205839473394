"""The guarded Wyoming reader turns bad client input into clear, bounded errors."""

from __future__ import annotations

import asyncio
import json

import pytest

from wyoming_shared.protocol import MAX_PAYLOAD_BYTES, BadEvent, read_event


def stream(*chunks: bytes, eof: bool = True) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    for chunk in chunks:
        reader.feed_data(chunk)
    if eof:
        reader.feed_eof()
    return reader


def header(**fields: object) -> bytes:
    return json.dumps(fields).encode() + b"\n"


async def test_event_with_data_and_payload() -> None:
    data = json.dumps({"rate": 16000}).encode()
    reader = stream(
        header(type="audio-chunk", data={"width": 2}, data_length=len(data), payload_length=4),
        data,
        b"\x01\x02\x03\x04",
    )
    event = await read_event(reader)
    assert event is not None
    assert event.type == "audio-chunk"
    assert event.data == {"width": 2, "rate": 16000}
    assert event.payload == b"\x01\x02\x03\x04"
    assert await read_event(reader) is None


async def test_malformed_header_keeps_the_stream_usable() -> None:
    reader = stream(b"{not json\n", header(type="describe"))
    with pytest.raises(BadEvent) as caught:
        await read_event(reader)
    assert not caught.value.fatal
    assert "malformed event header" in str(caught.value)
    event = await read_event(reader)
    assert event is not None
    assert event.type == "describe"


@pytest.mark.parametrize(
    "line",
    [b"[1, 2]\n", b'{"data": {}}\n', b'{"type": "x", "data": [1]}\n', b'{"type": 3}\n'],
)
async def test_headers_without_a_usable_type_or_data(line: bytes) -> None:
    with pytest.raises(BadEvent) as caught:
        await read_event(stream(line))
    assert not caught.value.fatal


async def test_oversized_payload_is_refused_before_reading_it() -> None:
    reader = stream(header(type="audio-chunk", payload_length=MAX_PAYLOAD_BYTES + 1), eof=False)
    with pytest.raises(BadEvent) as caught:
        await read_event(reader)
    assert caught.value.fatal
    assert "too large" in str(caught.value)


async def test_negative_lengths_are_refused() -> None:
    with pytest.raises(BadEvent):
        await read_event(stream(header(type="audio-chunk", payload_length=-5)))


async def test_truncated_payload_closes_the_stream() -> None:
    reader = stream(header(type="audio-chunk", payload_length=100), b"short")
    with pytest.raises(BadEvent) as caught:
        await read_event(reader)
    assert caught.value.fatal
    assert "middle of an event" in str(caught.value)


async def test_header_line_over_the_limit() -> None:
    reader = asyncio.StreamReader(limit=1024)
    reader.feed_data(b"{" + b" " * 4096)
    with pytest.raises(BadEvent) as caught:
        await read_event(reader)
    assert caught.value.fatal


async def test_clean_end_of_stream() -> None:
    assert await read_event(stream()) is None
