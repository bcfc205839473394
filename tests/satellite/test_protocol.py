"""The satellite's Wyoming protocol as Home Assistant drives it, and its bad-input behaviour."""

from __future__ import annotations

import wave
from pathlib import Path

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event
from wyoming.ping import Ping
from wyoming.timer import TimerFinished, TimerStarted

from tests.servers import running_server

from .conftest import MakeSpeech
from .home import wait_until
from .live_mic import LiveMic
from .peer import SATELLITE, FakeHomeAssistant, describe, send_reply, tone


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


async def test_describe_has_a_satellite_section_with_the_wake_words(
    socket_enabled: None, tmp_path: Path
) -> None:
    config = tmp_path / "satellite.toml"
    config.write_text(
        'name = "Kitchen satellite"\narea = "Kitchen"\nwake-word = ["okay_nabu", "hey_jarvis"]\n'
    )
    with running_server(SATELLITE, "--config", str(config), log_dir=tmp_path) as satellite:
        info = await describe(satellite.port)
    assert info.satellite is not None
    assert (info.satellite.name, info.satellite.area) == ("Kitchen satellite", "Kitchen")
    phrases = [(m.name, m.phrase) for program in info.wake for m in program.models]
    assert phrases == [("okay_nabu", "Okay Nabu"), ("hey_jarvis", "Hey Jarvis")]


async def test_wake_word_starts_a_pipeline_and_streams_the_command(
    socket_enabled: None, tmp_path: Path, wake_command: Path
) -> None:
    with running_server(SATELLITE, "--mic-file", str(wake_command), log_dir=tmp_path) as satellite:
        async with FakeHomeAssistant(satellite.port) as ha:
            await ha.run_satellite()
            detection = await ha.expect("detection")
            run = await ha.expect("run-pipeline")
            # The command follows: 2 s of audio at 32 ms per chunk.
            streamed = await ha.audio_chunks_reach(62)
    assert detection is not None
    assert detection.data["name"] == "okay_nabu"
    assert run is not None
    assert (run.data["start_stage"], run.data["end_stage"]) == ("asr", "tts")
    assert streamed


async def test_barge_in_stops_the_reply_and_starts_a_new_turn(
    socket_enabled: None, tmp_path: Path, make_speech: MakeSpeech
) -> None:
    wake = make_speech("wake_only", "say:Okay nabu.", "silence:0.3")
    played = tmp_path / "played"
    played.mkdir()
    mic = LiveMic(tmp_path / "mic.fifo")
    with running_server(
        SATELLITE, "--mic-file", str(mic.fifo), "--snd-file", str(played), log_dir=tmp_path
    ) as satellite:
        mic.start()
        try:
            async with FakeHomeAssistant(satellite.port) as ha:
                await ha.run_satellite()
                await send_reply(ha, tone(20.0))  # an answer far longer than the test
                assert await wait_until(lambda: "playing reply" in satellite.log())
                mic.say(wake)
                events = await ha.collect("played", "detection", "run-pipeline", limit=20.0)
        finally:
            mic.stop()
    assert set(events) == {"played", "detection", "run-pipeline"}
    assert "barge-in: wake word stopped the reply" in satellite.log()
    reply = next(played.glob("*-reply.wav"))
    assert 0 < wav_seconds(reply) < 10.0


async def test_bad_events_get_an_error_and_the_connection_keeps_working(
    socket_enabled: None, tmp_path: Path
) -> None:
    played = tmp_path / "played"
    played.mkdir()
    with running_server(
        SATELLITE, "--snd-file", str(played), "--no-sounds", log_dir=tmp_path
    ) as satellite:
        async with FakeHomeAssistant(satellite.port) as ha:
            await ha.run_satellite()
            await ha.send_raw(b"this is not json\n")
            not_json = await ha.expect("error")
            await ha.send(Event(type="frobnicate", data={"x": 1}))
            await ha.send(Event(type="audio-chunk", data={"width": 2}, payload=b"\0\0"))
            malformed = await ha.expect("error")
            await ha.send(AudioStart(rate=0, width=3, channels=1).event())
            bad_format = await ha.expect("error")
            await ha.send(AudioChunk(rate=0, width=3, channels=1, audio=b"\0" * 300).event())
            await ha.send(AudioStop().event())
            # A reply in an unusual format (8 kHz stereo) is still played.
            await send_reply(ha, tone(0.5, rate=8000, channels=2), rate=8000, channels=2)
            finished = await ha.expect("played", limit=10.0)
            await ha.send(Ping(text="still there?").event())
            pong = await ha.expect("pong")
    assert not_json is not None
    assert "malformed event header" in not_json.data["text"]
    assert malformed is not None
    assert "malformed 'audio-chunk' event" in malformed.data["text"]
    assert bad_format is not None
    assert "unexpected format" in bad_format.data["text"]
    assert finished is not None
    assert pong is not None
    assert pong.data["text"] == "still there?"
    assert "ignoring unknown event type 'frobnicate'" in satellite.log()
    assert abs(wav_seconds(next(played.glob("*reply.wav"))) - 0.5) < 0.05


async def test_a_new_connection_from_home_assistant_replaces_the_old_one(
    socket_enabled: None, tmp_path: Path
) -> None:
    with running_server(SATELLITE, log_dir=tmp_path) as satellite:
        async with (
            FakeHomeAssistant(satellite.port) as old,
            FakeHomeAssistant(satellite.port) as new,
        ):
            await old.run_satellite()
            await old.send(Ping(text="old").event())
            assert await old.expect("pong") is not None
            await new.run_satellite()
            closed = await old.closed()
            await new.send(Ping(text="new").event())
            pong = await new.expect("pong")
    assert closed  # the satellite dropped the stale connection
    assert pong is not None
    assert "Home Assistant connected again" in satellite.log()


async def test_hooks_and_timer_finished(socket_enabled: None, tmp_path: Path) -> None:
    played = tmp_path / "played"
    played.mkdir()
    marker = tmp_path / "timer.txt"
    with running_server(
        SATELLITE,
        "--snd-file",
        str(played),
        "--on-timer-finished",
        f"echo rung > {marker}",
        "--on-connect",
        "exit 3",
        log_dir=tmp_path,
    ) as satellite:
        async with FakeHomeAssistant(satellite.port) as ha:
            await ha.run_satellite()
            await ha.send(
                TimerStarted(
                    id="t1",
                    total_seconds=60,
                    name="tea",
                    start_hours=0,
                    start_minutes=1,
                    start_seconds=0,
                ).event()
            )
            await ha.send(TimerFinished(id="t1").event())
            assert await wait_until(
                lambda: marker.exists() and bool(list(played.glob("*-timer.wav"))), limit=20
            )
    assert marker.read_text() == "rung\n"
    assert "timer tea started" in satellite.log()
    assert "--on-connect command failed (exit 3)" in satellite.log()
