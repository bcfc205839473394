"""Wyoming plumbing shared by the servers and the satellite.

Service start-up and flags, the guarded event reader, PCM audio formats and conversion,
and the model catalog with name-to-path resolution. Nothing here imports a server
dependency (faster-whisper, piper, llama.cpp), so a satellite install stays small.
"""
