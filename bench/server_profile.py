"""What our servers' own logs say about where a request's time went.

hybrid-voice-stt run with --debug logs each decode ("final decode of 2.31 s audio took
0.412 s", "speculative decode of ...") and, per request, the time from audio-stop to
the transcript. hybrid-voice-tts logs, per request, when its first audio was ready.
"""

from __future__ import annotations

import re
from typing import Any

from bench.timing_stats import summarize

_DECODE = re.compile(r"(final|speculative) decode of ([\d.]+) s audio took ([\d.]+) s")
_AFTER_STOP = re.compile(r"transcript ([\d.]+) s after audio-stop")
_FIRST_AUDIO = re.compile(r"first audio after (\d+) ms")


def stt_log_profile(log: str) -> dict[str, Any]:
    """Decode counts and durations, and the server-side audio-stop -> transcript times."""
    decodes: dict[str, list[float]] = {"final": [], "speculative": []}
    audio: dict[str, list[float]] = {"final": [], "speculative": []}
    for kind, seconds, took in _DECODE.findall(log):
        decodes[kind].append(float(took))
        audio[kind].append(float(seconds))
    after_stop = [float(value) for value in _AFTER_STOP.findall(log)]
    profile: dict[str, Any] = {"requests": len(after_stop)}
    if after_stop:
        profile["server_after_stop"] = summarize(after_stop).as_dict()
    for kind, took_list in decodes.items():
        profile[f"{kind}_decodes"] = len(took_list)
        if took_list:
            profile[f"{kind}_decode_seconds"] = summarize(took_list).as_dict()
            profile[f"{kind}_audio_seconds"] = summarize(audio[kind]).as_dict()
    return profile


def tts_log_first_audio(log: str) -> dict[str, Any] | None:
    """Server-side request -> first audio ready, in ms (None when nothing was logged)."""
    values = [float(value) for value in _FIRST_AUDIO.findall(log)]
    return summarize(values).as_dict() if values else None
