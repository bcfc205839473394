"""Constants for the hybrid_voice integration."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "hybrid_voice"
LOGGER: Final = logging.getLogger(__package__)

# Entry data: where the local think-path model is served (changed by reconfigure).
CONF_URL: Final = "url"
CONF_API_KEY: Final = "api_key"

# Entry options: how the agent behaves (changed by the options flow).
CONF_MODEL: Final = "model"
CONF_PROMPT: Final = "prompt"
CONF_LANGUAGE: Final = "language"
CONF_INSTANT: Final = "instant_commands"
CONF_ENTITY_BUDGET: Final = "entity_token_budget"
CONF_TIMEOUT: Final = "request_timeout"

# The local `hybrid-voice-llm` server on the Home Assistant host.
DEFAULT_URL: Final = "http://127.0.0.1:8080/v1"
DEFAULT_MODEL: Final = "qwen2.5-coder-1.5b-q4"
DEFAULT_INSTANT: Final = True
DEFAULT_ENTITY_BUDGET: Final = 600
NO_CONTROL: Final = "none"
ANY_LANGUAGE: Final = "*"

# Seconds allowed for the endpoint check during set-up and in the config flow.
PROBE_TIMEOUT: Final = 10.0
# Seconds allowed for one model request of the think path (an option: slow CPUs).
DEFAULT_TIMEOUT: Final = 30
# Tokens a think-path reply may take: the plan schema allows five short actions or
# one sentence, so this only stops an endpoint that ignores the schema.
MAX_REPLY_TOKENS: Final = 150
# Utterances longer than this are not sent to the model (characters).
MAX_UTTERANCE_CHARS: Final = 500
# Previous user turns kept in the model's view of the conversation.
MAX_HISTORY_TURNS: Final = 4

# Entry options of the optional cloud fast path (OpenAI Realtime API). No key: local only.
CONF_OPENAI_KEY: Final = "openai_api_key"
CONF_REALTIME_MODEL: Final = "realtime_model"
CONF_REALTIME_URL: Final = "realtime_base_url"
CONF_ROUTING: Final = "routing"
CONF_CLOUD_BUDGET: Final = "daily_cloud_budget"
CONF_FAST_PROMPT: Final = "fast_instructions"
CONF_FAST_TIMEOUT: Final = "fast_timeout"
ROUTING_AUTO: Final = "auto"
ROUTING_LOCAL_ONLY: Final = "local_only"
DEFAULT_REALTIME_MODEL: Final = "gpt-realtime-mini"
DEFAULT_REALTIME_URL: Final = "https://api.openai.com/v1"
DEFAULT_CLOUD_BUDGET: Final = 1.0  # USD a day
# Seconds the fast path may take to its first words before the think path answers.
DEFAULT_FAST_TIMEOUT: Final = 3.0
# The user's own prices of the Realtime model, USD per million text tokens (else the
# list prices in fast/budget.py).
CONF_PRICE_INPUT: Final = "price_input"
CONF_PRICE_CACHED: Final = "price_cached_input"
CONF_PRICE_OUTPUT: Final = "price_output"
