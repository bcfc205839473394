"""Tests of the pure parts of the servers benchmark (bench/servers.py): no model needed."""
