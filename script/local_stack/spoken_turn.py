"""`--say`: one spoken turn through the virtual satellite, watched from every side.

The sentence is spoken by our TTS server ("Okay Nabu." first, after a second of room
silence), converted to the microphone's 16 kHz, and streamed in real time into the
satellite's microphone pipe, followed by silence until the reply has been played.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.tts import Synthesize

from .ha_api import HomeAssistantApi
from .settings import StackSettings
from .turn_report import (
    PLAYBACK_DONE,
    StateChange,
    TurnReport,
    parse_iso_time,
    read_agent_route,
    read_pipeline_events,
)
from .turn_report import read_satellite_log as read_log

RATE = 16000
CHUNK_SAMPLES = 512
WAKE_PHRASE = "Okay nabu."
LEADING_SILENCE = 0.8
PAUSE_AFTER_WAKE = 1.0
TURN_TIMEOUT = 90.0
# Entities of the voice chain itself (their state is the time of last use), not the home.
VOICE_DOMAINS = frozenset({"assist_satellite", "conversation", "stt", "tts", "wake_word"})


class SpeechError(Exception):
    """The sentence could not be spoken (TTS server or ffmpeg)."""


async def synthesize(port: int, text: str) -> tuple[bytes, int]:
    """16-bit mono PCM of `text` from the Wyoming TTS server, and its rate."""
    audio = bytearray()
    rate = 22050
    async with AsyncTcpClient("127.0.0.1", port) as client:
        await client.write_event(Synthesize(text=text).event())
        while (event := await client.read_event()) is not None:
            if AudioStart.is_type(event.type):
                rate = AudioStart.from_event(event).rate
            elif AudioChunk.is_type(event.type):
                audio.extend(AudioChunk.from_event(event).audio)
            elif AudioStop.is_type(event.type):
                break
    if not audio:
        raise SpeechError(f"the TTS server on port {port} returned no audio for {text!r}")
    return bytes(audio), rate


def to_microphone_rate(pcm: bytes, rate: int) -> bytes:
    """Resample 16-bit mono PCM to 16 kHz with ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise SpeechError("ffmpeg is missing; run script/setup")
    argv = [ffmpeg, "-loglevel", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "-"]
    argv += ["-f", "s16le", "-ar", str(RATE), "-ac", "1", "-"]
    done = subprocess.run(argv, input=pcm, capture_output=True, check=False, timeout=60)
    if done.returncode != 0:
        raise SpeechError(f"ffmpeg could not resample: {done.stderr.decode(errors='replace')}")
    return done.stdout


def silence(seconds: float) -> bytes:
    """16 kHz 16-bit silence."""
    return bytes(2 * int(seconds * RATE))


async def spoken_command(tts_port: int, sentence: str) -> tuple[bytes, float]:
    """Silence, the wake word, a pause and the sentence; and where its speech ends."""
    wake, wake_rate = await synthesize(tts_port, WAKE_PHRASE)
    audio = silence(LEADING_SILENCE) + to_microphone_rate(wake, wake_rate)
    audio += silence(PAUSE_AFTER_WAKE)
    if sentence.strip():
        command, command_rate = await synthesize(tts_port, sentence)
        audio += to_microphone_rate(command, command_rate)
    return audio, len(audio) / 2 / RATE


