"""What a client of the speech-to-text server sees: info, transcripts, streaming events."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from wyoming.asr import Transcribe
from wyoming.audio import AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.info import Describe

from tests.servers import RunningServer
from tests.stt.client import read_reply, request, send_chunks, send_clip, transcribe
from tests.stt.speech import speak, words

pytestmark = pytest.mark.usefixtures("socket_enabled")

KITCHEN = "turn on the kitchen light"


async def test_describe_names_the_model_and_streaming(stt_server: RunningServer) -> None:
    info = await request(stt_server.port, Describe().event())
    assert info is not None
    assert info.type == "info"
    [program] = info.data["asr"]
    assert program["installed"] is True
    assert program["version"]
    assert program["attribution"]["name"]
    assert program["supports_transcript_streaming"] is True
    [model] = program["models"]
    assert model["name"] == "whisper-tiny.en"
    assert model["languages"] == ["en"]
    assert model["attribution"]["url"].startswith("https://")


async def test_spoken_command_is_transcribed(stt_server: RunningServer, clips: Path) -> None:
    reply = await transcribe(stt_server.port, speak(KITCHEN, clips), language="en")
    assert words(reply.transcript) == words(KITCHEN)
    # Streaming clients get the same text in pieces, framed by start and stop.
    assert reply.types[0] == "transcript-start"
    assert reply.types[-2:] == ["transcript", "transcript-stop"]
    assert words("".join(reply.chunks)) == words(reply.transcript)
    assert reply.first("transcript")["language"] == "en"


@pytest.mark.parametrize(
    ("rate", "width", "channels"),
    [(22050, 2, 1), (48000, 3, 2), (44100, 4, 2), (16000, 1, 1), (8000, 2, 1)],
    ids=["22k-16bit-mono", "48k-24bit-stereo", "44k-32bit-stereo", "16k-8bit", "8k-16bit"],
)
async def test_any_pcm_format_is_converted(
    stt_server: RunningServer, clips: Path, rate: int, width: int, channels: int
) -> None:
    clip = speak(KITCHEN, clips, rate=rate, width=width, channels=channels)
    reply = await transcribe(stt_server.port, clip)
    assert words(reply.transcript) == words(KITCHEN)


async def test_pauses_stream_pieces_before_the_end(stt_server: RunningServer, clips: Path) -> None:
    """A phrase followed by a long pause is streamed as its own piece before audio-stop.

    The audio goes at real-time pace (the server decodes ahead only for live audio).
    audio-stop is sent only once the first piece has arrived (silence keeps the stream
    going meanwhile), so the number of pieces does not depend on the model's speed.
    """
    first = speak("turn on the kitchen light", clips, trailing=1.2)
    second = speak("and open the garage door", clips, leading=0.0)
    pause = second.silence(0.064)
    first_chunk = asyncio.Event()
    async with AsyncTcpClient("127.0.0.1", stt_server.port) as client:
        await client.write_event(Transcribe().event())
        reading = asyncio.create_task(read_reply(client, 120, first_chunk))
        await send_clip(client, first + second, paced=True, stop=False)
        for _ in range(600):  # at most 38 s more, well inside the 60 s an utterance may last
            if first_chunk.is_set():
                break
            await send_chunks(client, pause, paced=True)
        await client.write_event(AudioStop().event())
        reply = await reading
    assert first_chunk.is_set(), "no piece was streamed before audio-stop"
    assert words(reply.transcript) == words("turn on the kitchen light and open the garage door")
    assert len(reply.chunks) == 2
    assert words(reply.chunks[0]) == words("turn on the kitchen light")
    assert words("".join(reply.chunks)) == words(reply.transcript)


async def test_silence_is_an_empty_transcript(stt_server: RunningServer, clips: Path) -> None:
    silence = speak(KITCHEN, clips).silence(3.0)
    reply = await transcribe(stt_server.port, silence)
    assert reply.transcript == ""
    assert reply.types == ["transcript-start", "transcript", "transcript-stop"]


async def test_one_connection_serves_several_requests(
    stt_server: RunningServer, clips: Path
) -> None:
    sentences = ["open the garage door", "what time is it"]
    async with AsyncTcpClient("127.0.0.1", stt_server.port) as client:
        for sentence in sentences:
            await client.write_event(Transcribe().event())
            await send_clip(client, speak(sentence, clips))
            assert words((await read_reply(client)).transcript) == words(sentence)
        await client.write_event(Describe().event())
        info = await client.read_event()
        assert info is not None
        assert info.type == "info"


async def test_concurrent_clients_all_get_their_own_transcript(
    stt_server: RunningServer, clips: Path
) -> None:
    sentences = [
        "turn on the kitchen light",
        "open the garage door",
        "what time is it",
        "turn off the television",
        "what is the weather like tomorrow",
        "start the vacuum cleaner in the hallway",
    ]
    replies = await asyncio.gather(
        *(transcribe(stt_server.port, speak(s, clips)) for s in sentences)
    )
    assert [words(r.transcript) for r in replies] == [words(s) for s in sentences]
