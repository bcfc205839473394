"""Benchmarks and the evaluation of the conversation agent (run as scripts)."""
