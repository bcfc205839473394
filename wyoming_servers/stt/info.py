"""What the server tells clients about itself (Describe -> Info)."""

from __future__ import annotations

from wyoming.info import AsrModel, AsrProgram, Attribution, Info

from wyoming_shared.package_info import package_version

PROGRAM_NAME = "hybrid-voice-stt"


def build_info(model_name: str, languages: list[str]) -> Info:
    """The `info` event that describes the STT server's model and languages."""
    return Info(
        asr=[
            AsrProgram(
                name=PROGRAM_NAME,
                description="hybrid_voice speech-to-text: faster-whisper with incremental decoding",
                attribution=Attribution(
                    name="SYSTRAN faster-whisper", url="https://github.com/SYSTRAN/faster-whisper"
                ),
                installed=True,
                version=package_version(),
                supports_transcript_streaming=True,
                models=[
                    AsrModel(
                        name=model_name,
                        description=f"Whisper {model_name.removeprefix('whisper-')} (CTranslate2)",
                        attribution=Attribution(
                            name="OpenAI Whisper", url="https://github.com/openai/whisper"
                        ),
                        installed=True,
                        version=None,
                        languages=languages,
                    )
                ],
            )
        ]
    )
