"""Fuzzing of the Wyoming servers and the satellite: stream generators, probe, health checks."""
