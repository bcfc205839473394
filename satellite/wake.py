"""Local wake word detection with microWakeWord models (pymicro-wakeword)."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures, Model

from wyoming_shared.model_paths import ModelStoreError, resolve_model

_LOGGER = logging.getLogger(__name__)

BUILTIN_WAKE_WORDS = tuple(model.value for model in Model)


class WakeWordError(Exception):
    """A wake word model that cannot be loaded."""


@dataclass(frozen=True)
class WakeHit:
    """One detection of a wake word."""

    name: str  # model id, e.g. okay_nabu
    phrase: str  # e.g. "Okay Nabu"
    detected_at: float  # monotonic clock


def model_config_path(name_or_path: str) -> Path:
    """A built-in name resolves through the model store (falling back to the wheel)."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".json":
        if not candidate.exists():
            raise WakeWordError(f"wake word config {candidate} does not exist")
        return candidate
    if name_or_path not in BUILTIN_WAKE_WORDS:
        raise WakeWordError(
            f"unknown wake word '{name_or_path}': use one of {', '.join(BUILTIN_WAKE_WORDS)} "
            "or the path of a microWakeWord .json config"
        )
    try:
        return resolve_model(f"wake-{name_or_path}")
    except (ModelStoreError, OSError) as err:
        _LOGGER.debug("model store has no %s (%s), using the built-in copy", name_or_path, err)
    import pymicro_wakeword

    return Path(pymicro_wakeword.__file__).parent / "models" / f"{name_or_path}.json"


@dataclass(frozen=True)
class WakeModelInfo:
    """A loaded wake word model as Home Assistant's describe shows it."""

    name: str
    phrase: str
    languages: list[str]


def load_model(name_or_path: str, threshold: float | None) -> MicroWakeWord:
    """Load a microWakeWord model by name or config path; set its threshold if given."""
    path = model_config_path(name_or_path)
    try:
        model = MicroWakeWord.from_config(path)
    except (OSError, KeyError, ValueError, json.JSONDecodeError) as err:
        raise WakeWordError(f"cannot load wake word model {path}: {err}") from err
    if threshold is not None:
        model.probability_cutoff = threshold
    return model


class WakeWordDetector:
    """Feeds 16 kHz mono audio to one or more wake word models.

    It reports a hit at most once per refractory period, so one utterance of the wake word
    starts one turn.
    """

    def __init__(
        self, names: list[str], threshold: float | None = None, refractory_seconds: float = 2.0
    ) -> None:
        self.models = [load_model(name, threshold) for name in names]
        self.refractory_seconds = refractory_seconds
        self._features = MicroWakeWordFeatures()
        self._quiet_until = 0.0

    @property
    def info(self) -> list[WakeModelInfo]:
        """The loaded models' ids, phrases and languages."""
        return [WakeModelInfo(m.id, m.wake_word, list(m.trained_languages)) for m in self.models]

    def process(self, pcm: bytes) -> WakeHit | None:
        """Feed 16 kHz mono 16-bit PCM; the first hit outside the refractory period, if any."""
        hit: WakeHit | None = None
        for features in self._features.process_streaming(pcm):
            for model in self.models:
                if model.process_streaming(features) and hit is None:
                    now = time.monotonic()
                    if now >= self._quiet_until:
                        hit = WakeHit(model.id, model.wake_word, now)
                        self._quiet_until = now + self.refractory_seconds
        return hit

    def reset(self) -> None:
        """Forget audio heard so far (after streaming or playback)."""
        self._features.reset()
        for model in self.models:
            model.reset()
