"""Wyoming-protocol servers for hybrid_voice: speech-to-text, text-to-speech, local LLM."""
