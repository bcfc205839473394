"""The repository's scripts; `local_stack` is the Python side of `script/run`."""
