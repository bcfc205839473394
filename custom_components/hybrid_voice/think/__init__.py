"""The think path's Home Assistant side.

The think path's Home Assistant side: the local model's turn loop, the home it reads,
the earlier turns it is shown, the endpoint check and the prompt-cache warm-up.
"""
