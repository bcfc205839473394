"""The satellite with real Home Assistant.

Wake word, pipeline through our Wyoming STT and TTS servers, the light turning on, and
the spoken reply played back.
"""

from __future__ import annotations

from pathlib import Path

from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, EventStateChangedData, HomeAssistant

from tests.servers import running_server

from .conftest import MakeSpeech
from .home import (
    LIGHT,
    add_story_command,
    add_wyoming,
    wait_until,
    wav_frames,
)
from .live_mic import LiveMic

SATELLITE = "hybrid-voice-satellite"


def satellite_states(hass: HomeAssistant) -> list[str]:
    """Every state the satellite entity goes through (idle, listening, processing, ...)."""
    seen: list[str] = []

    def record(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"].startswith("assist_satellite.") and event.data["new_state"]:
            seen.append(event.data["new_state"].state)

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    return seen


async def test_spoken_command_turns_on_the_light_and_the_reply_is_played(
    hass: HomeAssistant,
    voice_pipeline: None,
    wake_command: Path,
    tmp_path: Path,
) -> None:
    sounds = tmp_path / "played"
    sounds.mkdir()
    with running_server(
        SATELLITE,
        "--mic-file",
        str(wake_command),
        "--snd-file",
        str(sounds),
        "--debug",
        log_dir=tmp_path,
    ) as satellite:
        entry = await add_wyoming(hass, satellite.port)
        states = satellite_states(hass)
        assert await wait_until(lambda: hass.states.is_state(LIGHT, "on")), satellite.log()
        assert await wait_until(lambda: "reply played" in satellite.log()), satellite.log()
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    log = satellite.log()
    assert "wake word 'Okay Nabu' detected" in log
    assert 'heard: "turn on the kitchen light' in log.lower()
    assert "listening" in states
    played = sorted(p.name for p in sounds.iterdir())
    assert [name.split("-", 1)[1] for name in played] == ["awake.wav", "reply.wav", "done.wav"]
    # The reply is exactly the audio Home Assistant's TTS produced (its cache keeps a copy).
    tts_audio = [p for p in (tmp_path / "tts").iterdir() if p.suffix == ".wav"]
    assert len(tts_audio) == 1
    assert wav_frames(sounds / played[1]) == wav_frames(tts_audio[0]) > 22050 // 2


async def test_speech_without_the_wake_word_triggers_nothing(
    hass: HomeAssistant,
    voice_pipeline: None,
    make_speech: MakeSpeech,
    tmp_path: Path,
) -> None:
    # The silence after the command leaves room for a late detection: the satellite
    # says "listening to silence" only once it has heard the whole recording.
    mic = make_speech(
        "command_then_quiet", "silence:0.7", "say:Turn on the kitchen light.", "silence:1.5"
    )
    with running_server(
        SATELLITE, "--mic-file", str(mic), "--snd-file", str(tmp_path), log_dir=tmp_path
    ) as satellite:
        entry = await add_wyoming(hass, satellite.port)
        states = satellite_states(hass)
        assert await wait_until(lambda: "listening to silence" in satellite.log())
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
    assert "wake word" not in satellite.log()
    assert "listening" not in states
    assert hass.states.is_state(LIGHT, "off")


async def test_next_command_works_after_home_assistant_reconnects(
    hass: HomeAssistant,
    voice_pipeline: None,
    wake_command: Path,
    tmp_path: Path,
) -> None:
    mic = LiveMic(tmp_path / "mic.fifo")
    with running_server(
        SATELLITE, "--mic-file", str(mic.fifo), "--debug", log_dir=tmp_path
    ) as satellite:
        mic.start()
        try:
            entry = await add_wyoming(hass, satellite.port)
            assert await wait_until(lambda: "Home Assistant connected" in satellite.log())
            mic.say(wake_command)
            assert await wait_until(lambda: hass.states.is_state(LIGHT, "on")), satellite.log()
            assert await wait_until(lambda: "reply played" in satellite.log())
            await hass.services.async_call("light", "turn_off", {"entity_id": LIGHT}, blocking=True)

            # Home Assistant restarts its side: the satellite must accept the new connection.
            assert await hass.config_entries.async_reload(entry.entry_id)
            await hass.async_block_till_done()
            assert await wait_until(lambda: satellite.log().count("Home Assistant connected") >= 2)

            mic.say(wake_command)
            assert await wait_until(lambda: hass.states.is_state(LIGHT, "on")), satellite.log()
            assert await wait_until(lambda: satellite.log().count("reply played") >= 2)
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
        finally:
            mic.stop()
    assert satellite.log().count("wake word 'Okay Nabu' detected") == 2


async def test_wake_word_during_a_long_reply_stops_it_and_starts_a_new_turn(
    hass: HomeAssistant,
    voice_pipeline: None,
    make_speech: MakeSpeech,
    wake_command: Path,  # made before the test: synthesis would stall HA later
    tmp_path: Path,
) -> None:
    await add_story_command(hass)
    story = make_speech(
        "wake_story", "silence:0.3", "say:Okay nabu.", "silence:0.6", "say:Tell me a story."
    )
    sounds = tmp_path / "played"
    sounds.mkdir()
    mic = LiveMic(tmp_path / "mic.fifo")
    with running_server(
        SATELLITE,
        "--mic-file",
        str(mic.fifo),
        "--snd-file",
        str(sounds),
        "--debug",
        log_dir=tmp_path,
    ) as satellite:
        mic.start()
        try:
            entry = await add_wyoming(hass, satellite.port)
            assert await wait_until(lambda: "Home Assistant connected" in satellite.log())
            mic.say(story)
            assert await wait_until(lambda: "playing reply" in satellite.log()), satellite.log()
            mic.say(wake_command)  # while the story is being told
            # A new turn: a second transcript and a second reply, played to its end.
            assert await wait_until(lambda: "reply played" in satellite.log()), satellite.log()
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_block_till_done()
        finally:
            mic.stop()
    log = satellite.log()
    assert "barge-in: wake word stopped the reply" in log
    assert "reply cut short" in log
    assert log.count("heard:") == 2
    assert log.index("reply cut short") < log.rindex("heard:") < log.index("reply played")
    replies = sorted(sounds.glob("*-reply.wav"))
    assert len(replies) == 2
    story_audio = max(
        (p for p in (tmp_path / "tts").iterdir() if p.suffix == ".wav"), key=wav_frames
    )
    assert wav_frames(replies[0]) < wav_frames(story_audio) / 2  # the story was cut short
