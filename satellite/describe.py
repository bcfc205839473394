"""The satellite's answer to `describe`: who it is, where, and which wake words it hears."""

from __future__ import annotations

from wyoming.info import Attribution, Info, Satellite, WakeModel, WakeProgram

from wyoming_shared.package_info import package_version

from .wake import WakeModelInfo

ATTRIBUTION = Attribution(name="hybrid_voice", url="https://github.com/hybrid-voice/hybrid_voice")
MICROWAKEWORD = Attribution(name="Kevin Ahrendt", url="https://github.com/kahrendt/microWakeWord")


def build_info(name: str, area: str | None, wake_models: list[WakeModelInfo]) -> Info:
    """Info with a satellite section, which makes Home Assistant add a satellite device.

    The wake words are listed so Home Assistant can show the phrase that was heard.
    """
    wake = [
        WakeProgram(
            name="microwakeword",
            attribution=MICROWAKEWORD,
            installed=True,
            description="Local wake word detection (microWakeWord)",
            version=package_version(),
            models=[
                WakeModel(
                    name=model.name,
                    attribution=MICROWAKEWORD,
                    installed=True,
                    description=model.phrase,
                    version=None,
                    languages=model.languages,
                    phrase=model.phrase,
                )
                for model in wake_models
            ],
        )
    ]
    satellite = Satellite(
        name=name,
        attribution=ATTRIBUTION,
        installed=True,
        description="hybrid_voice satellite",
        version=package_version(),
        area=area,
        has_vad=False,
        active_wake_words=[model.name for model in wake_models],
        max_active_wake_words=len(wake_models),
        supports_trigger=False,
    )
    return Info(wake=wake, satellite=satellite)
