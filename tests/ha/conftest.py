"""Our Wyoming servers and speech clips, shared with the satellite tests."""

from tests.satellite.conftest import make_speech, stt_server, tts_server

__all__ = ["make_speech", "stt_server", "tts_server"]
