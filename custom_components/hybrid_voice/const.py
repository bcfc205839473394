"""Constants for the hybrid_voice integration."""

from typing import Final

DOMAIN: Final = "hybrid_voice"
