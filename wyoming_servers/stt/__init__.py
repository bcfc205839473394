"""Wyoming speech-to-text server: faster-whisper with incremental decoding."""
