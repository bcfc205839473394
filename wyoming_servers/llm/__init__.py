"""`hybrid-voice-llm`: the local OpenAI-compatible llama.cpp server for the think path.

It serves a stored GGUF model with llama-cpp-python's server and adds what the think
path needs on top: a health endpoint, grammar-constrained tool calls by default, OpenAI
`json_schema` response formats, KV-cache prefix reuse across requests, zeroconf
announcement, structured logs and a clean shutdown.
"""
