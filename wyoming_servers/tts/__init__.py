"""hybrid-voice-tts: a Wyoming text-to-speech server with piper voices."""
