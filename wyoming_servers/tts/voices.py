"""Piper voices: loaded once at start-up, found by name, alias or language."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import onnxruntime  # type: ignore[import-untyped]
from piper import PiperVoice, SynthesisConfig
from piper.config import PiperConfig

from wyoming_shared.model_catalog import CATALOG
from wyoming_shared.model_paths import resolve_model

_LOGGER = logging.getLogger(__name__)


class VoiceError(Exception):
    """A request asked for a voice, speaker or language this server does not have."""


@dataclass(frozen=True)
class Tuning:
    """Synthesis settings from the command line; None keeps the voice's own value."""

    length_scale: float | None = None
    noise_scale: float | None = None
    noise_w_scale: float | None = None
    threads: int = 1  # onnxruntime intra-op threads; 0 lets onnxruntime decide
    spinning: bool = False  # idle onnxruntime threads spin (onnxruntime's default) or sleep


@dataclass
class Voice:
    """One loaded voice and what clients may call it."""

    name: str
    aliases: frozenset[str]
    description: str
    language: str
    speakers: dict[str, int]
    sample_rate: int
    piper: PiperVoice
    default_speaker: int | None = None
    tuning: Tuning = field(default_factory=Tuning)

    def synthesis_config(self, speaker_id: int | None) -> SynthesisConfig:
        """Piper's synthesis settings for this voice's tuning and a speaker (None: default)."""
        return SynthesisConfig(
            speaker_id=self.default_speaker if speaker_id is None else speaker_id,
            length_scale=self.tuning.length_scale,
            noise_scale=self.tuning.noise_scale,
            noise_w_scale=self.tuning.noise_w_scale,
        )

    def speaker_id(self, speaker: str | None) -> int | None:
        """The id of a speaker given by name or number; None for the default speaker."""
        if speaker is None or speaker == "":
            return None
        if speaker in self.speakers:
            return self.speakers[speaker]
        if speaker.isdigit() and int(speaker) in self.speakers.values():
            return int(speaker)
        known = ", ".join(self.speakers) or "none, it has a single speaker"
        raise VoiceError(f"voice '{self.name}' has no speaker '{speaker}' (speakers: {known})")


def _model_file(name_or_path: str) -> Path:
    path = resolve_model(name_or_path)
    if path.is_dir():
        onnx_files = sorted(path.glob("*.onnx"))
        if len(onnx_files) != 1:
            raise VoiceError(f"{path} must hold exactly one .onnx voice, found {len(onnx_files)}")
        return onnx_files[0]
    return path


def load_voice(name_or_path: str, tuning: Tuning, speaker: str | None = None) -> Voice:
    """Load a voice from the model store (by name) or from an .onnx file beside its .json."""
    model_path = _model_file(name_or_path)
    config_path = Path(f"{model_path}.json")
    if not config_path.exists():
        raise VoiceError(f"{config_path} is missing: a piper voice needs its .onnx.json config")
    config_dict = json.loads(config_path.read_text(encoding="utf-8"))
    options = onnxruntime.SessionOptions()
    # Memory patterns are planned and kept per input shape; every text length is a new
    # shape, so they only grow memory (measured: +60 MB over 30 sentences, no speed gain).
    options.enable_mem_pattern = False
    if tuning.threads > 0:
        options.intra_op_num_threads = tuning.threads
        options.inter_op_num_threads = 1
    # Spinning keeps a thread busy-waiting for the next operator: it wins little here and
    # takes a CPU from speech-to-text and the local model while they run (bench/servers.py).
    options.add_session_config_entry(
        "session.intra_op.allow_spinning", "1" if tuning.spinning else "0"
    )
    session = onnxruntime.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    piper = PiperVoice(session=session, config=PiperConfig.from_dict(config_dict))
    stem = model_path.name.removesuffix(".onnx")
    name = name_or_path if name_or_path in CATALOG else stem
    language = str(config_dict.get("language", {}).get("code") or piper.config.espeak_voice)
    speakers = {str(k): int(v) for k, v in (config_dict.get("speaker_id_map") or {}).items()}
    voice = Voice(
        name=name,
        aliases=frozenset({name, stem, f"piper-{stem}"}),
        description=_describe(config_dict, stem, name),
        language=language,
        speakers=speakers,
        sample_rate=piper.config.sample_rate,
        piper=piper,
        tuning=tuning,
    )
    voice.default_speaker = voice.speaker_id(speaker)
    return voice


def _describe(config: dict[str, object], stem: str, name: str) -> str:
    if name in CATALOG:
        return CATALOG[name].description
    language = config.get("language")
    if isinstance(language, dict) and language.get("name_english"):
        return f"{stem} ({language['name_english']}, {language.get('country_english', '')})"
    return stem


class VoiceShelf:
    """The voices this server speaks with; the first one answers requests that name none."""

    def __init__(self, voices: list[Voice]) -> None:
        if not voices:
            raise ValueError("at least one voice is needed")
        self.voices = voices

    @property
    def default(self) -> Voice:
        """The first voice loaded, used when a request names none."""
        return self.voices[0]

    def find(self, name: str | None, language: str | None) -> Voice:
        """The voice a request asked for; VoiceError when there is none."""
        if name:
            for voice in self.voices:
                if name in voice.aliases:
                    return voice
            known = ", ".join(v.name for v in self.voices)
            raise VoiceError(f"unknown voice '{name}' (voices: {known})")
        if language:
            wanted = language.replace("-", "_").lower()
            for voice in self.voices:
                code = voice.language.lower()
                if code == wanted or code.split("_")[0] == wanted:
                    return voice
            known = ", ".join(sorted({v.language for v in self.voices}))
            raise VoiceError(f"no voice for language '{language}' (languages: {known})")
        return self.default
