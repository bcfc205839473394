"""What the server tells clients about itself (the answer to `describe`)."""

from __future__ import annotations

from wyoming.info import Attribution, Info, TtsProgram, TtsVoice, TtsVoiceSpeaker

from wyoming_shared.package_info import package_version

from .voices import VoiceShelf

PROGRAM_NAME = "piper"
PIPER_ATTRIBUTION = Attribution(name="rhasspy", url="https://github.com/rhasspy/piper")
VOICES_ATTRIBUTION = Attribution(name="rhasspy", url="https://huggingface.co/rhasspy/piper-voices")


def build_info(shelf: VoiceShelf) -> Info:
    """The `info` event that describes the TTS server's voices and speakers."""
    voices = [
        TtsVoice(
            name=voice.name,
            attribution=VOICES_ATTRIBUTION,
            installed=True,
            description=voice.description,
            version=package_version("piper-tts"),
            languages=[voice.language],
            speakers=(
                [TtsVoiceSpeaker(name=speaker) for speaker in voice.speakers]
                if len(voice.speakers) > 1
                else None
            ),
        )
        for voice in shelf.voices
    ]
    program = TtsProgram(
        name=PROGRAM_NAME,
        attribution=PIPER_ATTRIBUTION,
        installed=True,
        description="Piper neural text to speech, streamed phrase by phrase (hybrid_voice)",
        version=package_version(),
        voices=voices,
        supports_synthesize_streaming=True,
    )
    return Info(tts=[program])