class MicrophoneFeed:
    """Streams audio into the microphone pipe in real time, then silence until stopped."""

    def __init__(self, fifo: Path, audio: bytes) -> None:
        self.fifo = fifo
        self.audio = audio
        self.started: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        """Begin streaming (opening the pipe waits for the satellite to read it)."""
        self._thread.start()

    def stop(self) -> None:
        """End the stream; the satellite waits for the next writer."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        chunk_bytes = CHUNK_SAMPLES * 2
        with self.fifo.open("wb", buffering=0) as pipe:
            self.started = time.time()
            sent = 0
            while not self._stop.is_set():
                offset = sent * 2
                chunk = self.audio[offset : offset + chunk_bytes].ljust(chunk_bytes, b"\0")
                try:
                    pipe.write(chunk)
                except BrokenPipeError:
                    return
                sent += CHUNK_SAMPLES
                delay = self.started + sent / RATE - time.time()
                if delay > 0:
                    time.sleep(delay)


@dataclass
class TurnWitness:
    """State changes seen over the websocket while the turn runs."""

    changes: list[StateChange]

    def on_event(self, event: dict[str, Any]) -> None:
        """Record a state change of an entity (not of the satellite's own entities)."""
        data = event.get("data") or {}
        old, new = data.get("old_state"), data.get("new_state")
        if not old or not new or old.get("state") == new.get("state"):
            return
        entity_id = str(data.get("entity_id"))
        if entity_id.split(".")[0] in VOICE_DOMAINS or entity_id.endswith("_assist_in_progress"):
            return
        at = parse_iso_time(str(event.get("time_fired")))
        self.changes.append(StateChange(entity_id, old["state"], new["state"], at))


def _log_offset(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_from(path: Path, offset: int) -> list[str]:
    with path.open("rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace").splitlines()


async def _latest_run_events(
    api: HomeAssistantApi, pipeline_id: str, after: float
) -> list[dict[str, Any]]:
    runs = await api.call("assist_pipeline/pipeline_debug/list", pipeline_id=pipeline_id)
    fresh = [r for r in runs["pipeline_runs"] if parse_iso_time(r["timestamp"]) >= after - 1]
    if not fresh:
        return []
    result = await api.call(
        "assist_pipeline/pipeline_debug/get",
        pipeline_id=pipeline_id,
        pipeline_run_id=fresh[-1]["pipeline_run_id"],
    )
    events: list[dict[str, Any]] = result["events"]
    return events


def _finished(lines: list[str]) -> bool:
    log = read_log(lines)
    return PLAYBACK_DONE in log.marks or log.error is not None


def _newest_reply(sounds: Path, since: float) -> Path | None:
    replies = [p for p in sounds.glob("*-reply.wav") if p.stat().st_mtime >= since - 1]
    return max(replies, key=lambda p: p.stat().st_mtime, default=None)


async def async_say(
    api: HomeAssistantApi,
    settings: StackSettings,
    pipeline_id: str,
    sentence: str,
    reply_wav: Path,
) -> TurnReport:
    """Speak `sentence` at the virtual satellite and report what happened."""
    audio, speech_seconds = await spoken_command(settings.ports.tts, sentence)
    log_path = settings.logs / "satellite.log"
    offset = _log_offset(log_path)
    ha_log = settings.logs / "home-assistant.log"
    ha_offset = _log_offset(ha_log)
    witness = TurnWitness([])
    feed = MicrophoneFeed(settings.mic_fifo, audio)
    async with api.subscription(witness.on_event, "subscribe_events", event_type="state_changed"):
        feed.start()
        try:
            deadline = time.monotonic() + TURN_TIMEOUT
            while not _finished(_read_from(log_path, offset)):
                if time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(0.5)  # the last state events
        finally:
            feed.stop()
    started = feed.started or time.time()
    events = await _latest_run_events(api, pipeline_id, started)
    reply = _newest_reply(settings.sounds, started)
    saved = None
    if reply is not None:
        reply_wav.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reply, reply_wav)
        saved = str(reply_wav)
    pipeline = read_pipeline_events(events)
    ha_lines = _read_from(ha_log, ha_offset) if ha_log.exists() else []
    return TurnReport(
        said=sentence,
        last_word=started + speech_seconds,
        satellite=read_log(_read_from(log_path, offset)),
        pipeline=pipeline,
        changes=witness.changes,
        reply_wav=saved,
        agent_route=read_agent_route(ha_lines, pipeline.conversation_id),
    )
